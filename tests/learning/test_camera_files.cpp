// Camera files and importers. Oracle: one physical camera (eye, target, up, pinhole intrinsics with an
// off-centre principal point) written by this test in every form a file can hold, as a COLMAP text model and
// as a NeRF transforms.json, each built here from the camera's axes; all must render the pixels of the
// look-at form. Bad files must throw penumbra::Error naming the file.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include <glm/gtc/quaternion.hpp>

#include "penumbra/data/camera_file.h"
#include "penumbra/data/camera_import.h"
#include "fit_test_meshes.h"
#include "penumbra/error.h"
#include "penumbra/renderer.h"

namespace penumbra::test {
namespace {

namespace fs = std::filesystem;

const glm::dvec3 kEye{1.25, 0.75, -2.5}, kAt{0.125, -0.0625, 0.25}, kUp{0, 1, 0};
constexpr double kFx = 150, kFy = 140, kCx = 41.5, kCy = 45;
constexpr int kWidth = 96, kHeight = 80;

struct Axes {
  glm::dvec3 right, down, forward;
};

Axes camera_axes() {
  Axes axes;
  axes.forward = glm::normalize(kAt - kEye);
  axes.right = glm::normalize(glm::cross(axes.forward, kUp));
  axes.down = glm::cross(axes.forward, axes.right);
  return axes;
}

std::string vec(const glm::dvec3& v) {
  char text[128];
  std::snprintf(text, sizeof(text), "[%.17g, %.17g, %.17g]", v.x, v.y, v.z);
  return text;
}

std::string row(const glm::dvec3& v, double last) {
  char text[160];
  std::snprintf(text, sizeof(text), "[%.17g, %.17g, %.17g, %.17g]", v.x, v.y, v.z, last);
  return text;
}

// Rows of [R | t] for a camera whose axes (x, y, z) are the given world directions and whose centre is kEye.
std::string world_to_camera_rows(const glm::dvec3& x, const glm::dvec3& y, const glm::dvec3& z) {
  return "[" + row(x, -glm::dot(x, kEye)) + ", " + row(y, -glm::dot(y, kEye)) + ", " +
         row(z, -glm::dot(z, kEye)) + ", [0, 0, 0, 1]]";
}

// Rows of the camera-to-world matrix [x y z | eye].
std::string camera_to_world_rows(const glm::dvec3& x, const glm::dvec3& y, const glm::dvec3& z) {
  std::string rows = "[";
  for (int r = 0; r < 3; ++r) rows += row({x[r], y[r], z[r]}, kEye[r]) + ", ";
  return rows + "[0, 0, 0, 1]]";
}

const std::string kPinhole = R"("fx": 150, "fy": 140, "cx": 41.5, "cy": 45, "width": 96, "height": 80)";

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::vector<float> render(const Camera& camera) {
  Renderer renderer(Backend::cpu);
  RasterSettings settings;
  settings.width = 48;
  settings.height = 40;
  settings.squared = false;
  settings.sigma = 0.02f;
  Mesh mesh = icosphere(2);
  for (auto& p : mesh.positions) p = p * 0.7f + glm::vec3(0.1f, 0.05f, -0.1f);
  return renderer.forward(mesh, std::vector<Camera>{camera}, settings).rgba;
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double largest = 0;
  for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, double(std::abs(a[i] - b[i])));
  return largest;
}

Camera look_at_camera() {
  return Camera::look_at(glm::vec3(kEye), glm::vec3(kAt), glm::vec3(kUp))
      .with_pinhole(float(kFx), float(kFy), float(kCx), float(kCy), kWidth, kHeight);
}

class CameraFiles : public ::testing::Test {
 protected:
  // One folder per test: ctest runs the tests of this fixture in parallel processes.
  fs::path folder_ = test::fresh_folder(std::string("camera_files_") +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
};

TEST_F(CameraFiles, EveryFormOfOneCameraRendersTheSamePixels) {
  const Axes a = camera_axes();
  const std::vector<float> expected = render(look_at_camera());
  double alpha = 0;
  for (std::size_t i = 3; i < expected.size(); i += 4) alpha += expected[i];
  ASSERT_GT(alpha, 50.0) << "the mesh should be in view";
  const std::string entries[] = {
      R"({"eye": )" + vec(kEye) + R"(, "at": )" + vec(kAt) + ", " + kPinhole + "}",
      R"({"world_to_camera": )" + world_to_camera_rows(a.right, a.down, a.forward) +
          R"(, "convention": "opencv", )" + kPinhole + "}",
      R"({"camera_to_world": )" + camera_to_world_rows(a.right, -a.down, -a.forward) +
          R"(, "convention": "opengl", )" + kPinhole + "}",
      R"({"world_to_camera": )" + world_to_camera_rows(-a.right, -a.down, a.forward) +
          R"(, "convention": "pytorch3d", "K": [[150, 0, 41.5], [0, 140, 45], [0, 0, 1]], "width": 96, "height": 80})",
      // PyTorch3D stores R with the view axes as columns (x_view = x_world R + T).
      R"({"R": [)" + vec({-a.right.x, -a.down.x, a.forward.x}) + ", " +
          vec({-a.right.y, -a.down.y, a.forward.y}) + ", " + vec({-a.right.z, -a.down.z, a.forward.z}) +
          R"(], "T": )" + vec({glm::dot(a.right, kEye), glm::dot(a.down, kEye), -glm::dot(a.forward, kEye)}) +
          R"(, "convention": "pytorch3d", )" + kPinhole + "}",
  };
  for (const std::string& entry : entries) {
    write_text(folder_ / "one.json", "[" + entry + "]");
    const auto cameras = data::read_camera_file(folder_ / "one.json");
    ASSERT_EQ(cameras.size(), 1u);
    EXPECT_LE(max_difference(render(cameras[0].camera), expected), 1e-5) << entry;
  }
}

TEST_F(CameraFiles, ColmapTextModelRendersLikeTheCamera) {
  const Axes a = camera_axes();
  const glm::dmat3 rotation = glm::transpose(glm::dmat3(a.right, a.down, a.forward));
  const glm::dquat q = glm::quat_cast(rotation);
  const glm::dvec3 t = -(rotation * kEye);
  char line[512];
  std::snprintf(line, sizeof(line), "1 %.17g %.17g %.17g %.17g %.17g %.17g %.17g 3 photo_000.jpg\n", q.w, q.x,
                q.y, q.z, t.x, t.y, t.z);
  write_text(folder_ / "cameras.txt", "# Camera list\n3 PINHOLE 96 80 150 140 41.5 45\n");
  write_text(folder_ / "images.txt", std::string("# Image list\n") + line + "\n" + line + "10 20 -1\n");
  const data::ImportedCameras imported = data::read_colmap_text(folder_, false);
  ASSERT_EQ(imported.entries.size(), 2u);
  EXPECT_TRUE(imported.warnings.empty());
  EXPECT_EQ(imported.entries[0].image, "photo_000.jpg");
  EXPECT_LE(max_difference(render(imported.entries[0].camera), render(look_at_camera())), 1e-5);

  // Written as Penumbra's camera file and read back, the same pixels again.
  data::write_camera_file(folder_ / "cameras.json", imported.entries);
  const auto again = data::read_camera_file(folder_ / "cameras.json");
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1].image, "photo_000.jpg");
  EXPECT_LE(max_difference(render(again[1].camera), render(look_at_camera())), 1e-5);
  EXPECT_FALSE(fs::exists(folder_ / "cameras.json.tmp"));
}

TEST_F(CameraFiles, NerfTransformsRenderLikeTheCamera) {
  const Axes a = camera_axes();
  const std::string matrix = camera_to_world_rows(a.right, -a.down, -a.forward);
  write_text(folder_ / "transforms.json",
             R"({"fl_x": 150, "fl_y": 140, "cx": 41.5, "cy": 45, "w": 96, "h": 80,
    "frames": [{"file_path": "./train/r_0", "transform_matrix": )" +
                 matrix + "}]}");
  const data::ImportedCameras imported = data::read_nerf_transforms(folder_ / "transforms.json", false);
  ASSERT_EQ(imported.entries.size(), 1u);
  EXPECT_EQ(imported.entries[0].image, "train/r_0.png");
  EXPECT_LE(max_difference(render(imported.entries[0].camera), render(look_at_camera())), 1e-5);

  // camera_angle_x alone: a horizontal field of view, the picture's aspect taken from the render.
  const double angle = 2 * std::atan(kWidth / (2 * kFx));
  write_text(folder_ / "angle.json", R"({"camera_angle_x": )" + std::to_string(angle) +
                                         R"(, "frames": [{"transform_matrix": )" + matrix + "}]}");
  const auto by_angle = data::read_nerf_transforms(folder_ / "angle.json", false);
  Camera centred = look_at_camera();
  centred.with_pinhole(float(kFx), float(kFx), kWidth / 2.0f, kHeight / 2.0f, kWidth, kHeight);
  EXPECT_LE(max_difference(render(by_angle.entries[0].camera), render(centred)), 1e-4);
}

void expect_error(const std::function<void()>& read, const std::string& fragment) {
  try {
    read();
    ADD_FAILURE() << "expected an error mentioning '" << fragment << "'";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

TEST_F(CameraFiles, BadFilesNameTheProblem) {
  write_text(folder_ / "cameras.txt", "1 THIN_PRISM_FISHEYE 96 80 1 2 3 4 5 6 7 8 9 10 11 12\n");
  write_text(folder_ / "images.txt", "");
  expect_error([&] { data::read_colmap_text(folder_, true); }, "fisheye");
  write_text(folder_ / "cameras.txt", "1 MY_LENS 96 80 1 2 3\n");
  expect_error([&] { data::read_colmap_text(folder_, false); }, "unknown COLMAP camera model 'MY_LENS'");
  write_text(folder_ / "cameras.txt", "1 OPENCV 96 80 150 140 41.5 45 0.1 0 0 0\n");
  write_text(folder_ / "images.txt", "1 1 0 0 0 0 0 3 1 a.jpg\n\n");
  expect_error([&] { data::read_colmap_text(folder_, false); }, "--ignore-distortion");
  const data::ImportedCameras kept = data::read_colmap_text(folder_, true);
  EXPECT_EQ(kept.warnings.size(), 1u);
  EXPECT_FLOAT_EQ(kept.entries[0].camera.fx, 150.0f);

  write_text(folder_ / "t.json",
             R"({"frames": [{"transform_matrix": [[1,0,0,0],[0,1,0,0],[0,0,1,3],[0,0,0,1]]}]})");
  expect_error([&] { data::read_nerf_transforms(folder_ / "t.json", false); }, "no focal length");

  const std::string matrix = "[[1,0,0,0],[0,1,0,0],[0,0,1,3],[0,0,0,1]]";
  write_text(folder_ / "c.json", R"([{"world_to_camera": )" + matrix + "}]");
  expect_error([&] { data::read_camera_file(folder_ / "c.json"); }, "without a 'convention'");
  write_text(folder_ / "c.json", R"([{"view_matrix": )" + matrix + "}]");
  expect_error([&] { data::read_camera_file(folder_ / "c.json"); }, "world_to_camera");
  write_text(folder_ / "c.json", R"([{"eye": [0, 0, -3], "fx": 100, "fy": 100, "cx": 50, "cy": 50}])");
  expect_error([&] { data::read_camera_file(folder_ / "c.json"); }, "width");
  write_text(folder_ / "c.json", R"([{"eye": [0, 0, -3], "fov": 30, "fov_x": 40}])");
  expect_error([&] { data::read_camera_file(folder_ / "c.json"); }, "more than one");
}

}  // namespace
}  // namespace penumbra::test
