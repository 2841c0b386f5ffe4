#pragma once
// A persistently mapped, host-coherent Vulkan buffer: staging for uploads and read-backs, and the
// per-frame vertex and index buffers of the UI.
#include <cstddef>

#include <vulkan/vulkan.h>

namespace penumbra::viewer {

class VulkanContext;

class HostBuffer {
 public:
  HostBuffer() = default;
  HostBuffer(const VulkanContext& context, VkDeviceSize size, VkBufferUsageFlags usage);
  ~HostBuffer();
  HostBuffer(HostBuffer&& other) noexcept;
  HostBuffer& operator=(HostBuffer&& other) noexcept;
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;

  VkBuffer buffer() const { return buffer_; }
  VkDeviceSize size() const { return size_; }
  void* data() const { return mapped_; }

 private:
  void release();

  VkDevice device_ = VK_NULL_HANDLE;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  VkDeviceSize size_ = 0;
  void* mapped_ = nullptr;
};

}  // namespace penumbra::viewer
