#pragma once
// What a fit is made from (template, targets, image size) and the settings that may change while it runs.
#include <string>

#include "penumbra/learning/mesh_fit.h"
#include "penumbra/renderer.h"
#include "penumbra/settings.h"

namespace penumbra::viewer {

/// Settings the UI changes live; the trainer applies them between steps.
struct FitControls {
  RasterSettings
      raster;  ///< all but the image size (FitSetup::image_size or the target images'); constant sigma
  float learning_rate = 0.01f;
  int views_per_step = 4;
};

/// The sources of a fit; changing any of them restarts the fit.
struct FitSetup {
  std::string template_mesh = "icosphere:3";  ///< "icosphere:N" or a mesh file
  std::string target_mesh;    ///< a mesh file; empty: target_images + cameras, or the default target
  std::string target_images;  ///< folder of the images named by the camera file (default: the file's folder)
  std::string cameras;        ///< camera JSON (data/camera_file.h) for image targets
  std::string masks;          ///< folder of silhouette masks of the target images (image_targets.h)
  bool fit_colors = false;    ///< also fit per-vertex colours, to the images' or the target mesh's colours
  int image_size = 128;       ///< square training images, pixels
  int target_views = 12;      ///< views rendered from a target mesh
  Backend backend = Backend::cpu;
};

/// Loads meshes and images and fills a MeshFitConfig; throws penumbra::Error naming the file at fault.
/// With neither a target mesh nor cameras it targets Debian's assimp test model "Wuson", or a generated
/// shape when that is not installed, so that a fresh machine shows a fit.
learning::MeshFitConfig make_fit_config(const FitSetup& setup, const FitControls& controls);

/// A short description of the default target, for the UI.
std::string default_target_name();

}  // namespace penumbra::viewer
