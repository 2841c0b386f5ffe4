#pragma once
// An RGBA8 image that Dear ImGui can draw (ImTextureID is its descriptor set). Pixels are written to a
// mapped staging buffer at once and copied to the image when the next frame's commands are recorded.
#include <cstdint>

#include <imgui.h>
#include <vulkan/vulkan.h>

#include "host_buffer.h"

namespace penumbra::viewer {

class VulkanContext;

/// What every texture's descriptor set is made from; owned by the UI renderer.
struct TextureBinding {
  VkDescriptorPool pool = VK_NULL_HANDLE;  ///< created with FREE_DESCRIPTOR_SET
  VkDescriptorSetLayout layout = VK_NULL_HANDLE;
  VkSampler sampler = VK_NULL_HANDLE;
};

class Texture {
 public:
  Texture(const VulkanContext& context, const TextureBinding& binding, int width, int height);
  ~Texture();
  Texture(const Texture&) = delete;
  Texture& operator=(const Texture&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  ImTextureID id() const { return reinterpret_cast<ImTextureID>(descriptor_set_); }

  /// Takes width * height RGBA8 pixels, row 0 at the top. Call only while no frame that samples this
  /// texture is in flight (the viewer keeps one frame in flight and waits for it first).
  void update(const std::uint8_t* rgba);
  /// Records the copy of the last update into the image, if there is one, ending in shader-read layout.
  void record_upload(VkCommandBuffer commands);

 private:
  void release();

  VkDevice device_;
  VkDescriptorPool pool_;
  int width_;
  int height_;
  HostBuffer staging_;
  VkImage image_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  VkImageView view_ = VK_NULL_HANDLE;
  VkDescriptorSet descriptor_set_ = VK_NULL_HANDLE;
  bool upload_pending_ = false;
  bool initialised_ = false;  // whether the image has left VK_IMAGE_LAYOUT_UNDEFINED
};

}  // namespace penumbra::viewer
