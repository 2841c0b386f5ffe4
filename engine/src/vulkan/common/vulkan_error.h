#pragma once
// VkResult failures as penumbra::Error: the call that failed, what the result means and what to do.
#include <vulkan/vulkan.h>

#include <string_view>

namespace penumbra::detail::vulkan {

/// Who makes the Vulkan calls, for the error's `where`, and what the user can fall back to (empty if nothing).
struct Caller {
  std::string_view where;
  std::string_view fallback;
};

/// The Vulkan compute backend, which can always fall back to the CPU.
inline constexpr Caller kBackend{"Vulkan backend", "use --backend cpu"};

/// The enumerator's name, e.g. "VK_ERROR_DEVICE_LOST".
std::string_view result_name(VkResult result);

/// Throws penumbra::Error naming `call` and the result unless the result is VK_SUCCESS.
void check(VkResult result, std::string_view call, const Caller& caller = kBackend);

}  // namespace penumbra::detail::vulkan
