// `penumbra fit` and `penumbra pose` end to end: bad inputs give one clear line and exit code 2 with no
// result, a stopped and resumed fit ends bit for bit where an uninterrupted one does (batches:
// test_batch_cli.cpp), JPEG photos with masks fit, and the results lie in the target's own frame.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "penumbra/data/camera_file.h"
#include "command_line.h"
#include "fit_test_meshes.h"
#include "penumbra/learning/metrics.h"
#include "penumbra/image.h"
#include "penumbra/mesh.h"
#include <nlohmann/json.hpp>

namespace penumbra::test {
namespace {

namespace fs = std::filesystem;

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
    const CommandResult render =
        run_penumbra("render --mesh " + cube_.string() + " --size 16x16 --views 2 --out " +
                     (folder_ / "images" / "view.png").string());
    ASSERT_EQ(render.exit_code, 0) << render.output();
    write_text(folder_ / "cameras.json", kTwoCameras);
  }

  // Runs fit on the image folder and expects exit code 2, one line naming `named`, and no result.
  void expect_rejected(const std::string& cameras, const std::string& named, const std::string& extra = "") {
    const fs::path out = folder_ / "out";
    const CommandResult outcome =
        run_penumbra("fit --target-images " + (folder_ / "images").string() + " --cameras " + cameras +
                     " --iters 2 --quiet --out " + out.string() + extra);
    EXPECT_EQ(outcome.exit_code, 2) << outcome.output();
    EXPECT_NE(outcome.output().find(named), std::string::npos) << outcome.output();
    EXPECT_EQ(outcome.line_count(), 1) << outcome.output();
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
  const CommandResult render = run_penumbra("render --mesh " + cube_.string() + " --size 8x8 --out " +
                                            (folder_ / "images" / "view_001.png").string());
  ASSERT_EQ(render.exit_code, 0) << render.output();
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

TEST_F(FitCliBadInput, PhotosWithoutAlphaOrMask) {
  fs::remove_all(folder_ / "images");
  fs::create_directories(folder_ / "images");
  const CommandResult render =
      run_penumbra("render --mesh " + cube_.string() + " --size 16x16 --views 2 --out " +
                   (folder_ / "images" / "view.jpg").string());
  ASSERT_EQ(render.exit_code, 0) << render.output();
  expect_rejected((folder_ / "cameras.json").string(), "view_000.jpg");
  expect_rejected((folder_ / "cameras.json").string(), "--masks DIR");
}

TEST_F(FitCliBadInput, MissingMask) {
  fs::create_directories(folder_ / "masks");
  fs::copy_file(folder_ / "images" / "view_000.png", folder_ / "masks" / "view_000.png");
  expect_rejected((folder_ / "cameras.json").string(), "no mask for image view_001.png",
                  " --masks " + (folder_ / "masks").string());
}

TEST_F(FitCliBadInput, MaskOfTheWrongSize) {
  fs::create_directories(folder_ / "masks");
  fs::copy_file(folder_ / "images" / "view_000.png", folder_ / "masks" / "view_000.png");
  save_png(Images(1, 8, 8), 0, folder_ / "masks" / "view_001.png");
  expect_rejected((folder_ / "cameras.json").string(), "mask is 8x8 but its image is 16x16",
                  " --masks " + (folder_ / "masks").string());
}

TEST(FitCli, JpegPhotosWithMasksConverge) {
  const fs::path folder = test::fresh_folder("cli_jpeg");
  const fs::path cube = write_cube(folder);
  fs::create_directories(folder / "photos");
  fs::create_directories(folder / "masks");
  const std::string ring = " --size 32x32 --views 10 --elevation 20 --distance 3 --fov 40 --out ";
  ASSERT_EQ(run_penumbra("render --mesh " + cube.string() + ring + (folder / "photos" / "view.jpg").string())
                .exit_code,
            0);
  ASSERT_EQ(run_penumbra("render --mesh " + cube.string() + ring + (folder / "masks" / "view.png").string())
                .exit_code,
            0);
  const fs::path out = folder / "fit";
  const CommandResult fit =
      run_penumbra("fit --target-images " + (folder / "photos").string() + " --cameras " +
                   (folder / "photos" / "cameras.json").string() + " --masks " + (folder / "masks").string() +
                   " --template icosphere:2 --iters 80 --fit-colors --quiet --out " + out.string());
  ASSERT_EQ(fit.exit_code, 0) << fit.output();
  const nlohmann::json metrics = nlohmann::json::parse(read_bytes(out / "metrics.json"));
  EXPECT_GT(metrics["final"]["held_out_silhouette_iou"].get<double>(), 0.85) << metrics.dump();
  EXPECT_TRUE(metrics["final"]["held_out_distinct_from_training"].get<bool>());
  for (const char* file :
       {"compare.png", "loss.png", "result.ply", "result.obj", "snapshots/final_view_0.png"}) {
    EXPECT_TRUE(fs::exists(out / file)) << file;
  }
  // compare.png: a row per held-out view (10 views hold out 2), target | result | difference.
  const Images compare = load_image(out / "compare.png");
  EXPECT_EQ(compare.width, 3 * 32 + 4);
  EXPECT_EQ(compare.height, 2 * 32 + 2);
  EXPECT_EQ(data::read_camera_file(out / "cameras.json").size(), 10u);
}

TEST(FitCli, ResultsLieInTheTargetsOwnFrame) {
  const fs::path folder = test::fresh_folder("cli_frame");
  Mesh target = test::cube_mesh();
  for (auto& p : target.positions) p = p * 3.0f + glm::vec3(5.0f, -2.0f, 1.0f);
  save_obj(target, folder / "big_cube.obj");
  const fs::path out = folder / "fit";
  const CommandResult fit = run_penumbra(
      "fit --target-mesh " + (folder / "big_cube.obj").string() +
      " --template icosphere:2 --size 24 --views 6 --held-out 2 --iters 20 --quiet --out " + out.string());
  ASSERT_EQ(fit.exit_code, 0) << fit.output();
  const Mesh obj = load_mesh(out / "result.obj"), ply = load_mesh(out / "result.ply");
  ASSERT_EQ(obj.positions.size(), ply.positions.size());
  glm::vec3 low(1e9f), high(-1e9f);
  for (const glm::vec3& p : obj.positions) low = glm::min(low, p), high = glm::max(high, p);
  EXPECT_NEAR(glm::length(0.5f * (low + high) - glm::vec3(5.0f, -2.0f, 1.0f)), 0.0f, 0.3f);
  EXPECT_GT(high.x - low.x, 2.5f);
  const nlohmann::json metrics = nlohmann::json::parse(read_bytes(out / "metrics.json"));
  const auto center = metrics["target_normalization"]["center"].get<std::vector<float>>();
  EXPECT_NEAR(center[0], 5.0f, 1e-4f);
  EXPECT_NEAR(metrics["target_normalization"]["scale"].get<double>(), 1.0 / (1.65 * std::sqrt(3.0)), 1e-5);
  // The reported Chamfer distance is the one between the written result and the file's target.
  const double chamfer = metrics["final"]["chamfer"].get<double>();
  EXPECT_NEAR(learning::chamfer_distance(obj, target), chamfer, 1e-4 * chamfer);
  EXPECT_NEAR(learning::chamfer_distance(ply, target), chamfer, 1e-4 * chamfer);
  // The cameras, in the same frame, look at the target's centre.
  const auto cameras = data::read_camera_file(out / "cameras.json");
  ASSERT_EQ(cameras.size(), 8u);
  EXPECT_NEAR(glm::length(cameras[0].camera.at - glm::vec3(5.0f, -2.0f, 1.0f)), 0.0f, 1e-4f);
}

TEST(FitCli, StoppedAndResumedFitEndsBitForBitWhereAnUninterruptedOneDoes) {
  const fs::path folder = test::fresh_folder("cli_resume");
  const fs::path cube = write_cube(folder);
  const std::string common =
      "fit --target-mesh " + cube.string() +
      " --template icosphere:1 --size 24 --views 6 --held-out 2 --iters 12 --checkpoint-every 4 "
      "--fit-colors --quiet --seed 5 --out ";
  const CommandResult whole = run_penumbra(common + (folder / "whole").string());
  ASSERT_EQ(whole.exit_code, 0) << whole.output();
  const CommandResult stopped = run_penumbra(common + (folder / "parts").string() + " --stop-after 7");
  ASSERT_EQ(stopped.exit_code, 0) << stopped.output();
  EXPECT_FALSE(fs::exists(folder / "parts" / "result.obj"));
  const CommandResult resumed = run_penumbra("fit --quiet --resume " + (folder / "parts").string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output();
  EXPECT_EQ(read_bytes(folder / "whole" / "checkpoint.bin"), read_bytes(folder / "parts" / "checkpoint.bin"));
  EXPECT_EQ(read_bytes(folder / "whole" / "result.obj"), read_bytes(folder / "parts" / "result.obj"));
  EXPECT_EQ(read_bytes(folder / "whole" / "loss.csv"), read_bytes(folder / "parts" / "loss.csv"));
  for (const char* file : {"metrics.json", "loss.png", "config.json"})
    EXPECT_TRUE(fs::exists(folder / "whole" / file));
}

TEST(PoseCli, WritesTheSuccessRatePerRange) {
  const fs::path folder = test::fresh_folder("cli_pose");
  const fs::path cube = write_cube(folder);
  const CommandResult pose =
      run_penumbra("pose --mesh " + cube.string() + " --trials 1 --steps 3 --size 16 --quiet --out " +
                   (folder / "pose").string());
  ASSERT_EQ(pose.exit_code, 0) << pose.output();
  EXPECT_NE(pose.output().find("start 55-75 deg"), std::string::npos) << pose.output();
  EXPECT_TRUE(fs::exists(folder / "pose" / "pose.json"));
}

}  // namespace
}  // namespace penumbra::test
