// The Vulkan code the compute backend and the viewer share, without a device. Oracles: the error names the
// call, the result and the caller, with the caller's fallback in the hint; memory types chosen by hand.
#include <gtest/gtest.h>

#include <string>

#include "penumbra/error.h"
#include "vulkan_error.h"
#include "vulkan_instance.h"

namespace penumbra::test {
namespace {

using namespace detail::vulkan;

Error thrown_by(VkResult result, const Caller& caller) {
  try {
    check(result, "vkQueueSubmit", caller);
  } catch (const Error& error) {
    return error;
  }
  return Error("", "", "");
}

TEST(VulkanCommon, CheckNamesTheCallTheResultAndTheCaller) {
  EXPECT_NO_THROW(check(VK_SUCCESS, "vkQueueSubmit"));
  const Error backend = thrown_by(VK_ERROR_DEVICE_LOST, kBackend);
  EXPECT_NE(backend.problem().find("vkQueueSubmit failed with VK_ERROR_DEVICE_LOST (-4)"), std::string::npos)
      << backend.what();
  EXPECT_EQ(backend.where(), "Vulkan backend");
  EXPECT_NE(backend.hint().find("--backend cpu"), std::string::npos) << backend.hint();

  const Error viewer = thrown_by(VK_ERROR_OUT_OF_DATE_KHR, Caller{"penumbra-viewer", ""});
  EXPECT_NE(viewer.problem().find("VK_ERROR_OUT_OF_DATE_KHR"), std::string::npos) << viewer.what();
  EXPECT_EQ(viewer.where(), "penumbra-viewer");
  EXPECT_EQ(viewer.hint().find("--backend"), std::string::npos) << viewer.hint();
}

TEST(VulkanCommon, MemoryTypePrefersThePreferredFlagsAndFallsBack) {
  VkPhysicalDeviceMemoryProperties memory{};
  memory.memoryTypeCount = 3;
  memory.memoryTypes[0].propertyFlags = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
  memory.memoryTypes[1].propertyFlags = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
  memory.memoryTypes[2].propertyFlags =
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
  EXPECT_EQ(find_memory_type(memory, 0b111, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT), 1u);
  EXPECT_EQ(find_memory_type(memory, 0b111, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT,
                             VK_MEMORY_PROPERTY_HOST_CACHED_BIT),
            2u);
  // Type 2 is not allowed: the required flags win over the preferred ones.
  EXPECT_EQ(find_memory_type(memory, 0b011, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT,
                             VK_MEMORY_PROPERTY_HOST_CACHED_BIT),
            1u);
  EXPECT_FALSE(find_memory_type(memory, 0b001, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT).has_value());
}

TEST(VulkanCommon, DevicePreferencePutsGpusBeforeTheCpu) {
  EXPECT_GT(device_preference(VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU),
            device_preference(VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU));
  EXPECT_GT(device_preference(VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU),
            device_preference(VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU));
  EXPECT_GT(device_preference(VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU),
            device_preference(VK_PHYSICAL_DEVICE_TYPE_CPU));
  EXPECT_GT(device_preference(VK_PHYSICAL_DEVICE_TYPE_CPU), device_preference(VK_PHYSICAL_DEVICE_TYPE_OTHER));
}

}  // namespace
}  // namespace penumbra::test
