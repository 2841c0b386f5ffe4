#pragma once
// Runs commands in a shell from the end-to-end tests (the penumbra command, the viewer under Xvfb) and
// captures their exit code, stdout and stderr; small file helpers they share.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace penumbra::test {

struct CommandResult {
  int exit_code = -1;  ///< 128 + the signal when a signal ended it
  std::string out;
  std::string err;

  /// stdout, then stderr.
  std::string output() const { return out + err; }
  /// Lines written to stdout and stderr together.
  long line_count() const {
    return std::count(out.begin(), out.end(), '\n') + std::count(err.begin(), err.end(), '\n');
  }
};

/// The whole file, byte for byte ("" when it cannot be read).
inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

/// Runs `command` in a shell (as written: quoting, redirections and variables work).
inline CommandResult run_shell(const std::string& command) {
  static int counter = 0;
  const std::filesystem::path base =
      std::filesystem::temp_directory_path() /
      ("penumbra_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string out = base.string() + ".out", err = base.string() + ".err";
  const int status = std::system(("(" + command + ") > " + out + " 2> " + err).c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_bytes(out);
  result.err = read_bytes(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return result;
}

/// Runs `prefix penumbra arguments`; `prefix` is environment variables or a wrapper such as taskset.
inline CommandResult run_penumbra(const std::string& arguments, const std::string& prefix = "") {
  return run_shell(prefix + " " + std::string(PENUMBRA_CLI) + " " + arguments);
}

}  // namespace penumbra::test
