#pragma once
// The one check of every numeric option: a finite number within the option's range. The range shows in
// --help and in the error, and options read back from JSON (fit batches, config.json) pass the same check,
// because they are parsed by the same declarations.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

namespace penumbra::cli {

/// The largest seed: every 64-bit value.
inline constexpr double kMaxSeed = 18446744073709551615.0;

/// Accepts numbers in [low, high] and refuses anything else, NaN and infinities included; a list option checks
/// each element. CLI11 reports the refusal as "--name: VALUE is not a finite number in [low, high]" (exit 2).
inline CLI::Validator in_range(double low, double high) {
  char range[96];
  std::snprintf(range, sizeof(range), "[%g, %g]", low, high);
  const std::string text_range = range;
  return CLI::Validator(
      [low, high, text_range](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const double value = std::strtod(text.c_str(), &end);
        const bool parsed = end != text.c_str() && *end == '\0' && errno != ERANGE;
        if (parsed && std::isfinite(value) && value >= low && value <= high) return {};
        return text + " is not a finite number in " + text_range;
      },
      "in " + text_range);
}

}  // namespace penumbra::cli
