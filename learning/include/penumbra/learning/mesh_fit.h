#pragma once
/// Shape (and colour) from images: deform a template mesh by per-vertex offsets, optionally with per-vertex
/// colours, until its soft renders match target views. docs/fitting.md describes the losses and schedules.
///
/// Not thread-safe: one thread owns a MeshFit and calls every member, step() and the setters included
/// (the viewer's trainer thread does, and publishes copies of what it reads to the UI thread).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "penumbra/camera.h"
#include "penumbra/core/optimiser.h"
#include "penumbra/image.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"
#include "penumbra/settings.h"
#include "penumbra/learning/schedule.h"

namespace penumbra::learning {

/// Weights of the mesh regularisers added to the data loss (each regulariser is a mean, see regularisers.h).
struct RegulariserWeights {
  double laplacian = 1.0;  ///< uniform Laplacian: squared distance of each vertex to its neighbours' mean
  double edge = 1.0;       ///< squared edge length
  double normal = 0.01;    ///< normal consistency: 1 - cos between the normals of adjacent faces
  double flatten = 0.0;    ///< SoftRas flatten: (1 + cos)^2 of the dihedral angle's supplement
};

struct MeshFitConfig {
  /// The mesh to deform, e.g. icosphere(4); must be edge-manifold (every edge in one or two triangles).
  Mesh template_mesh;

  /// Targets (a): a mesh rendered in hard mode (heaviside coverage, hard z-buffer colours) from
  /// `target_views` training cameras spread over the sphere and `held_out_views` other cameras.
  std::optional<Mesh> target_mesh;
  int target_views = 20;
  int held_out_views = 8;
  /// How target (a) was brought to the unit sphere from its file (normalize_to_unit_sphere): result_mesh() and
  /// the Chamfer distance are in the file's own frame. Identity for targets (b), whose cameras set the frame.
  Normalization target_normalization;
  float camera_distance =
      kDefaultCameraDistance;  ///< world units from the origin (meshes near the unit sphere)
  float fov_degrees = kDefaultFovDegrees;

  /// Targets (b), when `target_mesh` is empty: one RGBA view per camera. With five or more views every fifth
  /// (index % 5 == 4) is held out for evaluation; with fewer, evaluation uses the training views.
  Images target_images;
  std::vector<Camera> target_cameras;

  /// Training render settings; width and height are the size targets (a) are rendered at (targets (b) set
  /// their own). Its `sigma` is not read: the `sigma` schedule is the one source of sigma.
  RasterSettings raster;
  bool fit_colors = false;  ///< also fit per-vertex RGB (starting at 0.5 grey) with an L2 loss on RGB

  core::OptimiserSettings optimiser;
  Schedule learning_rate = Schedule::constant(0.01);
  Schedule sigma = Schedule::constant(1e-4);
  int views_per_step = 4;          ///< training views drawn at random (without replacement) per step
  double silhouette_weight = 1.0;  ///< weight of the IoU loss on alpha
  double color_weight = 1.0;       ///< weight of the L2 loss on RGB (fit_colors only)
  RegulariserWeights regularisers;
  std::uint64_t seed = 1;  ///< draws of training views; same seed and settings give the same bits
  Backend backend = Backend::cpu;
  int threads =
      0;  ///< CPU backend worker threads (0: every CPU the process may run on); results do not depend on it
};

/// What one step measured on the views it trained on.
struct StepMetrics {
  int step = 0;                  ///< steps done after this one
  double loss = 0.0;             ///< the optimised total: weighted data losses plus weighted regularisers
  double silhouette_loss = 0.0;  ///< mean over the step's views of 1 - soft IoU
  double color_loss = 0.0;       ///< mean squared RGB error (fit_colors only)
  double regulariser_loss = 0.0;
  double silhouette_iou = 0.0;  ///< 1 - silhouette_loss: soft IoU on the step's views
  double sigma = 0.0;
  double learning_rate = 0.0;
};

/// Metrics of the current mesh on the held-out views (hard renders), and against the target mesh when known.
struct Evaluation {
  double silhouette_iou = 0.0;  ///< IoU of alpha > 0.5, pooled over all held-out pixels
  bool held_out = true;         ///< false when the targets left no view to hold out (training views used)
  int views = 0;
  std::optional<double> chamfer;  ///< symmetric Chamfer distance (metrics.h) in the target file's frame
  std::optional<double> psnr_db;  ///< RGB PSNR on the held-out views (fit_colors only)
};

class MeshFit {
 public:
  /// Validates the config (throws penumbra::Error naming the problem) and renders targets (a).
  explicit MeshFit(MeshFitConfig config);
  ~MeshFit();
  MeshFit(const MeshFit&) = delete;
  MeshFit& operator=(const MeshFit&) = delete;
  MeshFit(MeshFit&&) noexcept;
  MeshFit& operator=(MeshFit&&) noexcept;

  /// One optimisation step on a random subset of the training views.
  StepMetrics step();
  int steps_done() const;
  /// The metrics of every step done, first to last; saved in and restored from checkpoints, so a resumed
  /// fit's history is whole whatever happened to files written from it.
  const std::vector<StepMetrics>& history() const;

  /// Hard-mode metrics on the held-out views (renders them; does not change the fit).
  Evaluation evaluate();

  /// The deformed template, with the fitted colours when fit_colors, in the frame the fit runs in.
  const Mesh& current_mesh() const;
  /// current_mesh() mapped back into the target's own frame (config().target_normalization undone).
  Mesh result_mesh() const;
  const MeshFitConfig& config() const;
  /// Training targets and their cameras (for targets (b): the images that were not held out).
  const Images& target_images() const;
  const std::vector<Camera>& target_cameras() const;
  const Images& held_out_images() const;
  const std::vector<Camera>& held_out_cameras() const;
  /// The current training settings, with the sigma of the next step.
  RasterSettings raster_settings() const;

  /// Renders the current mesh from `cameras` with `settings`; the result stays valid until the next
  /// render/step.
  const Images& render(std::span<const Camera> cameras, const RasterSettings& settings);
  /// |dL/dposition| per vertex of the last step (zeros before the first).
  std::vector<float> gradient_magnitude() const;

  /// Setters for between steps.
  /// Replaces every render setting but the image size, which the targets fix; `settings.sigma` replaces the
  /// sigma schedule by a constant. Throws penumbra::Error (and changes nothing) on an invalid setting.
  void set_raster_settings(const RasterSettings& settings);
  /// Replaces the learning-rate schedule by a constant.
  void set_learning_rate(double learning_rate);
  /// Clamped to [1, number of training views].
  void set_views_per_step(int views);

  /// Writes step, RNG state, parameters, optimiser state and history atomically (temporary file + rename),
  /// with a checksum.
  void save_checkpoint(const std::filesystem::path& file) const;
  /// Restores a checkpoint written by a MeshFit of the same config; the fit then continues bit for bit.
  /// Throws penumbra::Error naming the file if it is unreadable or belongs to another template.
  void load_checkpoint(const std::filesystem::path& file);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace penumbra::learning
