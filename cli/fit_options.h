#pragma once
// The options of `penumbra fit`, declared once on a CLI11 parser. The same declaration maps them to and from
// JSON: config.json (read by --resume) and batch jobs are objects keyed by the long option names.
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "penumbra/learning/mesh_fit.h"
#include "raster_options.h"

namespace penumbra::cli {

/// The defaults are the tuned settings of the silhouette quality run (docs/fitting.md): uniform coverage with
/// sigma log-annealed 0.03 -> 0.005 NDC, Adam with the learning rate cosine-decayed 0.01 -> 0.001, 6 of 20
/// views per step at 128 x 128, Laplacian weight 10.
struct FitOptions {
  std::string target_mesh;
  std::string target_texture;
  std::string target_images;
  std::string cameras;
  std::string masks;
  std::string background_color;
  float background_tolerance = 0.1f;
  int image_size = 0;
  int downscale = 1;
  std::string templ = "icosphere:4";
  int views = 20;
  int held_out = 8;
  int iters = 500;
  int views_per_step = 6;
  RasterOptions raster = fit_raster_defaults();
  float sigma_end = 0.005f;
  std::string optimiser = "adam";
  double lr = 0.01;
  double lr_end = 0.001;
  double laplacian = 10.0;
  double edge = 1.0;
  double normal = 0.01;
  double flatten = 0.0;
  bool fit_colors = false;
  std::uint64_t seed = 1;
  int checkpoint_every = 100;
  int stop_after = 0;
  std::string resume;
  std::string out;
  bool quiet = false;
  bool force = false;
  int threads = 0;

  /// 128 x 128, uniform coverage, sigma starting at 0.03 NDC.
  static RasterOptions fit_raster_defaults();
};

/// Declares every option of `penumbra fit` but --batch on `command`, bound to `options`.
void add_fit_options(CLI::App& command, FitOptions& options);

/// The fit's settings after `parser` parsed them: each option as given, the others at their defaults, keyed by
/// long option name. The options of one run only (--out, --resume, --stop-after, --quiet, --force, --threads
/// and the batch options) are left out: they do not change the result.
nlohmann::json settings_json(const CLI::App& parser);

/// Options parsed from JSON, with their settings_json (what a new fit writes as config.json).
struct ParsedFitOptions {
  FitOptions options;
  nlohmann::json settings;
};

/// Options from a JSON object keyed by long option names ({"target-mesh": "a.obj", "fit-colors": true}),
/// parsed exactly as the command line; throws penumbra::Error naming `where` on a bad key or value.
ParsedFitOptions options_from_json(const nlohmann::json& object, const std::string& where);

/// Everything a MeshFit needs, validated (and its files read) before any output folder is touched.
learning::MeshFitConfig build_config(const FitOptions& options);

}  // namespace penumbra::cli
