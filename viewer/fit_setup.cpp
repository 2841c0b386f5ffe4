#include "fit_setup.h"

#include <cmath>
#include <filesystem>

#include "penumbra/learning/image_targets.h"
#include "penumbra/error.h"
#include "penumbra/image.h"
#include "penumbra/mesh.h"
#include "raster_options.h"

namespace penumbra::viewer {

namespace {

const std::filesystem::path kDebianModel = "/usr/share/assimp/models/OBJ/WusonOBJ.obj";

// A lumpy sphere: three lobes of different sizes, so the fit has something to discover.
Mesh generated_target() {
  Mesh mesh = icosphere(4);
  for (glm::vec3& p : mesh.positions) {
    const float lobes = 0.25f * std::max(0.0f, p.x) + 0.35f * std::max(0.0f, p.y) * std::max(0.0f, p.y) +
                        0.2f * std::sin(3.0f * p.z) * std::cos(2.0f * p.x);
    p *= 0.75f + lobes;
  }
  return mesh;
}

// Targets are rendered from cameras around the unit sphere; with colours when they are fitted, from the
// mesh's texture or its own vertex colours.
Mesh load_target(const std::filesystem::path& path, bool fit_colors, Normalization& normalization) {
  Mesh mesh = load_mesh(path);
  normalization = normalize_to_unit_sphere(mesh);
  if (!fit_colors) {
    mesh.colors.clear();
  } else if (mesh.has_texture()) {
    bake_texture_to_colors(mesh);
  } else if (mesh.colors.empty()) {
    throw Error("the target mesh has neither vertex colours nor a texture", path.string(),
                "fit its shape only, or give a coloured or textured mesh");
  }
  return mesh;
}

}  // namespace

std::string default_target_name() {
  return std::filesystem::exists(kDebianModel) ? kDebianModel.string() : "generated lumpy sphere";
}

learning::MeshFitConfig make_fit_config(const FitSetup& setup, const FitControls& controls) {
  learning::MeshFitConfig config;
  config.template_mesh = cli::load_mesh_argument(setup.template_mesh, true, "--template");
  config.fit_colors = setup.fit_colors;
  if (!setup.target_mesh.empty()) {
    config.target_mesh = load_target(setup.target_mesh, setup.fit_colors, config.target_normalization);
  } else if (!setup.cameras.empty()) {
    const std::filesystem::path cameras_file = setup.cameras;
    const std::filesystem::path folder =
        setup.target_images.empty() ? cameras_file.parent_path() : std::filesystem::path(setup.target_images);
    learning::ImageTargetOptions image_options;
    image_options.masks = setup.masks;
    learning::ImageTargets targets = learning::load_image_targets(folder, cameras_file, image_options);
    config.target_images = std::move(targets.images);
    config.target_cameras = std::move(targets.cameras);
  } else {
    config.fit_colors = false;
    config.target_mesh = std::filesystem::exists(kDebianModel)
                             ? load_target(kDebianModel, false, config.target_normalization)
                             : generated_target();
  }

  config.target_views = setup.target_views;
  config.held_out_views = 4;
  config.backend = setup.backend;
  config.raster = controls.raster;
  config.raster.width = config.target_mesh ? setup.image_size : config.target_images.width;
  config.raster.height = config.target_mesh ? setup.image_size : config.target_images.height;
  config.sigma = learning::Schedule::constant(controls.raster.sigma);
  config.learning_rate = learning::Schedule::constant(controls.learning_rate);
  config.views_per_step = controls.views_per_step;
  return config;
}

}  // namespace penumbra::viewer
