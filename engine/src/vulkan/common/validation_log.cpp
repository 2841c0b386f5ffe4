#include "validation_log.h"

#include <cstdlib>
#include <mutex>
#include <string_view>

namespace penumbra::detail::vulkan {
namespace {

struct Log {
  std::mutex mutex;
  std::vector<std::string> messages;
};

Log& log() {
  static Log instance;
  return instance;
}

}  // namespace

bool validation_requested() {
  const char* value = std::getenv("PENUMBRA_VULKAN_VALIDATION");
  return value != nullptr && std::string_view(value) == "1";
}

void record_validation_message(std::string message) {
  Log& l = log();
  std::lock_guard lock(l.mutex);
  l.messages.push_back(std::move(message));
}

std::size_t validation_message_count() {
  Log& l = log();
  std::lock_guard lock(l.mutex);
  return l.messages.size();
}

std::vector<std::string> validation_messages() {
  Log& l = log();
  std::lock_guard lock(l.mutex);
  return l.messages;
}

}  // namespace penumbra::detail::vulkan
