#pragma once
// Runs the penumbra command line in a shell and captures its exit code, stdout and stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace penumbra::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs `PENUMBRA_CLI arguments` (arguments are passed to the shell as written).
inline CommandResult run_penumbra(const std::string& arguments) {
  static int counter = 0;
  const auto base = std::filesystem::temp_directory_path() /
                    ("penumbra_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string command = std::string(PENUMBRA_CLI) + " " + arguments + " > " + base.string() +
                              ".out 2> " + base.string() + ".err";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(base.string() + ".out");
  result.err = read_text(base.string() + ".err");
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
  return result;
}

}  // namespace penumbra::test
