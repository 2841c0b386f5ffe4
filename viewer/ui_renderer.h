#pragma once
// Draws Dear ImGui's draw lists with Vulkan, binding the texture each command names. (Debian's imgui 1.86
// Vulkan backend binds only its font atlas, so the viewer's images need a renderer of its own.)
#include <memory>

#include <imgui.h>
#include <vulkan/vulkan.h>

#include "host_buffer.h"
#include "texture.h"

namespace penumbra::viewer {

class VulkanContext;

class UiRenderer {
 public:
  /// Builds the pipeline for `render_pass` and uploads the current ImGui context's font atlas.
  UiRenderer(const VulkanContext& context, VkRenderPass render_pass);
  ~UiRenderer();
  UiRenderer(const UiRenderer&) = delete;
  UiRenderer& operator=(const UiRenderer&) = delete;

  /// What a Texture needs to be drawable by this renderer.
  const TextureBinding& texture_binding() const { return binding_; }

  /// Records pending texture uploads that must precede the render pass (the font atlas on the first frame).
  void record_uploads(VkCommandBuffer commands);
  /// Copies the frame's vertices and indices into host buffers and records the draws; inside the render pass.
  void record_draws(ImDrawData* draw_data, VkCommandBuffer commands);

 private:
  void create_pipeline(VkRenderPass render_pass);
  void release();

  const VulkanContext& context_;
  TextureBinding binding_;
  VkPipelineLayout pipeline_layout_ = VK_NULL_HANDLE;
  VkPipeline pipeline_ = VK_NULL_HANDLE;
  std::unique_ptr<Texture> font_;
  HostBuffer vertices_;
  HostBuffer indices_;
};

}  // namespace penumbra::viewer
