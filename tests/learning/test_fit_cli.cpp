// `penumbra fit` and `penumbra pose` end to end: bad inputs give one clear line and exit code 2 with no
// result, a stopped and resumed fit ends bit for bit where an uninterrupted one does (batches:
// test_batch_cli.cpp).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "fit_test_meshes.h"

namespace penumbra {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

Outcome run_cli(const std::string& arguments) {
  const std::string command = std::string(PENUMBRA_CLI) + " " + arguments + " 2>&1";
  Outcome outcome;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  char buffer[512];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) outcome.output += buffer;
  const int status = pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

fs::path write_cube(const fs::path& folder) {
  const Mesh cube = test::cube_mesh();
  std::string obj;
  for (const auto& p : cube.positions)
    obj += "v " + std::to_string(p.x) + " " + std::to_string(p.y) + " " + std::to_string(p.z) + "\n";
  for (const auto& t : cube.triangles)
    obj +=
        "f " + std::to_string(t.x + 1) + " " + std::to_string(t.y + 1) + " " + std::to_string(t.z + 1) + "\n";
  write_text(folder / "cube.obj", obj);
  return folder / "cube.obj";
}

const std::string kTwoCameras = R"([{"eye": [0, 0, -3], "fov": 40}, {"eye": [3, 0, 0], "fov": 40}])";

class FitCliBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = test::fresh_folder(::testing::UnitTest::GetInstance()->current_test_info()->name());
    cube_ = write_cube(folder_);
    fs::create_directories(folder_ / "images");
    const Outcome render = run_cli("render --mesh " + cube_.string() + " --size 16x16 --views 2 --out " +
                                   (folder_ / "images" / "view.png").string());
    ASSERT_EQ(render.exit_code, 0) << render.output;
    write_text(folder_ / "cameras.json", kTwoCameras);
  }

  // Runs fit on the image folder and expects exit code 2, one line naming `named`, and no result.
  void expect_rejected(const std::string& cameras, const std::string& named, const std::string& extra = "") {
    const fs::path out = folder_ / "out";
    const Outcome outcome = run_cli("fit --target-images " + (folder_ / "images").string() + " --cameras " +
                                    cameras + " --iters 2 --quiet --out " + out.string() + extra);
    EXPECT_EQ(outcome.exit_code, 2) << outcome.output;
    EXPECT_NE(outcome.output.find(named), std::string::npos) << outcome.output;
    EXPECT_EQ(std::count(outcome.output.begin(), outcome.output.end(), '\n'), 1) << outcome.output;
    EXPECT_FALSE(fs::exists(out / "result.obj"));
  }

  fs::path folder_, cube_;
};

TEST_F(FitCliBadInput, MissingCameraFile) { expect_rejected((folder_ / "nope.json").string(), "nope.json"); }

TEST_F(FitCliBadInput, MalformedCameraFile) {
  write_text(folder_ / "broken.json", R"([{"eye": [0, 0, -3], "fov": 40}, {"eye": [3, 0)");
  expect_rejected((folder_ / "broken.json").string(), "broken.json");
}

TEST_F(FitCliBadInput, NaNInCameraFile) {
  write_text(folder_ / "nan.json", R"([{"eye": [0, 0, -3]}, {"eye": [NaN, 0, 0]}])");
  expect_rejected((folder_ / "nan.json").string(), "nan.json, camera 1");
  write_text(folder_ / "inf.json", R"([{"eye": [0, 0, -3]}, {"eye": [1e999, 0, 0]}])");
  expect_rejected((folder_ / "inf.json").string(), "inf.json");
}

TEST_F(FitCliBadInput, MoreCamerasThanImages) {
  write_text(folder_ / "three.json", R"([{"eye": [0, 0, -3]}, {"eye": [3, 0, 0]}, {"eye": [0, 3, 0.1]}])");
  expect_rejected((folder_ / "three.json").string(), "three.json, camera 2");
}

TEST_F(FitCliBadInput, ImagesOfDifferentSizes) {
  const Outcome render = run_cli("render --mesh " + cube_.string() + " --size 8x8 --out " +
                                 (folder_ / "images" / "view_001.png").string());
  ASSERT_EQ(render.exit_code, 0) << render.output;
  expect_rejected((folder_ / "cameras.json").string(), "view_001.png");
}

TEST_F(FitCliBadInput, UnreadablePng) {
  write_text(folder_ / "images" / "view_001.png", "this is not a PNG");
  expect_rejected((folder_ / "cameras.json").string(), "view_001.png");
}

TEST_F(FitCliBadInput, NonManifoldTemplate) {
  write_text(folder_ / "fan.obj",
             "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 -1 0\nv 0 0 1\nf 1 2 3\nf 2 1 4\nf 1 2 5\n");
  expect_rejected((folder_ / "cameras.json").string(), "edge 0-1",
                  " --template " + (folder_ / "fan.obj").string());
}

TEST(FitCli, StoppedAndResumedFitEndsBitForBitWhereAnUninterruptedOneDoes) {
  const fs::path folder = test::fresh_folder("cli_resume");
  const fs::path cube = write_cube(folder);
  const std::string common =
      "fit --target-mesh " + cube.string() +
      " --template icosphere:1 --size 24 --views 6 --held-out 2 --iters 12 --checkpoint-every 4 "
      "--fit-colors --quiet --seed 5 --out ";
  const Outcome whole = run_cli(common + (folder / "whole").string());
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  const Outcome stopped = run_cli(common + (folder / "parts").string() + " --stop-after 7");
  ASSERT_EQ(stopped.exit_code, 0) << stopped.output;
  EXPECT_FALSE(fs::exists(folder / "parts" / "result.obj"));
  const Outcome resumed = run_cli("fit --quiet --resume " + (folder / "parts").string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(read_bytes(folder / "whole" / "checkpoint.bin"), read_bytes(folder / "parts" / "checkpoint.bin"));
  EXPECT_EQ(read_bytes(folder / "whole" / "result.obj"), read_bytes(folder / "parts" / "result.obj"));
  EXPECT_EQ(read_bytes(folder / "whole" / "loss.csv"), read_bytes(folder / "parts" / "loss.csv"));
  for (const char* file : {"metrics.json", "loss.png", "config.json"})
    EXPECT_TRUE(fs::exists(folder / "whole" / file));
}

TEST(PoseCli, WritesTheSuccessRatePerRange) {
  const fs::path folder = test::fresh_folder("cli_pose");
  const fs::path cube = write_cube(folder);
  const Outcome pose = run_cli("pose --mesh " + cube.string() +
                               " --trials 1 --steps 3 --size 16 --quiet --out " + (folder / "pose").string());
  ASSERT_EQ(pose.exit_code, 0) << pose.output;
  EXPECT_NE(pose.output.find("start 55-75 deg"), std::string::npos) << pose.output;
  EXPECT_TRUE(fs::exists(folder / "pose" / "pose.json"));
}

}  // namespace
}  // namespace penumbra
