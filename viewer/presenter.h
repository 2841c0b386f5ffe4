#pragma once
// One frame in flight: wait for the previous frame, acquire a swapchain image, record the UI, submit,
// present. Keeping a single frame in flight lets textures be rewritten right after wait_for_previous_frame().
#include <cstdint>
#include <functional>

#include <vulkan/vulkan.h>

#include "penumbra/image.h"
#include "swapchain.h"

namespace penumbra::viewer {

class VulkanContext;
class Window;

class Presenter {
 public:
  Presenter(const VulkanContext& context, Window& window);
  ~Presenter();
  Presenter(const Presenter&) = delete;
  Presenter& operator=(const Presenter&) = delete;

  VkRenderPass render_pass() const { return swapchain_.render_pass(); }

  /// Blocks until the GPU has finished the last submitted frame.
  void wait_for_previous_frame();

  /// Draws one frame: `before_pass` records uploads, `in_pass` the draws inside the clearing render pass.
  /// When `capture` is not null the frame is also copied out and stored there (RGBA in [0, 1]).
  /// Returns false when the swapchain was out of date and was rebuilt instead (nothing drawn).
  bool draw(const std::function<void(VkCommandBuffer)>& before_pass,
            const std::function<void(VkCommandBuffer)>& in_pass, Images* capture);

  /// Rebuilds the swapchain for the window's framebuffer size; false (and retried by the next draw) while
  /// the window is minimised.
  bool rebuild();

 private:
  void record_capture(VkCommandBuffer commands, std::uint32_t image_index, VkBuffer target) const;

  const VulkanContext& context_;
  Window& window_;
  Swapchain swapchain_;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkCommandBuffer commands_ = VK_NULL_HANDLE;
  VkFence frame_done_ = VK_NULL_HANDLE;
  VkSemaphore image_acquired_ = VK_NULL_HANDLE;
  bool stale_ = false;  // the swapchain no longer fits the window and could not be rebuilt yet
};

}  // namespace penumbra::viewer
