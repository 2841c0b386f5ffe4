#include "vulkan/vulkan_context.h"

#include <algorithm>
#include <optional>

#include "penumbra/error.h"
#include "validation_log.h"
#include "vulkan_error.h"
#include "vulkan_instance.h"

namespace penumbra::detail::vulkan {
namespace {

/// Creates an instance for Vulkan 1.2, with the validation layer and a messenger when `validate`.
VkInstance open_instance(bool validate) {
  InstanceRequest request;
  request.validate = validate;
  VkInstance instance = VK_NULL_HANDLE;
  const VkResult result = vulkan::create_instance(request, instance);
  if (result == VK_ERROR_INCOMPATIBLE_DRIVER || result == VK_ERROR_INITIALIZATION_FAILED) {
    throw Error("no Vulkan 1.2 driver found (vkCreateInstance: " + std::string(result_name(result)) + ")",
                "Vulkan backend",
                "install a Vulkan driver (for example Mesa's lavapipe), or use --backend cpu");
  }
  check(result, "vkCreateInstance");
  return instance;
}

struct Candidate {
  VkPhysicalDevice handle = VK_NULL_HANDLE;
  std::string name;
  VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  uint32_t queue_family = 0;
};

/// The most preferred usable device; `problem` collects why devices were refused and `others` names the
/// usable devices not chosen.
bool choose_device(VkInstance instance, Candidate& chosen, std::string& problem, std::string& others) {
  uint32_t count = 0;
  check(vkEnumeratePhysicalDevices(instance, &count, nullptr), "vkEnumeratePhysicalDevices");
  std::vector<VkPhysicalDevice> devices(count);
  check(vkEnumeratePhysicalDevices(instance, &count, devices.data()), "vkEnumeratePhysicalDevices");
  if (devices.empty()) problem = "the Vulkan driver reports no device";
  std::vector<Candidate> usable;
  for (VkPhysicalDevice device : devices) {
    VkPhysicalDeviceProperties properties{};
    vkGetPhysicalDeviceProperties(device, &properties);
    VkPhysicalDeviceVulkan12Features features12{};
    features12.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES;
    VkPhysicalDeviceFeatures2 features{};
    features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
    features.pNext = &features12;
    Candidate candidate{device, properties.deviceName, properties.deviceType, 0};
    std::string refusal;
    if (properties.apiVersion < VK_API_VERSION_1_2) {
      refusal = "supports only Vulkan " + std::to_string(VK_API_VERSION_MAJOR(properties.apiVersion)) + "." +
                std::to_string(VK_API_VERSION_MINOR(properties.apiVersion));
    } else {
      vkGetPhysicalDeviceFeatures2(device, &features);
      uint32_t families = 0;
      vkGetPhysicalDeviceQueueFamilyProperties(device, &families, nullptr);
      std::vector<VkQueueFamilyProperties> family_properties(families);
      vkGetPhysicalDeviceQueueFamilyProperties(device, &families, family_properties.data());
      const auto compute =
          std::find_if(family_properties.begin(), family_properties.end(),
                       [](const auto& f) { return (f.queueFlags & VK_QUEUE_COMPUTE_BIT) != 0; });
      if (features12.bufferDeviceAddress != VK_TRUE)
        refusal = "lacks buffer device addresses";
      else if (compute == family_properties.end())
        refusal = "has no compute queue";
      else
        candidate.queue_family = static_cast<uint32_t>(compute - family_properties.begin());
    }
    if (!refusal.empty()) {
      problem += (problem.empty() ? "" : "; ") + candidate.name + " " + refusal;
      continue;
    }
    usable.push_back(candidate);
  }
  if (usable.empty()) return false;
  // The first of the most preferred type wins.
  chosen = *std::max_element(usable.begin(), usable.end(), [](const Candidate& a, const Candidate& b) {
    return device_preference(a.type) < device_preference(b.type);
  });
  for (const Candidate& candidate : usable) {
    if (candidate.handle == chosen.handle) continue;
    others += (others.empty() ? "" : ", ") + candidate.name + " (" + device_type_name(candidate.type) + ")";
  }
  return true;
}

}  // namespace

std::string device_type_name(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return "cpu";
    default:
      return "other";
  }
}

bool is_gpu(VkPhysicalDeviceType type) { return device_preference(type) >= 2; }

DeviceSurvey survey_devices() {
  DeviceSurvey survey;
  VkInstance instance = VK_NULL_HANDLE;
  try {
    instance = open_instance(false);
    Candidate chosen;
    std::string others;
    survey.found = choose_device(instance, chosen, survey.problem, others);
    survey.name = chosen.name;
    survey.type = chosen.type;
  } catch (const Error& error) {
    survey.found = false;
    survey.problem = error.problem();
  }
  if (instance != VK_NULL_HANDLE) vkDestroyInstance(instance, nullptr);
  return survey;
}

std::shared_ptr<Context> Context::shared() {
  static std::mutex mutex;
  // Deliberately never destroyed: unloading the driver at exit would turn its internal allocations into
  // leaks of an unknown module that no sanitizer suppression can name. The OS reclaims it all at exit.
  static auto* current = new std::shared_ptr<Context>();
  std::lock_guard lock(mutex);
  if (!*current) current->reset(new Context());
  return *current;
}

Context::Context() {
  try {
    const bool validate = validation_requested();
    instance_ = open_instance(validate);
    if (validate) messenger_ = create_messenger(instance_);
    Candidate chosen;
    std::string problem;
    if (!choose_device(instance_, chosen, problem, other_devices_)) {
      throw Error("no usable Vulkan device: " + problem, "Vulkan backend",
                  "the Vulkan backend needs Vulkan 1.2 with buffer device addresses; use --backend cpu");
    }
    physical_device_ = chosen.handle;
    device_name_ = chosen.name;
    device_type_ = chosen.type;
    queue_family_ = chosen.queue_family;
    vkGetPhysicalDeviceMemoryProperties(physical_device_, &memory_properties_);

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queue_info{};
    queue_info.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
    queue_info.queueFamilyIndex = queue_family_;
    queue_info.queueCount = 1;
    queue_info.pQueuePriorities = &priority;
    VkPhysicalDeviceVulkan12Features features12{};
    features12.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES;
    features12.bufferDeviceAddress = VK_TRUE;
    VkDeviceCreateInfo device_info{};
    device_info.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
    device_info.pNext = &features12;
    device_info.queueCreateInfoCount = 1;
    device_info.pQueueCreateInfos = &queue_info;
    check(vkCreateDevice(physical_device_, &device_info, nullptr, &device_), "vkCreateDevice");
    vkGetDeviceQueue(device_, queue_family_, 0, &queue_);
    pipelines_ = std::make_unique<ComputePipelines>(device_);
  } catch (...) {
    release();
    throw;
  }
}

Context::~Context() { release(); }

void Context::release() {
  pipelines_.reset();
  if (device_ != VK_NULL_HANDLE) vkDestroyDevice(device_, nullptr);
  device_ = VK_NULL_HANDLE;
  destroy_messenger(instance_, messenger_);
  messenger_ = VK_NULL_HANDLE;
  if (instance_ != VK_NULL_HANDLE) vkDestroyInstance(instance_, nullptr);
  instance_ = VK_NULL_HANDLE;
}

uint32_t Context::memory_type(uint32_t type_bits, VkMemoryPropertyFlags required,
                              VkMemoryPropertyFlags preferred) const {
  const std::optional<uint32_t> type = find_memory_type(memory_properties_, type_bits, required, preferred);
  if (!type) {
    throw Error("no Vulkan memory type with the required properties", "Vulkan backend (" + device_name_ + ")",
                "this device cannot run the Vulkan backend; use --backend cpu");
  }
  return *type;
}

void Context::submit(VkCommandBuffer commands, VkFence fence) {
  VkSubmitInfo info{};
  info.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  info.commandBufferCount = 1;
  info.pCommandBuffers = &commands;
  std::lock_guard lock(queue_mutex_);
  check(vkQueueSubmit(queue_, 1, &info, fence), "vkQueueSubmit");
}

}  // namespace penumbra::detail::vulkan
