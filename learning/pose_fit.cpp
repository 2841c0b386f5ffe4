#include "penumbra/learning/pose_fit.h"

#include <cmath>
#include <numbers>
#include <vector>

#include "penumbra/learning/losses.h"
#include "penumbra/core/optimiser.h"
#include "penumbra/core/random.h"
#include "penumbra/error.h"

namespace penumbra::learning {
namespace {

constexpr double kRadians = std::numbers::pi / 180.0;

double wrap_degrees(double angle) { return angle - 360.0 * std::floor((angle + 180.0) / 360.0); }

double angle_to_truth(const OrbitPose& pose) {
  return std::hypot(wrap_degrees(pose.azimuth), wrap_degrees(pose.elevation));
}

// Box-Muller: one standard normal from two uniforms.
double normal(core::SplitMix64& random) {
  const double u = 1.0 - random.uniform(), v = random.uniform();
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

// Rotates the mesh so that the orbit camera at (0, 0) sees it as a camera at (azimuth, elevation) sees the
// original: rotate about y by -azimuth, then about x by the elevation.
Mesh rotated(const Mesh& mesh, double azimuth, double elevation, float scale) {
  const double ca = std::cos(azimuth * kRadians), sa = std::sin(azimuth * kRadians);
  const double ce = std::cos(elevation * kRadians), se = std::sin(elevation * kRadians);
  Mesh result = mesh;
  for (glm::vec3& p : result.positions) {
    const double x = ca * p.x - sa * p.z, z = sa * p.x + ca * p.z;
    const double y = ce * p.y + se * z, z2 = -se * p.y + ce * z;
    p = scale * glm::vec3(float(x), float(y), float(z2));
  }
  return result;
}

}  // namespace

Camera OrbitPose::camera() const {
  return Camera::orbit(float(azimuth), float(elevation), float(distance), float(fov));
}

OrbitPose orbit_gradient(const OrbitPose& pose, const CameraGradient& dL_dcamera) {
  // eye = d (cos e sin a, sin e, -cos e cos a) with a, e in radians.
  const double a = pose.azimuth * kRadians, e = pose.elevation * kRadians, d = pose.distance;
  const glm::dvec3 deye_da = d * glm::dvec3(std::cos(e) * std::cos(a), 0.0, std::cos(e) * std::sin(a));
  const glm::dvec3 deye_de =
      d * glm::dvec3(-std::sin(e) * std::sin(a), std::cos(e), std::sin(e) * std::cos(a));
  const glm::dvec3 deye_dd(std::cos(e) * std::sin(a), std::sin(e), -std::cos(e) * std::cos(a));
  const glm::dvec3 g(dL_dcamera.eye);
  OrbitPose gradient;
  gradient.azimuth = glm::dot(g, deye_da) * kRadians;
  gradient.elevation = glm::dot(g, deye_de) * kRadians;
  gradient.distance = glm::dot(g, deye_dd);
  gradient.fov = dL_dcamera.fov_degrees;
  return gradient;
}

PoseTrial fit_pose(Renderer& renderer, const Mesh& mesh, const OrbitPose& target, const OrbitPose& start,
                   const PoseFitConfig& config) {
  RasterSettings hard = config.raster;
  hard.distribution = Distribution::heaviside;
  hard.squared = false;
  hard.aggregation = Aggregation::hard;
  const Camera target_camera = target.camera();
  const Images target_image = renderer.forward(mesh, std::span(&target_camera, 1), hard);

  core::OptimiserSettings adam;
  adam.beta1 = config.beta1;
  adam.beta2 = config.beta2;
  core::Optimiser optimiser(adam, 4);
  std::vector<float> parameters{float(start.azimuth), float(start.elevation), float(start.distance),
                                float(start.fov)};
  PoseTrial trial;
  trial.start_degrees = angle_to_truth(start);
  RasterSettings soft = config.raster;
  OrbitPose pose = start;
  for (int step = 0; step < config.steps; ++step) {
    soft.sigma = float(config.sigma.value(step));
    const Camera camera = pose.camera();
    const Images& image = renderer.forward(mesh, std::span(&camera, 1), soft);
    Images dL_dimage(1, image.height, image.width);
    trial.final_loss = config.mse_loss ? l2_loss(image, target_image, Channels::alpha, &dL_dimage)
                                       : silhouette_iou_loss(image, target_image, &dL_dimage);
    const OrbitPose g = orbit_gradient(pose, renderer.backward(dL_dimage).dL_dcameras[0]);
    const std::vector<float> gradients{float(g.azimuth), float(g.elevation), float(g.distance),
                                       config.fit_fov ? float(g.fov) : 0.0f};
    optimiser.step(parameters, gradients, config.learning_rate);
    // Keep the camera outside the object's sphere and the field of view sensible.
    parameters[2] = std::max(parameters[2], 1.0f);
    parameters[3] = std::clamp(parameters[3], 1.0f, 120.0f);
    pose = {parameters[0], parameters[1], parameters[2], parameters[3]};
  }
  trial.final_degrees = angle_to_truth(pose);
  trial.success = trial.final_degrees < config.success_degrees;
  return trial;
}

double PoseRangeResult::success_rate() const {
  if (trials.empty()) return 0.0;
  double successes = 0.0;
  for (const PoseTrial& t : trials) successes += t.success ? 1.0 : 0.0;
  return successes / double(trials.size());
}

std::vector<PoseRangeResult> run_pose_experiment(const Mesh& mesh, const PoseFitConfig& config,
                                                 const std::vector<std::pair<double, double>>& ranges,
                                                 int trials, std::uint64_t seed,
                                                 const std::function<void(int, int)>& progress) {
  mesh.validate("pose mesh");
  config.raster.validate();
  config.sigma.validate("pose sigma schedule");
  if (trials < 1 || config.steps < 1) {
    throw Error("pose experiment needs at least one trial and one step", "trials/steps",
                "use positive counts");
  }
  Renderer renderer(config.backend, RendererOptions{.threads = config.threads});
  std::vector<PoseRangeResult> results;
  for (std::size_t r = 0; r < ranges.size(); ++r) {
    PoseRangeResult result{ranges[r].first, ranges[r].second, {}};
    // Each range draws from its own stream so adding trials to one range leaves the others unchanged.
    core::SplitMix64 random{seed + 0x1000003ULL * r};
    for (int t = 0; t < trials; ++t) {
      const Mesh posed = rotated(mesh, 60.0 * normal(random), 60.0 * normal(random), 0.4f);
      const OrbitPose target{0.0, 0.0, 2.5 + 1.5 * random.uniform(), 20.0};
      const double angle = result.min_degrees + (result.max_degrees - result.min_degrees) * random.uniform();
      const double direction = 2.0 * std::numbers::pi * random.uniform();
      OrbitPose start{angle * std::cos(direction), angle * std::sin(direction), 2.0 + 8.0 * random.uniform(),
                      10.0 + 20.0 * random.uniform()};
      if (!config.fit_fov) start.fov = target.fov;
      result.trials.push_back(fit_pose(renderer, posed, target, start, config));
      if (progress) progress(int(r), t);
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace penumbra::learning
