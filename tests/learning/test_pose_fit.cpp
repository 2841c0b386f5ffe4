// The pose chain rule (renderer dL/d(eye, fov) to azimuth, elevation, distance, fov) against central finite
// differences: on a linear loss of the camera alone, and through the renderer on a soft silhouette.
#include <gtest/gtest.h>

#include <cmath>

#include "fit_test_meshes.h"
#include "penumbra/learning/losses.h"
#include "penumbra/learning/pose_fit.h"

namespace penumbra::test {

using namespace learning;

namespace {

TEST(PoseFit, OrbitChainRuleMatchesFiniteDifferencesOnALinearLoss) {
  // L = w · eye + k · fov has dL/deye = w and dL/dfov = k.
  const glm::vec3 w(0.3f, -1.1f, 0.7f);
  const float k = 0.25f;
  CameraGradient g;
  g.eye = w;
  g.fov_degrees = k;
  const auto loss = [&](const OrbitPose& p) {
    const Camera c = p.camera();
    return double(glm::dot(w, c.eye)) + k * double(c.fov_degrees);
  };
  for (const OrbitPose pose : {OrbitPose{20.0, 10.0, 3.0, 25.0}, OrbitPose{-130.0, -40.0, 2.2, 15.0}}) {
    const OrbitPose analytic = orbit_gradient(pose, g);
    const double h = 1e-2;
    double* fields[4] = {nullptr, nullptr, nullptr, nullptr};
    OrbitPose probe = pose;
    fields[0] = &probe.azimuth, fields[1] = &probe.elevation, fields[2] = &probe.distance,
    fields[3] = &probe.fov;
    const double expected[4] = {analytic.azimuth, analytic.elevation, analytic.distance, analytic.fov};
    for (int i = 0; i < 4; ++i) {
      const double original = *fields[i];
      *fields[i] = original + h;
      const double plus = loss(probe);
      *fields[i] = original - h;
      const double minus = loss(probe);
      *fields[i] = original;
      EXPECT_NEAR(expected[i], (plus - minus) / (2 * h), 2e-4 + 1e-3 * std::abs(expected[i]))
          << "parameter " << i;
    }
  }
}

TEST(PoseFit, OrbitChainRuleMatchesFiniteDifferencesThroughTheRenderer) {
  Renderer renderer(Backend::cpu);
  const Mesh mesh = test::cube_mesh(0.4f);
  RasterSettings settings;
  settings.width = settings.height = 24;
  settings.distribution = Distribution::logistic;
  settings.squared = false;
  settings.sigma = 0.05f;
  Images target(1, 24, 24);
  for (int r = 6; r < 18; ++r) {
    for (int c = 4; c < 16; ++c) target.at(0, r, c, 3) = 1.0f;
  }
  const auto loss = [&](const OrbitPose& pose, Images* dL_dimage) {
    const Camera camera = pose.camera();
    return silhouette_iou_loss(renderer.forward(mesh, std::span(&camera, 1), settings), target, dL_dimage);
  };
  const OrbitPose pose{25.0, 15.0, 2.5, 30.0};
  Images dL_dimage(1, 24, 24);
  loss(pose, &dL_dimage);
  const OrbitPose analytic = orbit_gradient(pose, renderer.backward(dL_dimage).dL_dcameras[0]);
  const double expected[4] = {analytic.azimuth, analytic.elevation, analytic.distance, analytic.fov};
  const double steps[4] = {0.5, 0.5, 0.02, 0.5};
  for (int i = 0; i < 4; ++i) {
    OrbitPose plus = pose, minus = pose;
    double* p[4] = {&plus.azimuth, &plus.elevation, &plus.distance, &plus.fov};
    double* m[4] = {&minus.azimuth, &minus.elevation, &minus.distance, &minus.fov};
    *p[i] += steps[i];
    *m[i] -= steps[i];
    const double numeric = (loss(plus, nullptr) - loss(minus, nullptr)) / (2 * steps[i]);
    // Float32 rendering: a few percent of the gradient, plus a small absolute floor.
    EXPECT_NEAR(expected[i], numeric, 1e-4 + 0.05 * std::abs(numeric)) << "parameter " << i;
  }
}

TEST(PoseFit, ConvergesFromAModerateStart) {
  Renderer renderer(Backend::cpu);
  PoseFitConfig config;
  config.raster.width = config.raster.height = 32;
  config.raster.distribution = Distribution::logistic;
  config.raster.squared = false;
  // Sigma stops at a tenth of a pixel: below that the soft silhouette's gradients at 32² are too sparse for a
  // test of the machinery (the experiment's own 1e-7 end is measured by `penumbra pose`, docs/fitting.md).
  config.steps = 100;
  config.sigma = Schedule::log_anneal(1e-1, 1e-2, 100);
  config.fit_fov = false;
  Mesh mesh = test::cube_mesh(0.3f);
  mesh.positions[7] *= 1.8f;  // one stretched corner makes the pose unique
  const PoseTrial trial = fit_pose(renderer, mesh, {0.0, 0.0, 3.0, 20.0}, {12.0, -9.0, 3.5, 20.0}, config);
  EXPECT_NEAR(trial.start_degrees, 15.0, 1e-9);
  EXPECT_LT(trial.final_degrees, 5.0) << "loss " << trial.final_loss;
}

}  // namespace
}  // namespace penumbra::test
