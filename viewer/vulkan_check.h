#pragma once
// Every VkResult of the viewer goes through check(); failures become exceptions naming the call.
#include <stdexcept>
#include <string>

#include <vulkan/vulkan.h>

namespace penumbra::viewer {

/// The environment cannot show the viewer at all (no display, no Vulkan device): an expected outcome,
/// reported with its reason and exit code 2.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws std::runtime_error naming `what` and the result code unless `result` is VK_SUCCESS.
void check(VkResult result, const char* what);

/// The enumerator's name ("VK_ERROR_DEVICE_LOST"), or its number for codes this build does not know.
std::string result_name(VkResult result);

}  // namespace penumbra::viewer
