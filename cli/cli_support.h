#pragma once
// Shared helpers of the sub-commands: usage errors and the exit-code convention.
#include <string>

namespace penumbra::cli {

/// Exit code of every usage or input error (bad flag, bad file, bad setting).
inline constexpr int kUsageErrorExit = 2;

/// Thrown by commands for a bad argument; main() prints it as one line and exits with kUsageErrorExit.
struct UsageError {
  std::string message;
};

}  // namespace penumbra::cli
