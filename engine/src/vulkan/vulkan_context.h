#pragma once
// The Vulkan instance, the chosen device and its queue, and the compute pipelines: created once per process
// and shared by every Vulkan Renderer (pipelines compile once). Device choice: discrete > integrated >
// virtual > CPU (lavapipe), among devices with Vulkan 1.2, a compute queue and buffer device addresses.
#include <vulkan/vulkan.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vulkan/compute_pipelines.h"

namespace penumbra::detail::vulkan {

/// "discrete GPU", "integrated GPU", "virtual GPU", "cpu" or "other".
std::string device_type_name(VkPhysicalDeviceType type);

/// True for the device types that `auto` prefers to the CPU backend.
bool is_gpu(VkPhysicalDeviceType type);

/// The best usable device as found without creating it, or why there is none.
struct DeviceSurvey {
  bool found = false;
  std::string name;
  VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  std::string problem;  ///< set when !found: no loader/driver, no device, or why each device is unusable
};

/// Looks for devices with a temporary instance; never throws.
DeviceSurvey survey_devices();

class Context {
 public:
  /// The process-wide context, created on first use and kept until the process ends (so pipelines compile
  /// once and the driver stays loaded, which lets leak checkers name its allocations). Throws
  /// penumbra::Error saying why when there is no Vulkan driver or no usable device.
  static std::shared_ptr<Context> shared();

  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  VkDevice device() const { return device_; }
  uint32_t queue_family() const { return queue_family_; }
  const std::string& device_name() const { return device_name_; }
  VkPhysicalDeviceType device_type() const { return device_type_; }
  /// The other usable devices, "<name> (<type>), ...", or empty.
  const std::string& other_devices() const { return other_devices_; }
  ComputePipelines& pipelines() const { return *pipelines_; }

  /// A memory type allowed by `type_bits` with all `required` flags, preferring one that also has
  /// `preferred`; throws penumbra::Error when none has the required flags.
  uint32_t memory_type(uint32_t type_bits, VkMemoryPropertyFlags required,
                       VkMemoryPropertyFlags preferred) const;

  /// Submits one command buffer signalling `fence`; the queue is shared, so submissions are serialised.
  void submit(VkCommandBuffer commands, VkFence fence);

 private:
  Context();
  void release();

  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_device_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queue_family_ = 0;
  std::string device_name_;
  VkPhysicalDeviceType device_type_ = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  std::string other_devices_;
  VkPhysicalDeviceMemoryProperties memory_properties_{};
  std::unique_ptr<ComputePipelines> pipelines_;
  std::mutex queue_mutex_;
};

}  // namespace penumbra::detail::vulkan
