#pragma once
// The rasteriser options of every front end (`render`, `bench`, `fit`, `pose` and the viewer): one
// declaration of the flags, one parse into RasterSettings, one default rule for sigma.
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "penumbra/mesh.h"
#include "penumbra/renderer.h"
#include "penumbra/settings.h"

namespace penumbra::cli {

/// The one default of sigma when --sigma is not given: 0.01 NDC for the signed distance, its square
/// (1e-4 NDC^2) for the squared distance, so that both blur the same width of the edge.
float default_sigma(bool squared);

/// The flags' values as given; the defaults are RasterSettings' except for the signed (not squared) distance.
struct RasterOptions {
  std::string size;  ///< "S" (SxS) or "WxH"; each front end sets its own default image size
  std::string distribution{name(RasterSettings{}.distribution)};
  bool squared = false;
  std::optional<float> sigma;  ///< unset: default_sigma(squared)
  float shape = RasterSettings{}.shape;
  float shift = RasterSettings{}.shift;
  std::string aggregation{name(RasterSettings{}.aggregation)};
  float p = RasterSettings{}.p;
  float gamma = RasterSettings{}.gamma;
  std::string colors{name(RasterSettings{}.colors)};
  bool cull_back_faces = false;
  std::string compat = "penumbra";  ///< "gendr": RasterSettings::gendr_compatible()
  std::string backend = "cpu";

  explicit RasterOptions(std::string default_size) : size(std::move(default_size)) {}

  /// Declares --size, --distribution, --squared, --sigma, --shape, --shift, --aggregation, --p, --gamma,
  /// --colors, --cull-back-faces, --compat and --backend on `command`.
  void add_to(CLI::App& command);
  /// The validated settings; throws penumbra::Error naming the flag on a bad name, size or value.
  RasterSettings settings() const;
  /// --sigma, or default_sigma(--squared).
  float sigma_or_default() const;
  Backend parsed_backend() const;
};

/// Parses "S" (square) or "WxH" (e.g. "256x192"); throws penumbra::Error naming `flag` when malformed.
void parse_size(const std::string& text, const std::string& flag, int& width, int& height);

/// Loads a mesh file, or generates one for "icosphere:N"; normalises it to the unit sphere if asked. A
/// texture is baked into vertex colours (noted on stderr) unless `keep_texture`. Throws penumbra::Error
/// naming `flag` for a malformed "icosphere:N".
Mesh load_mesh_argument(const std::string& argument, bool normalize, const std::string& flag = "--mesh",
                        bool keep_texture = false);

}  // namespace penumbra::cli
