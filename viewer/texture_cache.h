#pragma once
// Named textures that panels fill and draw. A texture is remade when its size changes; all pending uploads
// are recorded before the frame's render pass.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>
#include <vulkan/vulkan.h>

#include "texture.h"

namespace penumbra::viewer {

class VulkanContext;

class TextureCache {
 public:
  TextureCache(const VulkanContext& context, const TextureBinding& binding)
      : context_(context), binding_(binding) {}

  /// Sets the pixels (width * height RGBA8) of texture `name`, creating or resizing it.
  void update(const std::string& name, int width, int height, const std::vector<std::uint8_t>& rgba);
  /// The texture's id for ImGui::Image, or null when `name` was never updated.
  ImTextureID id(const std::string& name) const;
  void record_uploads(VkCommandBuffer commands);

 private:
  const VulkanContext& context_;
  TextureBinding binding_;
  std::map<std::string, std::unique_ptr<Texture>> textures_;
};

}  // namespace penumbra::viewer
