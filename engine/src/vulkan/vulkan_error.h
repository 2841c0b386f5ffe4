#pragma once
// VkResult failures as penumbra::Error: the call that failed, what the result means and what to do.
#include <vulkan/vulkan.h>

#include <string_view>

namespace penumbra::detail::vulkan {

/// The enumerator's name, e.g. "VK_ERROR_DEVICE_LOST".
std::string_view result_name(VkResult result);

/// Throws penumbra::Error naming `call` and the result unless the result is VK_SUCCESS.
void check(VkResult result, std::string_view call);

}  // namespace penumbra::detail::vulkan
