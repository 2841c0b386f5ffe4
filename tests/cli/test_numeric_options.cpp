// Every floating-point option of every command, read from the command's own --help (so a new option cannot be
// forgotten), refuses NaN, infinities and absurd magnitudes with exit code 2 and one line naming the option
// and its range.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "command_line.h"

namespace penumbra::test {
namespace {

std::vector<std::string> commands() {
  const CommandResult help = run_penumbra("--help");
  std::vector<std::string> names;
  std::istringstream lines(help.out);
  std::string line;
  bool listing = false;
  const std::regex command(R"(^  ([a-z][a-z-]*)\s)");
  while (std::getline(lines, line)) {
    if (line.rfind("Subcommands:", 0) == 0) listing = true;
    std::smatch match;
    if (listing && std::regex_search(line, match, command)) names.push_back(match[1]);
  }
  return names;
}

std::vector<std::string> float_options(const std::string& command) {
  const CommandResult help = run_penumbra(command + " --help");
  std::vector<std::string> names;
  const std::regex option(R"((--[a-z][a-z-]*) FLOAT)");
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), option), end; it != end; ++it)
    names.push_back((*it)[1]);
  return names;
}

TEST(NumericOptions, EveryFloatOptionRefusesNonFiniteAndAbsurdValues) {
  const std::vector<std::string> names = commands();
  ASSERT_GE(names.size(), 10u) << "the command list was not found in --help";
  int checked = 0;
  for (const std::string& command : names) {
    for (const std::string& option : float_options(command)) {
      for (const char* value : {"nan", "inf", "-inf", "1e300", "-1e300"}) {
        const CommandResult result = run_penumbra(command + " " + option + " " + value);
        EXPECT_EQ(result.exit_code, 2) << command << " " << option << " " << value << ": " << result.output();
        EXPECT_NE(result.err.find(option + ": "), std::string::npos)
            << command << " " << option << " " << value << ": " << result.err;
        EXPECT_NE(result.err.find("finite number in ["), std::string::npos) << result.err;
        EXPECT_EQ(result.line_count(), 1) << result.output();
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 40) << "fewer float options than the commands declare";
}

}  // namespace
}  // namespace penumbra::test
