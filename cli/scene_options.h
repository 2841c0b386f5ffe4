#pragma once
// Options shared by the commands that render: mesh source, raster settings, cameras and backend.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "penumbra/camera.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"
#include "penumbra/settings.h"

namespace penumbra::cli {

struct RasterOptions {
  std::string size = "256x256";
  std::string distribution = "logistic";
  bool squared = false;
  std::optional<float> sigma;  // unset: 1e-4 with squared distance, 0.01 with linear distance
  float shape = 1.0f;
  float shift = 0.0f;
  std::string tconorm = "probabilistic";
  float p = 2.0f;
  float gamma = 1e-4f;
  std::string colors = "softmax";
  bool cull_back_faces = false;
  std::string backend = "cpu";

  void add_to(CLI::App& command);
  /// Parses names and sizes and validates; throws penumbra::Error or UsageError on bad values.
  RasterSettings settings() const;
  Backend parsed_backend() const;
};

struct CameraOptions {
  int views = 1;
  float azimuth = 0.0f;
  float elevation = 30.0f;
  float distance = 2.732f;
  float fov = 30.0f;
  std::string cameras_file;

  void add_to(CLI::App& command);
  /// The cameras file's cameras, or `views` cameras on a ring at the given elevation and distance.
  std::vector<Camera> cameras() const;
};

/// Loads a mesh file, or generates one for "icosphere:N"; normalises it to the unit sphere if asked.
Mesh load_mesh_argument(const std::string& argument, bool normalize);

/// Per-vertex colours for rendering: the mesh's own, or (when it has none) its normals mapped to [0, 1].
void ensure_colors(Mesh& mesh);

}  // namespace penumbra::cli
