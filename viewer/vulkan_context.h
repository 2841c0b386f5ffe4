#pragma once
// Instance (optionally with the Khronos validation layer and the engine's recording messenger), window
// surface, the chosen physical device, logical device and one graphics+present queue.
#include <cstdint>
#include <string>

#include <vulkan/vulkan.h>

struct GLFWwindow;

namespace penumbra::viewer {

class VulkanContext {
 public:
  /// Throws Unavailable when no device can draw to the window's surface.
  VulkanContext(GLFWwindow* window, bool validation);
  ~VulkanContext();
  VulkanContext(const VulkanContext&) = delete;
  VulkanContext& operator=(const VulkanContext&) = delete;

  VkSurfaceKHR surface() const { return surface_; }
  VkPhysicalDevice physical_device() const { return physical_device_; }
  VkDevice device() const { return device_; }
  VkQueue queue() const { return queue_; }
  std::uint32_t queue_family() const { return queue_family_; }
  const std::string& device_name() const { return device_name_; }

  /// Index of a memory type allowed by `type_bits` with all of `properties`; throws penumbra::Error if none.
  std::uint32_t memory_type(std::uint32_t type_bits, VkMemoryPropertyFlags properties) const;

  /// Prints the validation warnings and errors reported so far to stderr and returns their number (0 when
  /// validation is off).
  int report_validation_messages() const;

 private:
  void create_instance(bool validation);
  void release();
  void pick_device();
  void create_device();

  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkSurfaceKHR surface_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_device_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  std::uint32_t queue_family_ = 0;
  std::string device_name_;
  VkPhysicalDeviceMemoryProperties memory_properties_{};
};

}  // namespace penumbra::viewer
