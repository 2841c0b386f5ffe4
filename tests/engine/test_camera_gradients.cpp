// Oracle: central finite differences in double through projection + rasterisation of
// L = sum(w * image) with respect to world vertex positions and each camera parametrisation
// (look_at eye / at / up, field of view on either axis, pinhole fx / fy / cx / cy, orthographic scale, pose
// rotation and translation).
#include <gtest/gtest.h>

#include "penumbra/mesh.h"
#include "raster_scene.h"

namespace penumbra::test {
namespace {

using detail::CameraGradientT;
using detail::CameraT;
using Vec3d = detail::Vec3<double>;

constexpr int kSize = 20;
// Small enough that no pixel lies within a step of a kink of the clipped barycentrics (clip at 0 or 1).
constexpr double kStep = 1e-7;

struct World {
  std::vector<Vec3d> positions;
  std::vector<glm::uvec3> triangles;
  std::vector<Vec3d> colors;
};

World icosphere_world() {
  const Mesh mesh = icosphere(1);
  World world;
  for (const auto& p : mesh.positions) world.positions.push_back(Vec3d(p) * 0.8 + Vec3d(0.1, -0.05, 0.0));
  world.triangles = mesh.triangles;
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    world.colors.push_back(Vec3d(0.5) + 0.5 * Vec3d(mesh.positions[v]));
  }
  return world;
}

RasterSettings settings() {
  RasterSettings s;
  s.width = kSize;
  s.height = kSize + 4;  // non-square, so the aspect ratio is exercised
  s.sigma = 0.05f;
  s.squared = false;
  s.gamma = 0.05f;
  s.coverage_epsilon = 1e-12f;
  return s;
}

struct Pipeline {
  World world;
  CameraT<double> camera;
  RasterSettings raster = settings();
  detail::cpu::CpuRasterizer<double> rasterizer{2};
  std::vector<double> weights = test::loss_weights<double>(std::size_t(kSize) * (kSize + 4) * 4, 11);

  double aspect() const { return double(raster.width) / raster.height; }

  double loss() {
    std::vector<Vec3d> screen(world.positions.size());
    detail::project<double>(world.positions, camera, aspect(), screen);
    std::vector<detail::Vec2<double>> depth_range{{camera.near, camera.far}};
    detail::RasterScene<double> scene{1, screen, world.triangles, world.colors, depth_range};
    std::vector<double> image(weights.size());
    rasterizer.forward(scene, raster, image);
    return test::weighted_sum(image, weights);
  }

  // Analytic gradients for positions and camera after a forward.
  CameraGradientT<double> backward(std::vector<Vec3d>& dL_dpositions) {
    loss();
    std::vector<Vec3d> dL_dscreen(world.positions.size()), dL_dcolors(world.positions.size());
    rasterizer.backward(weights, dL_dscreen, dL_dcolors);
    dL_dpositions.assign(world.positions.size(), Vec3d(0));
    return detail::project_backward<double>(world.positions, camera, aspect(), dL_dscreen, dL_dpositions);
  }

  double numeric(double& parameter) {
    const double saved = parameter;
    parameter = saved + kStep;
    const double up = loss();
    parameter = saved - kStep;
    const double down = loss();
    parameter = saved;
    return (up - down) / (2 * kStep);
  }
};

void expect_close(double analytic, double numeric, const char* what) {
  EXPECT_NEAR(analytic, numeric, 1e-5 * std::max(1.0, std::abs(numeric))) << what;
}

Pipeline look_at_pipeline() {
  Pipeline pipeline;
  pipeline.world = icosphere_world();
  pipeline.camera =
      CameraT<double>(Camera::look_at({0.6f, 0.8f, -2.9f}, {0.05f, 0.1f, 0.0f}, {0.1f, 1.0f, 0.05f}, 40.0f));
  return pipeline;
}

TEST(CameraGradients, LookAtEyeAtUpAndFov) {
  Pipeline pipeline = look_at_pipeline();
  std::vector<Vec3d> dL_dpositions;
  const CameraGradientT<double> analytic = pipeline.backward(dL_dpositions);
  double norm = 0;
  for (int k = 0; k < 3; ++k) {
    expect_close(analytic.eye[k], pipeline.numeric(pipeline.camera.eye[k]), "eye");
    expect_close(analytic.at[k], pipeline.numeric(pipeline.camera.at[k]), "at");
    expect_close(analytic.up[k], pipeline.numeric(pipeline.camera.up[k]), "up");
    norm += analytic.eye[k] * analytic.eye[k];
  }
  expect_close(analytic.fov_degrees, pipeline.numeric(pipeline.camera.fov_degrees), "fov");
  EXPECT_GT(norm, 1e-6) << "the camera should get a gradient";
}

TEST(CameraGradients, WorldVertexPositions) {
  Pipeline pipeline = look_at_pipeline();
  std::vector<Vec3d> analytic;
  pipeline.backward(analytic);
  for (std::size_t v = 0; v < pipeline.world.positions.size(); v += 3) {
    for (int k = 0; k < 3; ++k) {
      expect_close(analytic[v][k], pipeline.numeric(pipeline.world.positions[v][k]), "position");
    }
  }
}

TEST(CameraGradients, PoseRotationAndTranslation) {
  Pipeline pipeline;
  pipeline.world = icosphere_world();
  pipeline.camera = CameraT<double>(Camera::from_pose({0.3f, -0.4f, 0.2f}, {0.1f, -0.1f, 3.0f}, 35.0f));
  std::vector<Vec3d> dL_dpositions;
  const CameraGradientT<double> analytic = pipeline.backward(dL_dpositions);
  for (int k = 0; k < 3; ++k) {
    expect_close(analytic.rotation[k], pipeline.numeric(pipeline.camera.rotation[k]), "rotation");
    expect_close(analytic.translation[k], pipeline.numeric(pipeline.camera.translation[k]), "translation");
  }
}

TEST(CameraGradients, PoseNearIdentityRotationUsesTheSeries) {
  Pipeline pipeline;
  pipeline.world = icosphere_world();
  pipeline.camera = CameraT<double>(Camera::from_pose({1e-5f, -2e-5f, 0.0f}, {0.0f, 0.0f, 3.0f}, 35.0f));
  std::vector<Vec3d> dL_dpositions;
  const CameraGradientT<double> analytic = pipeline.backward(dL_dpositions);
  for (int k = 0; k < 3; ++k) {
    expect_close(analytic.rotation[k], pipeline.numeric(pipeline.camera.rotation[k]), "rotation");
  }
}

TEST(CameraGradients, HorizontalFieldOfView) {
  Pipeline pipeline = look_at_pipeline();
  pipeline.camera.fov_axis = FovAxis::horizontal;
  std::vector<Vec3d> dL_dpositions;
  const CameraGradientT<double> analytic = pipeline.backward(dL_dpositions);
  expect_close(analytic.fov_degrees, pipeline.numeric(pipeline.camera.fov_degrees), "horizontal fov");
}

TEST(CameraGradients, PinholeIntrinsicsWithOffCentrePrincipalPoint) {
  for (const Camera& base : {Camera::look_at({0.6f, 0.8f, -2.9f}, {0.05f, 0.1f, 0.0f}, {0.1f, 1.0f, 0.05f}),
                             Camera::from_pose({0.3f, -0.4f, 0.2f}, {0.1f, -0.1f, 3.0f})}) {
    Pipeline pipeline;
    pipeline.world = icosphere_world();
    Camera camera = base;
    // The intrinsics' image is twice the render size, same aspect; the principal point is off centre.
    camera.with_pinhole(52.0f, 49.0f, 18.5f, 27.0f, 2 * kSize, 2 * (kSize + 4));
    pipeline.camera = CameraT<double>(camera);
    std::vector<Vec3d> dL_dpositions;
    const CameraGradientT<double> analytic = pipeline.backward(dL_dpositions);
    expect_close(analytic.fx, pipeline.numeric(pipeline.camera.fx), "fx");
    expect_close(analytic.fy, pipeline.numeric(pipeline.camera.fy), "fy");
    expect_close(analytic.cx, pipeline.numeric(pipeline.camera.cx), "cx");
    expect_close(analytic.cy, pipeline.numeric(pipeline.camera.cy), "cy");
    EXPECT_GT(std::abs(analytic.cx) + std::abs(analytic.cy), 1e-8)
        << "the principal point should get a gradient";
    for (int k = 0; k < 3; ++k) {
      if (base.model == CameraModel::pose) {
        expect_close(analytic.rotation[k], pipeline.numeric(pipeline.camera.rotation[k]), "rotation");
        expect_close(analytic.translation[k], pipeline.numeric(pipeline.camera.translation[k]),
                     "translation");
      } else {
        expect_close(analytic.eye[k], pipeline.numeric(pipeline.camera.eye[k]), "eye");
      }
    }
  }
}

TEST(CameraGradients, OrthographicScale) {
  Pipeline pipeline = look_at_pipeline();
  pipeline.camera.projection = Projection::orthographic;
  pipeline.camera.ortho_scale = 0.9;
  std::vector<Vec3d> dL_dpositions;
  const CameraGradientT<double> analytic = pipeline.backward(dL_dpositions);
  expect_close(analytic.ortho_scale, pipeline.numeric(pipeline.camera.ortho_scale), "ortho scale");
  for (int k = 0; k < 3; ++k) expect_close(analytic.eye[k], pipeline.numeric(pipeline.camera.eye[k]), "eye");
}

}  // namespace
}  // namespace penumbra::test
