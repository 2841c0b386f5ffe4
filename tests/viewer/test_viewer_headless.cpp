// penumbra-viewer end to end: under Xvfb on lavapipe with the Khronos validation layer, a small fit for a few
// hundred frames, resized halfway. Oracles: exit code 0, no validation message, a screenshot of the new window
// size (so the swapchain was rebuilt) that is not a single colour, and a loss that went down. Also the expected failures: no display, bad arguments (exit 2).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "command_line.h"
#include "penumbra/image.h"

namespace penumbra::test {

namespace {

bool have_xvfb() { return std::system("command -v xvfb-run > /dev/null 2>&1") == 0; }

TEST(ViewerHeadless, FitsUnderXvfbWithValidationAndSavesAScreenshot) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt install xvfb)";
  const auto screenshot =
      std::filesystem::temp_directory_path() / ("penumbra_viewer_" + std::to_string(::getpid()) + ".png");
  const CommandResult run = run_shell(
      "PENUMBRA_VULKAN_VALIDATION=1 "
      "xvfb-run -a -s '-screen 0 1280x800x24' " PENUMBRA_VIEWER
      " --template icosphere:2 --size 40 --views 6 --window-width 1024 --window-height 640"
      " --headless-frames 200 --headless-resize 960 600 --screenshot " +
      screenshot.string());
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.err.find("vulkan:"), std::string::npos) << run.err;

  std::smatch match;
  const std::regex report(
      R"(steps=(\d+) first_loss=([0-9.]+) last_loss=([0-9.]+) validation_messages=(\d+))");
  ASSERT_TRUE(std::regex_search(run.out, match, report)) << run.out;
  EXPECT_GE(std::stoi(match[1]), 5) << "the fit barely ran: " << run.out;
  EXPECT_LT(std::stod(match[3]), std::stod(match[2])) << run.out;
  EXPECT_EQ(std::stoi(match[4]), 0);

  const penumbra::Images image = penumbra::load_image(screenshot);
  std::filesystem::remove(screenshot);
  // Resized halfway: the swapchain was rebuilt for the new size.
  EXPECT_EQ(image.width, 960);
  EXPECT_EQ(image.height, 600);
  bool varied = false;
  for (std::size_t i = 4; i < image.rgba.size() && !varied; ++i) varied = image.rgba[i] != image.rgba[i % 4];
  EXPECT_TRUE(varied) << "the screenshot is a single colour";
}

TEST(ViewerHeadless, NoDisplayIsExitCodeTwoWithAReason) {
  const CommandResult run =
      run_shell("env -u DISPLAY -u WAYLAND_DISPLAY " PENUMBRA_VIEWER " --headless-frames 1");
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("no display"), std::string::npos) << run.err;
}

TEST(ViewerHeadless, BadArgumentsAreExitCodeTwo) {
  EXPECT_EQ(run_shell(PENUMBRA_VIEWER " --backend warp").exit_code, 2);
  EXPECT_EQ(run_shell(PENUMBRA_VIEWER " --distribution nonsense").exit_code, 2);
  EXPECT_EQ(run_shell(PENUMBRA_VIEWER " --screenshot out.png").exit_code, 2);
  EXPECT_EQ(run_shell(PENUMBRA_VIEWER " --target-images somewhere").exit_code, 2);
}

}  // namespace

}  // namespace penumbra::test
