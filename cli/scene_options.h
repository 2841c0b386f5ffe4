#pragma once
// Options shared by the commands that render: cameras and per-vertex colours (raster_options.h holds the
// rasteriser options).
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "penumbra/camera.h"
#include "penumbra/image.h"
#include "penumbra/mesh.h"
#include "raster_options.h"

namespace penumbra::cli {

struct CameraOptions {
  int views = 1;
  float azimuth = 0.0f;
  float elevation = 30.0f;
  float distance = kDefaultCameraDistance;
  float fov = kDefaultFovDegrees;
  std::string cameras_file;

  void add_to(CLI::App& command);
  /// The cameras file's cameras, or `views` cameras on a ring at the given elevation and distance.
  std::vector<Camera> cameras() const;
};

/// The views in which no pixel's alpha exceeds 0.5: cameras that see none of the mesh.
std::vector<int> views_without_mesh(const Images& images);

/// Per-vertex colours for rendering: the mesh's own, or (when it has none) its normals mapped to [0, 1].
void ensure_colors(Mesh& mesh);

}  // namespace penumbra::cli
