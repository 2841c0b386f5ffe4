#include "cli_support.h"

#include <charconv>

namespace penumbra::cli {

void parse_size(const std::string& text, const std::string& flag, int& width, int& height) {
  const auto x = text.find('x');
  auto parse = [&](std::string_view part, int& value) {
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    return error == std::errc() && end == part.data() + part.size();
  };
  if (x == std::string::npos || !parse(std::string_view(text).substr(0, x), width) ||
      !parse(std::string_view(text).substr(x + 1), height)) {
    throw UsageError{flag + " '" + text + "' is not WIDTHxHEIGHT; write it like 256x256"};
  }
}

}  // namespace penumbra::cli
