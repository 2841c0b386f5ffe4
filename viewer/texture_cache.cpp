#include "texture_cache.h"

#include <stdexcept>

namespace penumbra::viewer {

void TextureCache::update(const std::string& name, int width, int height,
                          const std::vector<std::uint8_t>& rgba) {
  if (rgba.size() != std::size_t(width) * height * 4)
    throw std::logic_error("texture " + name + ": pixel count does not match its size");
  auto& texture = textures_[name];
  if (!texture || texture->width() != width || texture->height() != height)
    texture = std::make_unique<Texture>(context_, binding_, width, height);
  texture->update(rgba.data());
}

ImTextureID TextureCache::id(const std::string& name) const {
  const auto found = textures_.find(name);
  return found == textures_.end() ? ImTextureID{} : found->second->id();
}

void TextureCache::record_uploads(VkCommandBuffer commands) {
  for (auto& [name, texture] : textures_) texture->record_upload(commands);
}

}  // namespace penumbra::viewer
