#pragma once
/// Camera pose from one image of a known mesh: GenDR's camera experiment (protocol in docs/fitting.md). The
/// camera is Camera::orbit(azimuth, elevation, distance, fov) looking at the origin; the object is rotated at
/// random so the true camera is always at azimuth = elevation = 0, and success means
/// sqrt(azimuth² + elevation²) < 5°.
#include <cstdint>
#include <functional>
#include <vector>

#include "penumbra/camera.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"
#include "penumbra/settings.h"
#include "penumbra/learning/schedule.h"

namespace penumbra::learning {

/// The optimised camera parameters; angles in degrees.
struct OrbitPose {
  double azimuth = 0.0;
  double elevation = 0.0;
  double distance = 3.0;
  double fov = 20.0;

  Camera camera() const;
};

/// dL/d(azimuth, elevation, distance, fov) (per degree, per world unit) of Camera::orbit, chained
/// analytically from the renderer's dL/d(eye, fov); the up vector and the look-at point do not depend on the
/// parameters.
OrbitPose orbit_gradient(const OrbitPose& pose, const CameraGradient& dL_dcamera);

struct PoseFitConfig {
  RasterSettings raster;  ///< size, distribution, aggregation; sigma comes from `sigma`
  int steps = 1000;
  Schedule sigma = Schedule::log_anneal(1e-1, 1e-7, 1000);  ///< numpy.logspace(-1, -7, steps)
  double learning_rate = 0.3;
  double beta1 = 0.5, beta2 = 0.99;
  bool fit_fov = true;
  bool mse_loss = false;  ///< MSE on alpha instead of the IoU loss
  double success_degrees = 5.0;
  Backend backend = Backend::cpu;
  int threads = 0;  ///< CPU backend worker threads (0: every CPU the process may run on)
};

struct PoseTrial {
  double start_degrees = 0.0;  ///< angle between the start and the true view
  double final_degrees = 0.0;  ///< sqrt(azimuth² + elevation²) after the last step
  double final_loss = 0.0;
  bool success = false;
};

/// Fits one pose: renders `target` (hard mode) of `mesh`, then optimises `start` with Adam for config.steps.
PoseTrial fit_pose(Renderer& renderer, const Mesh& mesh, const OrbitPose& target, const OrbitPose& start,
                   const PoseFitConfig& config);

struct PoseRangeResult {
  double min_degrees = 0.0, max_degrees = 0.0;
  std::vector<PoseTrial> trials;
  double success_rate() const;
};

/// The experiment: for each start range [min, max] degrees, `trials` problems, each a random object rotation
/// (azimuth and elevation ~ N(0, 60²)°), true distance 2.5 + U[0, 1.5], fov 20°, and a start at a uniform
/// angle in the range in a uniform direction, distance 2 + U[0, 8], fov 10 + U[0, 20]° (20° if not fitted).
/// `mesh` should fit the unit sphere; it is scaled to radius 0.4 so it fills the 20° view at distance 2.5.
/// `progress(range, trial)` is called after each trial.
std::vector<PoseRangeResult> run_pose_experiment(const Mesh& mesh, const PoseFitConfig& config,
                                                 const std::vector<std::pair<double, double>>& ranges,
                                                 int trials, std::uint64_t seed,
                                                 const std::function<void(int, int)>& progress = {});

}  // namespace penumbra::learning
