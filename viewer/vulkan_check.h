#pragma once
// Every VkResult of the viewer goes through check(), the engine's (vulkan_error.h): failures become
// penumbra::Error naming the call.
#include <string>
#include <string_view>
#include <utility>

#include <vulkan/vulkan.h>

#include "penumbra/error.h"
#include "vulkan_error.h"

namespace penumbra::viewer {

/// The viewer names itself in errors and has nothing to fall back to.
inline constexpr detail::vulkan::Caller kViewerCaller{"penumbra-viewer", ""};

/// The environment cannot show the viewer at all (no display, no Vulkan device): an expected outcome,
/// reported with its reason and exit code 2.
class Unavailable : public Error {
 public:
  Unavailable(std::string what, std::string hint) : Error(std::move(what), "", std::move(hint)) {}
};

/// Throws penumbra::Error naming `call` and the result code unless `result` is VK_SUCCESS.
inline void check(VkResult result, std::string_view call) {
  detail::vulkan::check(result, call, kViewerCaller);
}

using detail::vulkan::result_name;

}  // namespace penumbra::viewer
