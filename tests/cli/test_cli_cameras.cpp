// `penumbra cameras` and the cameras of `render` and `fit` end to end. Oracles: the sample captures of
// assets/captures were rendered from known cameras, so their converted cameras must reproduce the captures'
// silhouettes (masks, alpha); the default camera must leave background on all four borders of every view;
// bad input gives one line on stderr and exit code 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "penumbra/image.h"
#include "command_line.h"

namespace penumbra::test {
namespace {

namespace fs = std::filesystem;

const fs::path kAssets = fs::path(PENUMBRA_SOURCE_DIR) / "assets";
const std::string kSpot = (kAssets / "spot" / "spot_triangulated.obj").string();

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("penumbra_cameras_test_" + std::to_string(::getpid()) + "_" + name);
}

fs::path write_file(const std::string& name, const std::string& content) {
  const fs::path path = temp_path(name);
  std::ofstream(path) << content;
  return path;
}

// A render written as .npy: [views, height, width, 4] float32.
Images read_npy(const fs::path& path, int views, int height, int width) {
  const std::string bytes = test::read_bytes(path);
  const std::size_t header = 10 + std::size_t(static_cast<unsigned char>(bytes[8])) +
                             256 * std::size_t(static_cast<unsigned char>(bytes[9]));
  Images images(views, height, width);
  EXPECT_EQ(bytes.size(), header + images.rgba.size() * sizeof(float));
  std::memcpy(images.rgba.data(), bytes.data() + header,
              std::min(bytes.size() - header, images.rgba.size() * 4));
  return images;
}

void expect_one_line_error(const std::string& arguments, const std::string& fragment) {
  const auto result = run_penumbra(arguments);
  EXPECT_EQ(result.exit_code, 2) << arguments << "\nstderr: " << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << "one line expected: " << result.err;
  EXPECT_NE(result.err.find(fragment), std::string::npos) << arguments << "\nstderr: " << result.err;
}

TEST(CliCameras, DefaultRenderLeavesBackgroundOnEveryBorder) {
  const fs::path out = temp_path("ring.npy");
  const auto result = run_penumbra("render --mesh icosphere:3 --views 8 --size 48 --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Images images = read_npy(out, 8, 48, 48);
  fs::remove(out);
  for (int view = 0; view < 8; ++view) {
    const auto alpha = [&](int row, int col) {
      return images.rgba[((std::size_t(view) * 48 + row) * 48 + col) * 4 + 3];
    };
    float border = 0.0f, centre = alpha(24, 24);
    for (int i = 0; i < 48; ++i) {
      border = std::max({border, alpha(0, i), alpha(47, i), alpha(i, 0), alpha(i, 47)});
    }
    EXPECT_LT(border, 0.01f) << "view " << view << " touches the border";
    EXPECT_GT(centre, 0.9f) << "view " << view << " should show the sphere";
  }
}

// Mean |rendered alpha - reference alpha| over the pixels of one view.
double alpha_difference(const Images& rendered, int view, const Images& reference) {
  double sum = 0;
  const std::size_t pixels = rendered.pixels_per_view();
  for (std::size_t i = 0; i < pixels; ++i) {
    sum += std::abs(rendered.rgba[(view * pixels + i) * 4 + 3] - reference.rgba[i * 4 + 3]);
  }
  return sum / double(pixels);
}

// The captures were rendered with these settings; the converted cameras must give the same silhouettes.
const std::string kCaptureSettings =
    " --mesh " + kSpot + " --size 256 --distribution uniform --sigma 0.004 --cull-back-faces";

TEST(CliCameras, ColmapSampleConvertsToTheCamerasItWasRenderedWith) {
  const fs::path cameras = temp_path("colmap.json");
  const auto converted =
      run_penumbra("cameras --from-colmap " + (kAssets / "captures/spot_colmap/sparse/0").string() +
                   " --out " + cameras.string());
  ASSERT_EQ(converted.exit_code, 0) << converted.err;
  EXPECT_NE(converted.out.find("wrote 24 cameras"), std::string::npos) << converted.out;
  EXPECT_FALSE(fs::exists(cameras.string() + ".tmp"));

  const fs::path sheet = temp_path("sheet.png");
  const auto checked = run_penumbra("cameras --check " + cameras.string() + " --mesh " + kSpot +
                                    " --cell 32 --out " + sheet.string());
  ASSERT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_NE(checked.out.find("24 cameras, 0 of them see none"), std::string::npos) << checked.out;
  EXPECT_TRUE(fs::exists(sheet));
  fs::remove(sheet);

  const fs::path out = temp_path("colmap.npy");
  const auto rendered =
      run_penumbra("render --cameras " + cameras.string() + kCaptureSettings + " --out " + out.string());
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  const Images images = read_npy(out, 24, 256, 256);
  for (int view : {0, 7, 13, 23}) {
    char mask[64];
    std::snprintf(mask, sizeof(mask), "captures/spot_colmap/masks/spot_%03d.png", view);
    // The mask is grey (alpha 1); its grey level is the capture's alpha.
    Images reference = load_image(kAssets / mask);
    for (std::size_t i = 0; i < reference.pixels_per_view(); ++i)
      reference.rgba[i * 4 + 3] = reference.rgba[i * 4];
    EXPECT_LT(alpha_difference(images, view, reference), 2e-3) << mask;
  }
  fs::remove(out);
  fs::remove(cameras);
}

TEST(CliCameras, NerfSampleConvertsToTheCamerasItWasRenderedWith) {
  const fs::path cameras = temp_path("nerf.json");
  const auto converted =
      run_penumbra("cameras --from-nerf " + (kAssets / "captures/spot_nerf/transforms.json").string() +
                   " --out " + cameras.string());
  ASSERT_EQ(converted.exit_code, 0) << converted.err;
  const fs::path out = temp_path("nerf.npy");
  const auto rendered =
      run_penumbra("render --cameras " + cameras.string() + kCaptureSettings + " --out " + out.string());
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  const Images images = read_npy(out, 6, 256, 256);
  for (int view = 0; view < 6; ++view) {
    const fs::path frame = kAssets / "captures/spot_nerf/train" / ("r_" + std::to_string(view) + ".png");
    EXPECT_LT(alpha_difference(images, view, load_image(frame)), 2e-3) << frame;
  }
  fs::remove(out);
  fs::remove(cameras);
}

TEST(CliCameras, RenderWithoutSizeUsesThePinholeImageSize) {
  const fs::path cameras = write_file("pinhole.json", R"([{"eye": [0, 0, -3], "fx": 60, "fy": 60, "cx": 24,
      "cy": 20, "width": 48, "height": 40}])");
  const fs::path out = temp_path("pinhole.npy");
  const auto result =
      run_penumbra("render --mesh icosphere:2 --cameras " + cameras.string() + " --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("[1, 40, 48, 4]"), std::string::npos) << result.out;
  expect_one_line_error(
      "render --mesh icosphere:2 --size 64 --cameras " + cameras.string() + " --out " + out.string(),
      "render at the camera's aspect ratio");
  fs::remove(out);
  fs::remove(cameras);
}

TEST(CliCameras, RenderWarnsAboutACameraThatSeesNothing) {
  const fs::path cameras =
      write_file("away.json", R"([{"eye": [0, 0, -3]}, {"eye": [0, 0, -3], "at": [0, 0, -6]}])");
  const fs::path out = temp_path("away.png");
  const auto result = run_penumbra("render --mesh icosphere:2 --size 32 --cameras " + cameras.string() +
                                   " --out " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("warning: camera 1 sees none of the mesh"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("camera 0"), std::string::npos) << result.err;
  for (const char* view : {"away_000.png", "away_001.png"}) fs::remove(temp_path(view));
  fs::remove(cameras);
}

TEST(CliCameras, FitRefusesATargetCameraThatSeesNothing) {
  const fs::path cameras = write_file("fit_away.json", R"([{"eye": [0, 0, -3], "image": "r_0.png"},
      {"eye": [0, 0, -3], "at": [0, 0, -6], "image": "r_1.png"}])");
  const fs::path out = temp_path("fit_away");
  expect_one_line_error("fit --template icosphere:2 --target-images " +
                            (kAssets / "captures/spot_nerf/train").string() + " --cameras " +
                            cameras.string() + " --out " + out.string(),
                        "camera 1 of 2 sees none of the starting mesh");
  EXPECT_FALSE(fs::exists(out)) << "nothing should be written";
  fs::remove(cameras);
}

TEST(CliCameras, BadCaptureFilesAreOneLineErrors) {
  const fs::path model = temp_path("model");
  fs::create_directories(model);
  std::ofstream(model / "cameras.txt") << "1 EQUIRECTANGULAR 96 80 1 2 3\n";
  std::ofstream(model / "images.txt") << "1 1 0 0 0 0 0 3 1 a.jpg\n\n";
  expect_one_line_error("cameras --from-colmap " + model.string() + " --out " + temp_path("c.json").string(),
                        "unknown COLMAP camera model 'EQUIRECTANGULAR'");
  std::ofstream(model / "cameras.txt") << "1 SIMPLE_RADIAL 96 80 100 48 40 0.01\n";
  expect_one_line_error("cameras --from-colmap " + model.string() + " --out " + temp_path("c.json").string(),
                        "--ignore-distortion");
  const auto ignored = run_penumbra("cameras --from-colmap " + model.string() +
                                    " --ignore-distortion --out " + temp_path("c.json").string());
  EXPECT_EQ(ignored.exit_code, 0) << ignored.err;
  EXPECT_NE(ignored.err.find("warning: camera 1 (SIMPLE_RADIAL): lens distortion ignored"),
            std::string::npos);
  fs::remove(temp_path("c.json"));
  fs::remove_all(model);

  const fs::path transforms = write_file(
      "transforms.json", R"({"frames": [{"transform_matrix": [[1,0,0,0],[0,1,0,0],[0,0,1,3],[0,0,0,1]]}]})");
  expect_one_line_error(
      "cameras --from-nerf " + transforms.string() + " --out " + temp_path("n.json").string(),
      "no focal length");
  expect_one_line_error("cameras --from-nerf " + transforms.string() + " --check x.json --out x.png",
                        "one of");
  fs::remove(transforms);
  EXPECT_FALSE(fs::exists(temp_path("n.json")));
}

}  // namespace
}  // namespace penumbra::test
