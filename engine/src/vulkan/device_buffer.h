#pragma once
// One VkBuffer with its own memory: device-local storage reached by its device address, or host-visible
// staging (upload, readback) that stays mapped. Grown, never shrunk: reserve() reallocates only when asked
// for more than it holds, and the contents do not survive a reallocation.
#include <vulkan/vulkan.h>

#include <string>

namespace penumbra::detail::vulkan {

class Context;

class DeviceBuffer {
 public:
  enum class Kind {
    storage,   ///< device-local, read and written by shaders through its address, copied to and from
    upload,    ///< host-visible, written by the host, copied from
    readback,  ///< host-visible, copied to, read by the host
  };

  DeviceBuffer(const Context& context, Kind kind, std::string name);
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  /// Makes the buffer hold at least `bytes`; throws penumbra::Error naming the buffer and the size when the
  /// device is out of memory.
  void reserve(VkDeviceSize bytes);

  VkBuffer handle() const { return buffer_; }
  VkDeviceAddress address() const { return address_; }
  VkDeviceSize size() const { return size_; }
  /// The host mapping of upload and readback buffers.
  void* mapped() const { return mapped_; }

 private:
  void release();

  const Context& context_;
  Kind kind_;
  std::string name_;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  VkDeviceAddress address_ = 0;
  VkDeviceSize size_ = 0;
  void* mapped_ = nullptr;
};

}  // namespace penumbra::detail::vulkan
