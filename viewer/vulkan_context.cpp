#include "vulkan_context.h"

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include "validation_log.h"
#include "vulkan_check.h"
#include "vulkan_instance.h"

namespace penumbra::viewer {

namespace {

bool has_swapchain_extension(VkPhysicalDevice device) {
  std::uint32_t count = 0;
  if (vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr) != VK_SUCCESS) return false;
  std::vector<VkExtensionProperties> extensions(count);
  if (vkEnumerateDeviceExtensionProperties(device, nullptr, &count, extensions.data()) != VK_SUCCESS)
    return false;
  for (const auto& extension : extensions)
    if (std::strcmp(extension.extensionName, VK_KHR_SWAPCHAIN_EXTENSION_NAME) == 0) return true;
  return false;
}

}  // namespace

VulkanContext::VulkanContext(GLFWwindow* window, bool validation) {
  // A constructor that throws runs no destructor, so release what was made so far by hand.
  try {
    create_instance(validation);
    if (glfwCreateWindowSurface(instance_, window, nullptr, &surface_) != VK_SUCCESS)
      throw Unavailable("the Vulkan driver cannot present to this window", "use another display or driver");
    pick_device();
    create_device();
  } catch (...) {
    release();
    throw;
  }
}

VulkanContext::~VulkanContext() { release(); }

void VulkanContext::release() {
  if (device_) vkDestroyDevice(device_, nullptr);
  if (surface_) vkDestroySurfaceKHR(instance_, surface_, nullptr);
  detail::vulkan::destroy_messenger(instance_, messenger_);
  if (instance_) vkDestroyInstance(instance_, nullptr);
  device_ = VK_NULL_HANDLE;
  surface_ = VK_NULL_HANDLE;
  messenger_ = VK_NULL_HANDLE;
  instance_ = VK_NULL_HANDLE;
}

void VulkanContext::create_instance(bool validation) {
  std::uint32_t glfw_count = 0;
  const char** glfw_extensions = glfwGetRequiredInstanceExtensions(&glfw_count);
  if (!glfw_extensions)
    throw Unavailable("the Vulkan driver has no window-system surface extension",
                      "use another display or driver");
  detail::vulkan::InstanceRequest request;
  request.application = "penumbra-viewer";
  request.api_version = VK_API_VERSION_1_1;
  request.extensions.assign(glfw_extensions, glfw_extensions + glfw_count);
  request.validate = validation;
  request.caller = kViewerCaller;
  const VkResult result = detail::vulkan::create_instance(request, instance_);
  if (result == VK_ERROR_INCOMPATIBLE_DRIVER || result == VK_ERROR_INITIALIZATION_FAILED)
    throw Unavailable("no Vulkan driver (" + std::string(result_name(result)) + ")",
                      "install mesa-vulkan-drivers for lavapipe");
  check(result, "vkCreateInstance");
  if (validation) messenger_ = detail::vulkan::create_messenger(instance_, kViewerCaller);
}

void VulkanContext::pick_device() {
  std::uint32_t count = 0;
  check(vkEnumeratePhysicalDevices(instance_, &count, nullptr), "vkEnumeratePhysicalDevices");
  std::vector<VkPhysicalDevice> devices(count);
  check(vkEnumeratePhysicalDevices(instance_, &count, devices.data()), "vkEnumeratePhysicalDevices");

  int best_preference = -1;
  for (VkPhysicalDevice device : devices) {
    if (!has_swapchain_extension(device)) continue;
    std::uint32_t family_count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(device, &family_count, nullptr);
    std::vector<VkQueueFamilyProperties> families(family_count);
    vkGetPhysicalDeviceQueueFamilyProperties(device, &family_count, families.data());
    for (std::uint32_t family = 0; family < family_count; ++family) {
      VkBool32 present = VK_FALSE;
      check(vkGetPhysicalDeviceSurfaceSupportKHR(device, family, surface_, &present),
            "vkGetPhysicalDeviceSurfaceSupportKHR");
      if (!present || !(families[family].queueFlags & VK_QUEUE_GRAPHICS_BIT)) continue;
      VkPhysicalDeviceProperties properties;
      vkGetPhysicalDeviceProperties(device, &properties);
      const int preference = detail::vulkan::device_preference(properties.deviceType);
      if (preference > best_preference) {
        best_preference = preference;
        physical_device_ = device;
        queue_family_ = family;
        device_name_ = properties.deviceName;
      }
      break;
    }
  }
  if (!physical_device_)
    throw Unavailable("no Vulkan device can draw to this window", "install mesa-vulkan-drivers for lavapipe");
  vkGetPhysicalDeviceMemoryProperties(physical_device_, &memory_properties_);
}

void VulkanContext::create_device() {
  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue_info{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queue_info.queueFamilyIndex = queue_family_;
  queue_info.queueCount = 1;
  queue_info.pQueuePriorities = &priority;
  const char* extensions[] = {VK_KHR_SWAPCHAIN_EXTENSION_NAME};
  VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue_info;
  info.enabledExtensionCount = 1;
  info.ppEnabledExtensionNames = extensions;
  check(vkCreateDevice(physical_device_, &info, nullptr, &device_), "vkCreateDevice");
  vkGetDeviceQueue(device_, queue_family_, 0, &queue_);
}

std::uint32_t VulkanContext::memory_type(std::uint32_t type_bits, VkMemoryPropertyFlags properties) const {
  const std::optional<std::uint32_t> type =
      detail::vulkan::find_memory_type(memory_properties_, type_bits, properties);
  if (!type)
    throw Error("no Vulkan memory type with the needed properties", "penumbra-viewer (" + device_name_ + ")",
                "this device cannot show the viewer; use another Vulkan driver");
  return *type;
}

int VulkanContext::report_validation_messages() const {
  const std::vector<std::string> messages = detail::vulkan::validation_messages();
  for (const std::string& message : messages) std::fprintf(stderr, "vulkan: %s\n", message.c_str());
  return static_cast<int>(messages.size());
}

}  // namespace penumbra::viewer
