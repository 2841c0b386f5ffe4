#pragma once
// Everything the UI shows of a running fit, copied out of the trainer thread at a fixed rate.
#include <optional>
#include <string>
#include <vector>

#include "fit_setup.h"
#include "penumbra/learning/mesh_fit.h"
#include "penumbra/image.h"
#include "penumbra/mesh.h"

namespace penumbra::viewer {

struct FitSnapshot {
  bool has_fit = false;  ///< false until a fit was set up, or when setting it up failed
  bool paused = false;
  std::string status;    ///< the last error or notice ("saved result.obj")
  FitSetup setup;        ///< as the fit was made
  FitControls controls;  ///< as last applied
  std::string backend;   ///< the renderer backend that trains

  learning::StepMetrics last;                      ///< metrics of the newest step
  std::vector<float> loss;                         ///< total loss per step
  std::vector<float> iou;                          ///< soft silhouette IoU per step (training views)
  std::vector<float> held_out_iou;                 ///< hard IoU on held-out views, one per evaluation
  std::optional<learning::Evaluation> evaluation;  ///< the newest evaluation
  double steps_per_second = 0.0;

  int training_views = 0;                ///< how many training views the fit has
  std::vector<Camera> training_cameras;  ///< their cameras (drawn as frusta in the mesh preview)
  float training_aspect = 1.0f;          ///< width / height of the training images
  int first_shown_view = 0;              ///< index of the first training view in targets and renders
  Images targets;                        ///< a few training targets, from first_shown_view on
  Images renders;  ///< the current mesh from the same cameras, with the training settings
  Mesh mesh;       ///< the current mesh
  std::vector<float> gradient_magnitude;  ///< |dL/dposition| per vertex of the newest step
};

}  // namespace penumbra::viewer
