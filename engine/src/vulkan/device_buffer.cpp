#include "vulkan/device_buffer.h"

#include <algorithm>
#include <string>

#include "penumbra/error.h"
#include "vulkan/vulkan_context.h"
#include "vulkan_error.h"

namespace penumbra::detail::vulkan {
namespace {

std::string mebibytes(VkDeviceSize bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB"; }

}  // namespace

DeviceBuffer::DeviceBuffer(const Context& context, Kind kind, std::string name)
    : context_(context), kind_(kind), name_(std::move(name)) {}

DeviceBuffer::~DeviceBuffer() { release(); }

void DeviceBuffer::release() {
  const VkDevice device = context_.device();
  if (mapped_ != nullptr) vkUnmapMemory(device, memory_);
  if (buffer_ != VK_NULL_HANDLE) vkDestroyBuffer(device, buffer_, nullptr);
  if (memory_ != VK_NULL_HANDLE) vkFreeMemory(device, memory_, nullptr);
  mapped_ = nullptr;
  buffer_ = VK_NULL_HANDLE;
  memory_ = VK_NULL_HANDLE;
  address_ = 0;
  size_ = 0;
}

void DeviceBuffer::reserve(VkDeviceSize bytes) {
  if (bytes <= size_) return;
  release();
  const VkDevice device = context_.device();
  // Never zero-sized; rounded to 256 bytes so that small growth does not reallocate every call.
  const VkDeviceSize size = std::max<VkDeviceSize>((bytes + 255) & ~VkDeviceSize(255), 256);

  VkBufferCreateInfo buffer_info{};
  buffer_info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  buffer_info.size = size;
  buffer_info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkMemoryPropertyFlags required = 0, preferred = 0;
  switch (kind_) {
    case Kind::storage:
      buffer_info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT |
                          VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      required = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
      preferred = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
      break;
    case Kind::upload:
      buffer_info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
      required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
      preferred = required;
      break;
    case Kind::readback:
      buffer_info.usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
      preferred = required | VK_MEMORY_PROPERTY_HOST_CACHED_BIT;  // the host reads it
      break;
  }
  check(vkCreateBuffer(device, &buffer_info, nullptr, &buffer_), "vkCreateBuffer (" + name_ + ")");

  VkMemoryRequirements requirements{};
  vkGetBufferMemoryRequirements(device, buffer_, &requirements);
  VkMemoryAllocateFlagsInfo flags{};
  flags.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO;
  flags.flags = VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT;
  VkMemoryAllocateInfo allocate{};
  allocate.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  allocate.pNext = kind_ == Kind::storage ? &flags : nullptr;
  allocate.allocationSize = requirements.size;
  allocate.memoryTypeIndex = context_.memory_type(requirements.memoryTypeBits, required, preferred);
  const VkResult result = vkAllocateMemory(device, &allocate, nullptr, &memory_);
  if (result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY) {
    const std::string size_text = mebibytes(requirements.size);
    release();
    throw Error("out of " + std::string(result == VK_ERROR_OUT_OF_DEVICE_MEMORY ? "device" : "host") +
                    " memory allocating " + size_text + " for the " + name_ + " buffer",
                "Vulkan backend (" + context_.device_name() + ")",
                "reduce the image size, the number of views or the mesh, or use --backend cpu");
  }
  check(result, "vkAllocateMemory (" + name_ + ")");
  check(vkBindBufferMemory(device, buffer_, memory_, 0), "vkBindBufferMemory (" + name_ + ")");
  size_ = size;
  if (kind_ == Kind::storage) {
    VkBufferDeviceAddressInfo address_info{};
    address_info.sType = VK_STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO;
    address_info.buffer = buffer_;
    address_ = vkGetBufferDeviceAddress(device, &address_info);
  } else {
    check(vkMapMemory(device, memory_, 0, VK_WHOLE_SIZE, 0, &mapped_), "vkMapMemory (" + name_ + ")");
  }
}

}  // namespace penumbra::detail::vulkan
