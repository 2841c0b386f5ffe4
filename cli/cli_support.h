#pragma once
// Shared helpers of the sub-commands: usage errors, the exit-code convention and output folders.
#include <filesystem>
#include <string>
#include <system_error>

namespace penumbra::cli {

/// Exit code of every usage or input error (bad flag, bad file, bad setting).
inline constexpr int kUsageErrorExit = 2;

/// Thrown by commands for a bad argument; main() prints it as one line and exits with kUsageErrorExit.
struct UsageError {
  std::string message;
};

/// Creates `folder` and its parents if missing; a failure (a file in the way, no permission) is a usage error
/// naming `flag`.
inline void create_output_folder(const std::filesystem::path& folder, const std::string& flag) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error)
    throw UsageError{"cannot create " + flag + " folder " + folder.string() + ": " + error.message()};
}

}  // namespace penumbra::cli
