#include "number_checks.h"
#include "fit_options.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include "cli_support.h"
#include "penumbra/learning/image_targets.h"
#include "option_settings.h"
#include "penumbra/error.h"
#include "scene_options.h"
#include "threads_option.h"

namespace penumbra::cli {

using nlohmann::json;

RasterOptions FitOptions::fit_raster_defaults() {
  RasterOptions raster{"128"};
  raster.distribution = name(Distribution::uniform);
  raster.sigma = 0.03f;
  return raster;
}

void add_fit_options(CLI::App& command, FitOptions& o) {
  command.add_option(
      "--target-mesh", o.target_mesh,
      "Target mesh (OBJ, PLY, glTF/GLB, OFF, STL), normalised to the unit sphere for the fit; results "
      "are written in its own frame");
  command.add_option(
      "--target-texture", o.target_texture,
      "Texture (PNG, JPEG) giving the target mesh's vertex colours at its UVs, instead of its material's");
  command.add_option("--target-images", o.target_images,
                     "Folder of target photos, PNG or JPEG (with --cameras)");
  command.add_option("--cameras", o.cameras, "Camera file (JSON) of the target images");
  command.add_option("--masks", o.masks,
                     "Folder of silhouette masks, one per target image with its file stem (PNG or JPEG)");
  command.add_option("--background-color", o.background_color,
                     "R,G,B (0-1 or 0-255) of the photos' plain background: the silhouette of images without "
                     "alpha or mask");
  command
      .add_option("--background-tolerance", o.background_tolerance,
                  "Largest channel difference (0-1) still counted as --background-color")
      ->capture_default_str()
      ->check(in_range(0, 1));
  command
      .add_option("--image-size", o.image_size,
                  "Fit the target images at this width (aspect kept; 0: as given)")
      ->capture_default_str()
      ->check(in_range(0, 16384));
  command.add_option("--downscale", o.downscale, "Fit the target images at 1/K of their size")
      ->capture_default_str()
      ->check(in_range(1, 1024));
  command.add_option("--template", o.templ, "icosphere:N or a mesh file")->capture_default_str();
  command.add_option("--views", o.views, "Training views of a target mesh")
      ->capture_default_str()
      ->check(in_range(1, 1024));
  command.add_option("--held-out", o.held_out, "Held-out views of a target mesh")
      ->capture_default_str()
      ->check(in_range(1, 1024));
  command.add_option("--iters", o.iters, "Optimisation steps")
      ->capture_default_str()
      ->check(in_range(1, 100000000.0));
  command.add_option("--views-per-step", o.views_per_step, "Random training views per step")
      ->capture_default_str()
      ->check(in_range(1, 1024));
  o.raster.add_to(command);
  char sigma[32];
  std::snprintf(sigma, sizeof(sigma), "%g", double(o.raster.sigma.value_or(0.0f)));
  command.get_option("--sigma")
      ->description("Starting sigma, NDC units (NDC^2 with --squared: give it then)")
      ->default_str(sigma);
  command.add_option("--sigma-end", o.sigma_end, "Log-anneal sigma to this value over the run (0: constant)")
      ->capture_default_str()
      ->check(in_range(0, 100));
  command.add_option("--optimiser", o.optimiser, "adam or sgd (momentum 0.9)")->capture_default_str();
  command.add_option("--lr", o.lr, "Learning rate")->capture_default_str()->check(in_range(1e-09, 100));
  command
      .add_option("--lr-end", o.lr_end,
                  "Cosine-decay the learning rate to this value over the run (0: constant)")
      ->capture_default_str()
      ->check(in_range(0, 100));
  command.add_option("--laplacian", o.laplacian, "Weight of the uniform Laplacian")
      ->capture_default_str()
      ->check(in_range(0, 1000000.0));
  command.add_option("--edge", o.edge, "Weight of the squared edge length")
      ->capture_default_str()
      ->check(in_range(0, 1000000.0));
  command.add_option("--normal", o.normal, "Weight of normal consistency")
      ->capture_default_str()
      ->check(in_range(0, 1000000.0));
  command.add_option("--flatten", o.flatten, "Weight of the flatten loss")
      ->capture_default_str()
      ->check(in_range(0, 1000000.0));
  command.add_flag("--fit-colors", o.fit_colors, "Also fit per-vertex colours (L2 on RGB)");
  command.add_option("--seed", o.seed, "Seed of the view draws")
      ->capture_default_str()
      ->check(in_range(0, kMaxSeed));
  command
      .add_option("--checkpoint-every", o.checkpoint_every,
                  "Checkpoint and evaluate every N steps (0: end only)")
      ->capture_default_str()
      ->check(in_range(0, 100000000.0));
  command
      .add_option("--stop-after", o.stop_after, "Stop (with a checkpoint, like Ctrl-C) once N steps are done")
      ->check(in_range(0, 100000000.0));
  command.add_option("--resume", o.resume, "Continue the fit in this folder from its last checkpoint");
  command.add_option("--out", o.out, "Output folder");
  command.add_flag("--quiet", o.quiet, "No progress output");
  command.add_flag("--force", o.force,
                   "Overwrite a finished fit in the --out folder (a batch: rerun finished jobs)");
  add_threads_option(command, o.threads);
}

namespace {

constexpr std::array<std::string_view, 10> kRunOnly = {
    "out", "resume", "stop-after", "quiet", "force", "batch", "shard", "jobs", "threads", "summary-dir"};

}  // namespace

json settings_json(const CLI::App& parser) { return option_settings(parser, kRunOnly); }

ParsedFitOptions options_from_json(const json& object, const std::string& where) {
  ParsedFitOptions parsed;
  parsed.settings = parse_option_settings(
      object, where, [&](CLI::App& parser) { add_fit_options(parser, parsed.options); }, kRunOnly);
  return parsed;
}

namespace {

// "R,G,B" in [0, 1], or in 0-255 when any value is above 1.
glm::vec3 parse_color(const std::string& text) {
  glm::vec3 color(0.0f);
  char tail = 0;
  if (std::sscanf(text.c_str(), "%f,%f,%f%c", &color.x, &color.y, &color.z, &tail) != 3 ||
      !std::isfinite(color.x + color.y + color.z) || glm::min(color.x, glm::min(color.y, color.z)) < 0.0f ||
      glm::max(color.x, glm::max(color.y, color.z)) > 255.0f) {
    throw UsageError{"--background-color '" + text + "' is not R,G,B; write e.g. 1,1,1 or 255,255,255"};
  }
  if (glm::max(color.x, glm::max(color.y, color.z)) > 1.0f) color /= 255.0f;
  return color;
}

}  // namespace

learning::MeshFitConfig build_config(const FitOptions& o) {
  const bool by_mesh = !o.target_mesh.empty(), by_images = !o.target_images.empty() || !o.cameras.empty();
  if (by_mesh == by_images) {
    throw UsageError{"give either --target-mesh FILE or --target-images DIR with --cameras FILE.json"};
  }
  if (by_images && (o.target_images.empty() || o.cameras.empty())) {
    throw UsageError{"--target-images and --cameras go together"};
  }
  if (by_mesh && (!o.masks.empty() || !o.background_color.empty() || o.image_size != 0 || o.downscale != 1)) {
    throw UsageError{"--masks, --background-color, --image-size and --downscale are for --target-images"};
  }
  if (o.image_size < 0 || o.downscale < 1 || (o.image_size > 0 && o.downscale > 1)) {
    throw UsageError{"give --image-size W (W >= 1) or --downscale K (K >= 1), not both"};
  }
  if (o.iters < 1) throw UsageError{"--iters must be >= 1"};
  if (o.views < 1 || o.views > 1024 || o.held_out < 1 || o.held_out > 1024) {
    throw UsageError{"--views and --held-out must be in 1..1024"};
  }
  if (o.sigma_end < 0.0f) throw UsageError{"--sigma-end must be >= 0"};
  if (!(o.lr > 0.0) || o.lr_end < 0.0) throw UsageError{"--lr must be > 0 and --lr-end >= 0"};

  learning::MeshFitConfig config;
  config.template_mesh = load_mesh_argument(o.templ, true, "--template");
  config.raster = o.raster.settings();
  const double sigma = config.raster.sigma;
  config.sigma = o.sigma_end > 0.0f ? learning::Schedule::log_anneal(sigma, o.sigma_end, o.iters)
                                    : learning::Schedule::constant(sigma);
  config.learning_rate =
      o.lr_end > 0.0 ? learning::Schedule{learning::ScheduleKind::cosine, o.lr, o.lr_end, 1.0, o.iters}
                     : learning::Schedule::constant(o.lr);
  config.optimiser.kind = core::parse_optimiser_kind(o.optimiser);
  config.views_per_step = o.views_per_step;
  config.regularisers = {o.laplacian, o.edge, o.normal, o.flatten};
  config.fit_colors = o.fit_colors;
  config.seed = o.seed;
  config.backend = o.raster.parsed_backend();
  config.threads = o.threads;
  if (by_mesh) {
    Mesh target = load_mesh_argument(o.target_mesh, false, "--target-mesh");
    config.target_normalization = normalize_to_unit_sphere(target);
    if (!o.target_texture.empty()) {
      target.texture = load_image(o.target_texture);
      if (!target.has_texture())
        throw UsageError{"--target-texture needs a target mesh with UVs (vt in OBJ)"};
      bake_texture_to_colors(target);
    }
    if (o.fit_colors) ensure_colors(target);
    config.target_mesh = std::move(target);
    config.target_views = o.views;
    config.held_out_views = o.held_out;
  } else {
    learning::ImageTargetOptions image_options;
    image_options.masks = o.masks;
    if (!o.background_color.empty()) image_options.background_color = parse_color(o.background_color);
    image_options.tolerance = o.background_tolerance;
    image_options.width = o.image_size;
    image_options.downscale = o.downscale;
    learning::ImageTargets targets = learning::load_image_targets(o.target_images, o.cameras, image_options);
    config.target_images = std::move(targets.images);
    config.target_cameras = std::move(targets.cameras);
  }
  return config;
}

}  // namespace penumbra::cli
