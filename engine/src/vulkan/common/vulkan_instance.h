#pragma once
// What every Vulkan user in Penumbra (the compute backend and the viewer) does the same way: the instance with
// the Khronos validation layer and a messenger that records into validation_log.h, the preference among
// device types, and the choice of a memory type.
#include <vulkan/vulkan.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "vulkan_error.h"

namespace penumbra::detail::vulkan {

struct InstanceRequest {
  const char* application = "penumbra";
  std::uint32_t api_version = VK_API_VERSION_1_2;
  std::vector<const char*> extensions;  ///< beyond the debug-utils extension that validation adds
  bool validate = false;                ///< enable VK_LAYER_KHRONOS_validation and record what it reports
  Caller caller = kBackend;             ///< named in errors
};

/// Creates `instance` and returns vkCreateInstance's result: VK_ERROR_INCOMPATIBLE_DRIVER or
/// VK_ERROR_INITIALIZATION_FAILED mean there is no driver, which each caller reports in its own terms. Throws
/// penumbra::Error when validation is asked for but the layer is not installed.
VkResult create_instance(const InstanceRequest& request, VkInstance& instance);

/// With validation on: the messenger that records warnings and errors (validation_log.h). Throws
/// penumbra::Error when the debug-utils extension cannot be reached.
VkDebugUtilsMessengerEXT create_messenger(VkInstance instance, const Caller& caller = kBackend);

/// Destroys a messenger made by create_messenger (VK_NULL_HANDLE is allowed).
void destroy_messenger(VkInstance instance, VkDebugUtilsMessengerEXT messenger);

/// Higher is preferred: discrete GPU, integrated, virtual, then the CPU (lavapipe), then anything else.
int device_preference(VkPhysicalDeviceType type);

/// A memory type allowed by `type_bits` with all `required` flags, preferring one that also has `preferred`;
/// nothing when no type has the required flags.
std::optional<std::uint32_t> find_memory_type(const VkPhysicalDeviceMemoryProperties& memory,
                                              std::uint32_t type_bits, VkMemoryPropertyFlags required,
                                              VkMemoryPropertyFlags preferred = 0);

}  // namespace penumbra::detail::vulkan
