#pragma once
// The window's swapchain with its image views, framebuffers and the render pass that clears and draws the
// UI into them. Rebuilt whole on resize or when presentation reports OUT_OF_DATE/SUBOPTIMAL.
#include <cstdint>
#include <vector>

#include <vulkan/vulkan.h>

namespace penumbra::viewer {

class VulkanContext;

class Swapchain {
 public:
  /// Picks the surface format once (8-bit BGRA/RGBA, UNORM so ImGui's colours show as authored).
  Swapchain(const VulkanContext& context, int width, int height);
  ~Swapchain();
  Swapchain(const Swapchain&) = delete;
  Swapchain& operator=(const Swapchain&) = delete;

  /// Waits for the device to go idle, then replaces the swapchain for a framebuffer of this size.
  void rebuild(int width, int height);

  VkSwapchainKHR handle() const { return swapchain_; }
  VkRenderPass render_pass() const { return render_pass_; }
  VkFormat format() const { return format_.format; }
  VkExtent2D extent() const { return extent_; }
  VkImage image(std::uint32_t index) const { return images_[index]; }
  VkFramebuffer framebuffer(std::uint32_t index) const { return framebuffers_[index]; }
  /// Signalled when image `index` has been drawn; presentation waits on it. One per image, because a
  /// semaphore that presentation still waits on cannot be signalled again.
  VkSemaphore render_finished(std::uint32_t index) const { return render_finished_[index]; }

 private:
  void create(int width, int height, VkSwapchainKHR old_swapchain);
  void destroy_image_resources();

  const VulkanContext& context_;
  VkSurfaceFormatKHR format_{};
  VkRenderPass render_pass_ = VK_NULL_HANDLE;
  VkSwapchainKHR swapchain_ = VK_NULL_HANDLE;
  VkExtent2D extent_{};
  std::vector<VkImage> images_;
  std::vector<VkImageView> views_;
  std::vector<VkFramebuffer> framebuffers_;
  std::vector<VkSemaphore> render_finished_;
};

}  // namespace penumbra::viewer
