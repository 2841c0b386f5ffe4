// Oracle: an independent pinhole projection written here in double from the textbook OpenCV reading
// (x_cam = R x + t, R's rows right/down/forward; u = fx x/z + cx, v = fy y/z + cy; the top-left pixel's
// centre at (0.5, 0.5)). One physical camera given in every convention must project every vertex where the
// oracle does, and render (CPU rasteriser, double) the same pixels as the oracle's screen positions.
#include <gtest/gtest.h>

#include "penumbra/error.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"
#include "projection.h"
#include "raster_scene.h"

namespace penumbra::test {
namespace {

using Vec3d = detail::Vec3<double>;

constexpr int kWidth = 24, kHeight = 20;              // render size
constexpr int kCameraWidth = 96, kCameraHeight = 80;  // size the intrinsics are given in (4x the render)
constexpr double kFx = 150, kFy = 140, kCx = 41.5, kCy = 45;  // principal point off centre (48, 40)

// The physical camera: centre, a point it looks at, and the world direction that appears up in its picture.
const glm::vec3 kEye{1.25f, 0.75f, -2.5f};
const glm::vec3 kAt{0.125f, -0.0625f, 0.25f};
const glm::vec3 kUp{0.0f, 1.0f, 0.0f};

struct OpenCvCamera {
  glm::dmat3 rotation;  // world to camera, rows right, down, forward
  glm::dvec3 translation;
};

OpenCvCamera reference_camera() {
  const glm::dvec3 eye(kEye), at(kAt), up(kUp);
  const glm::dvec3 forward = glm::normalize(at - eye);
  const glm::dvec3 right = glm::normalize(glm::cross(forward, up));
  const glm::dvec3 down = glm::cross(forward, right);
  OpenCvCamera camera;
  camera.rotation = glm::transpose(glm::dmat3(right, down, forward));
  camera.translation = -(camera.rotation * eye);
  return camera;
}

// Independent projection: world point to (NDC x, NDC y, depth).
Vec3d reference_project(const glm::dvec3& world) {
  const OpenCvCamera camera = reference_camera();
  const glm::dvec3 p = camera.rotation * world + camera.translation;
  const double u = kFx * p.x / p.z + kCx, v = kFy * p.y / p.z + kCy;
  return {(2 * u - kCameraWidth) / kCameraWidth, (kCameraHeight - 2 * v) / kCameraHeight, p.z};
}

glm::dmat4 rigid(const glm::dmat3& rotation, const glm::dvec3& translation) {
  glm::dmat4 m(rotation);
  m[3] = glm::dvec4(translation, 1.0);
  return m;
}

glm::dmat4 inverse_rigid(const glm::dmat4& m) {
  const glm::dmat3 rotation = glm::transpose(glm::dmat3(m));
  return rigid(rotation, -(rotation * glm::dvec3(m[3])));
}

glm::dmat3 diagonal(double x, double y, double z) {
  return glm::dmat3(glm::dvec3(x, 0, 0), {0, y, 0}, {0, 0, z});
}

struct Form {
  const char* name;
  Camera camera;
};

// The same camera, written as each source would write it.
std::vector<Form> every_form() {
  const OpenCvCamera cv = reference_camera();
  const glm::dmat4 opencv_w2c = rigid(cv.rotation, cv.translation);
  // OpenGL axes (right, up, backward) are OpenCV's with y and z negated.
  const glm::dmat4 opengl_w2c =
      rigid(diagonal(1, -1, -1) * cv.rotation, diagonal(1, -1, -1) * cv.translation);
  // PyTorch3D axes (left, up, forward); it stores R transposed (row vectors: x_view = x_world R + T).
  const glm::dmat3 p3d_rotation = diagonal(-1, -1, 1) * cv.rotation;
  const glm::dvec3 p3d_translation = diagonal(-1, -1, 1) * cv.translation;
  std::vector<Form> forms{
      {"look_at", Camera::look_at(kEye, kAt, kUp)},
      {"opencv world_to_camera",
       Camera::from_matrix(opencv_w2c, CameraConvention::opencv, MatrixDirection::world_to_camera)},
      {"opencv camera_to_world", Camera::from_matrix(inverse_rigid(opencv_w2c), CameraConvention::opencv,
                                                     MatrixDirection::camera_to_world)},
      {"opengl world_to_camera",
       Camera::from_matrix(opengl_w2c, CameraConvention::opengl, MatrixDirection::world_to_camera)},
      {"opengl camera_to_world (NeRF)",
       Camera::from_matrix(inverse_rigid(opengl_w2c), CameraConvention::opengl,
                           MatrixDirection::camera_to_world)},
      {"pytorch3d R, T", Camera::from_pytorch3d(glm::transpose(p3d_rotation), p3d_translation)},
      {"pytorch3d world_to_camera",
       Camera::from_matrix(rigid(p3d_rotation, p3d_translation), CameraConvention::pytorch3d,
                           MatrixDirection::world_to_camera)},
  };
  for (Form& form : forms) {
    form.camera.with_pinhole(float(kFx), float(kFy), float(kCx), float(kCy), kCameraWidth, kCameraHeight);
  }
  return forms;
}

std::vector<Vec3d> world_points() {
  std::vector<Vec3d> points;
  for (const glm::vec3& p : icosphere(2).positions) points.push_back(Vec3d(p) * 0.7 + Vec3d(0.1, 0.05, -0.1));
  return points;
}

std::vector<Vec3d> project(const Camera& camera, const std::vector<Vec3d>& points) {
  std::vector<Vec3d> screen(points.size());
  detail::project<double>(points, detail::CameraT<double>(camera), double(kWidth) / kHeight, screen);
  return screen;
}

std::vector<double> render(const std::vector<Vec3d>& screen) {
  const Mesh mesh = icosphere(2);
  std::vector<Vec3d> colors;
  for (const glm::vec3& p : mesh.positions) colors.push_back(Vec3d(0.5) + 0.5 * Vec3d(p));
  const std::vector<detail::Vec2<double>> depth_range{{0.1, 100.0}};
  RasterSettings settings;
  settings.width = kWidth;
  settings.height = kHeight;
  settings.squared = false;
  settings.sigma = 0.02f;
  settings.gamma = 0.05f;
  detail::cpu::CpuRasterizer<double> rasterizer{1};
  std::vector<double> image(std::size_t(kWidth) * kHeight * 4);
  rasterizer.forward(detail::RasterScene<double>{1, screen, mesh.triangles, colors, depth_range}, settings,
                     image);
  return image;
}

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double largest = 0;
  for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(a[i] - b[i]));
  return largest;
}

TEST(CameraConventions, EveryFormProjectsLikeTheOpenCvOracle) {
  const std::vector<Vec3d> points = world_points();
  for (const Form& form : every_form()) {
    const std::vector<Vec3d> screen = project(form.camera, points);
    for (std::size_t v = 0; v < points.size(); ++v) {
      const Vec3d expected = reference_project(points[v]);
      ASSERT_NEAR(screen[v].x, expected.x, 1e-6) << form.name << ", vertex " << v;
      ASSERT_NEAR(screen[v].y, expected.y, 1e-6) << form.name << ", vertex " << v;
      ASSERT_NEAR(screen[v].z, expected.z, 1e-6) << form.name << ", vertex " << v;
    }
  }
}

TEST(CameraConventions, EveryFormRendersTheSamePixels) {
  const std::vector<Vec3d> points = world_points();
  std::vector<Vec3d> oracle_screen;
  for (const Vec3d& p : points) oracle_screen.push_back(reference_project(p));
  const std::vector<double> oracle = render(oracle_screen);
  double coverage = 0;
  for (std::size_t i = 3; i < oracle.size(); i += 4) coverage += oracle[i];
  ASSERT_GT(coverage, 20.0) << "the mesh should fill part of the picture";
  ASSERT_LT(coverage, 0.8 * kWidth * kHeight) << "and leave background around it";
  const std::vector<Form> forms = every_form();
  const std::vector<double> look_at = render(project(forms[0].camera, points));
  EXPECT_LE(max_difference(look_at, oracle), 1e-5);
  for (const Form& form : forms) {
    EXPECT_LE(max_difference(render(project(form.camera, points)), look_at), 1e-5) << form.name;
  }
}

TEST(CameraConventions, WorldUpAppearsAtTheTopOfTheImage) {
  // A point above the look-at target must land above it in the picture (NDC y up, row 0 at the top).
  for (const Form& form : every_form()) {
    const std::vector<Vec3d> screen = project(form.camera, {Vec3d(kAt), Vec3d(kAt) + Vec3d(0, 0.5, 0)});
    EXPECT_GT(screen[1].y, screen[0].y + 0.1) << form.name;
    // And a point to the camera's right (world -x seen from -z) lands to the right.
    const std::vector<Vec3d> side = project(form.camera, {Vec3d(kAt), Vec3d(kAt) + Vec3d(-0.5, 0, 0)});
    EXPECT_GT(side[1].x, side[0].x + 0.1) << form.name;
  }
}

TEST(CameraConventions, WorldToCameraExportRoundTrips) {
  const std::vector<Vec3d> points = world_points();
  const Camera look_at = every_form()[0].camera;
  for (CameraConvention convention :
       {CameraConvention::opencv, CameraConvention::opengl, CameraConvention::pytorch3d}) {
    Camera again = Camera::from_matrix(look_at.world_to_camera(convention), convention,
                                       MatrixDirection::world_to_camera);
    again.with_pinhole(float(kFx), float(kFy), float(kCx), float(kCy), kCameraWidth, kCameraHeight);
    const std::vector<Vec3d> a = project(look_at, points), b = project(again, points);
    for (std::size_t v = 0; v < points.size(); ++v) ASSERT_NEAR(glm::length(a[v] - b[v]), 0.0, 1e-6);
  }
}

TEST(CameraConventions, FieldOfViewOnEitherAxisIsACentredPinhole) {
  const std::vector<Vec3d> points = world_points();
  const double fov = 50.0, aspect = double(kWidth) / kHeight;
  const double focal_rows = kCameraHeight / (2 * std::tan(glm::radians(fov) / 2));
  const double focal_columns = kCameraWidth / (2 * std::tan(glm::radians(fov) / 2));
  Camera vertical = Camera::look_at(kEye, kAt, kUp, float(fov));
  Camera horizontal = vertical;
  horizontal.fov_axis = FovAxis::horizontal;
  // The pinhole images are kCameraWidth x kCameraHeight, whose aspect is the render's.
  ASSERT_DOUBLE_EQ(double(kCameraWidth) / kCameraHeight, aspect);
  const Camera pinhole_v = Camera::look_at(kEye, kAt, kUp)
                               .with_pinhole(float(focal_rows), float(focal_rows), kCameraWidth / 2.0f,
                                             kCameraHeight / 2.0f, kCameraWidth, kCameraHeight);
  const Camera pinhole_h = Camera::look_at(kEye, kAt, kUp)
                               .with_pinhole(float(focal_columns), float(focal_columns), kCameraWidth / 2.0f,
                                             kCameraHeight / 2.0f, kCameraWidth, kCameraHeight);
  const auto expect_same = [&](const Camera& a, const Camera& b, const char* what) {
    const std::vector<Vec3d> pa = project(a, points), pb = project(b, points);
    for (std::size_t v = 0; v < points.size(); ++v)
      ASSERT_NEAR(glm::length(pa[v] - pb[v]), 0.0, 1e-5) << what;
  };
  expect_same(vertical, pinhole_v, "vertical fov");
  expect_same(horizontal, pinhole_h, "horizontal fov");
}

TEST(CameraConventions, UnprojectInvertsProject) {
  Camera horizontal = Camera::from_pose({0.2f, -0.5f, 0.1f}, {0.1f, 0.2f, 3.0f}, 50.0f);
  horizontal.fov_axis = FovAxis::horizontal;
  Camera orthographic = Camera::look_at(kEye, kAt, kUp);
  orthographic.projection = Projection::orthographic;
  orthographic.ortho_scale = 0.7f;
  for (const Camera& camera : {every_form()[2].camera, horizontal, orthographic}) {
    for (const glm::vec2 ndc : {glm::vec2(0.0f), glm::vec2(-1.0f, 1.0f), glm::vec2(0.3f, -0.8f)}) {
      const glm::vec3 world = camera.unproject(ndc, 2.5f, 1.2f);
      const glm::vec3 back = camera.project(world, 1.2f);
      EXPECT_NEAR(back.x, ndc.x, 1e-5f);
      EXPECT_NEAR(back.y, ndc.y, 1e-5f);
      EXPECT_NEAR(back.z, 2.5f, 1e-5f);
    }
  }
  // The public projection is the renderer's: the OpenCV oracle again.
  const Vec3d expected = reference_project(Vec3d(0.2, -0.1, 0.3));
  const glm::vec3 screen = every_form()[1].camera.project({0.2f, -0.1f, 0.3f}, 1.2f);
  EXPECT_NEAR(screen.x, expected.x, 1e-5);
  EXPECT_NEAR(screen.y, expected.y, 1e-5);
}

TEST(CameraConventions, MirroredOrScaledMatricesAreRefused) {
  const OpenCvCamera cv = reference_camera();
  // Penumbra's view axes (x right, y up, z forward) are left-handed: such a matrix is a reflection.
  const glm::dmat4 mirrored = rigid(diagonal(1, -1, 1) * cv.rotation, cv.translation);
  EXPECT_THROW(Camera::from_matrix(mirrored, CameraConvention::opencv, MatrixDirection::world_to_camera),
               Error);
  const glm::dmat4 scaled = rigid(2.0 * cv.rotation, cv.translation);
  EXPECT_THROW(Camera::from_matrix(scaled, CameraConvention::opengl, MatrixDirection::camera_to_world),
               Error);
  glm::dmat4 projective = rigid(cv.rotation, cv.translation);
  projective[0][3] = 0.5;
  EXPECT_THROW(Camera::from_matrix(projective, CameraConvention::opencv, MatrixDirection::world_to_camera),
               Error);
}

TEST(CameraConventions, RendererRefusesAPinholeOfAnotherAspect) {
  Renderer renderer(Backend::cpu);
  RasterSettings settings;
  settings.width = 32;
  settings.height = 32;
  const Camera camera = Camera::look_at(kEye, kAt, kUp).with_pinhole(100, 100, 48, 40, 96, 80);
  EXPECT_THROW(renderer.forward(icosphere(1), std::vector<Camera>{camera}, settings), Error);
  settings.width = 48;
  settings.height = 40;
  EXPECT_NO_THROW(renderer.forward(icosphere(1), std::vector<Camera>{camera}, settings));
}

}  // namespace
}  // namespace penumbra::test
