#pragma once
// What the Vulkan validation layers reported in this process. The layers are enabled when the environment
// sets PENUMBRA_VULKAN_VALIDATION=1 (the tests do); every warning and error they send is recorded here so
// that tests can require that there were none.
#include <cstddef>
#include <string>
#include <vector>

namespace penumbra::detail::vulkan {

/// True when PENUMBRA_VULKAN_VALIDATION=1: contexts then enable VK_LAYER_KHRONOS_validation.
bool validation_requested();

/// Records one message (called by the debug messenger).
void record_validation_message(std::string message);

/// Number of validation warnings and errors recorded so far.
std::size_t validation_message_count();

/// The recorded messages, oldest first.
std::vector<std::string> validation_messages();

}  // namespace penumbra::detail::vulkan
