#pragma once
// Shared by the Vulkan backend's tests: a fixture that turns the validation layers on and fails on any
// message they send, skips when no Vulkan device exists at all, and compares the Vulkan backend with the
// CPU reference under the tolerances the issue states.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <vulkan/vulkan.h>

#include "backend_parity.h"
#include "penumbra/error.h"
#include "penumbra/renderer.h"
#include "validation_log.h"

namespace penumbra::test {

/// The loader unloads the driver with the last VkInstance; LeakSanitizer then reports what the driver's
/// globals still held as leaks from an unknown module, which no suppression in tests/lsan.supp can name.
/// One instance kept for the whole test process keeps the driver loaded and that memory reachable.
inline void keep_vulkan_driver_loaded() {
  static const bool kept = [] {
    VkInstanceCreateInfo info{};
    info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
    VkInstance instance = VK_NULL_HANDLE;
    return vkCreateInstance(&info, nullptr, &instance) == VK_SUCCESS;
  }();
  static_cast<void>(kept);  // without a driver there is nothing to keep loaded
}

class VulkanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keep_vulkan_driver_loaded();
    setenv("PENUMBRA_VULKAN_VALIDATION", "1", 1);
    messages_before_ = detail::vulkan::validation_message_count();
    try {
      Renderer probe(Backend::vulkan);
    } catch (const Error& error) {
      GTEST_SKIP() << "no Vulkan device: " << error.what();
    }
  }
  void TearDown() override {
    const std::vector<std::string> messages = detail::vulkan::validation_messages();
    std::string text;
    for (std::size_t i = messages_before_; i < messages.size(); ++i) text += messages[i] + "\n";
    EXPECT_EQ(messages.size(), messages_before_) << "validation messages:\n" << text;
  }

 private:
  std::size_t messages_before_ = 0;
};

}  // namespace penumbra::test
