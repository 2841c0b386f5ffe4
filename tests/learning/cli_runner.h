#pragma once
// Runs the `penumbra` command line from the fit and batch tests, and small file helpers they share.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace penumbra::test {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `prefix penumbra arguments` in a shell (prefix: environment variables or a wrapper such as taskset).
inline Outcome run_cli(const std::string& arguments, const std::string& prefix = "") {
  const std::string command = prefix + " " + std::string(PENUMBRA_CLI) + " " + arguments + " 2>&1";
  Outcome outcome;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  char buffer[512];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) outcome.output += buffer;
  const int status = pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace penumbra::test
