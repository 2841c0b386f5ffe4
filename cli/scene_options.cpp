#include "number_checks.h"
#include "scene_options.h"

#include "cli_support.h"
#include "penumbra/data/camera_file.h"
#include "penumbra/error.h"

namespace penumbra::cli {

void CameraOptions::add_to(CLI::App& command) {
  command.add_option("--views", views, "Number of views on a ring around the mesh")
      ->capture_default_str()
      ->check(in_range(1, 4096));
  command.add_option("--azimuth", azimuth, "Azimuth of the first view, degrees")
      ->capture_default_str()
      ->check(in_range(-3600, 3600));
  command.add_option("--elevation", elevation, "Elevation of the views, degrees")
      ->capture_default_str()
      ->check(in_range(-90, 90));
  command.add_option("--distance", distance, "Camera distance from the origin")
      ->capture_default_str()
      ->check(in_range(0.001, 1000000.0));
  command.add_option("--fov", fov, "Vertical field of view, degrees")
      ->capture_default_str()
      ->check(in_range(0.01, 179));
  command.add_option("--cameras", cameras_file, "JSON camera file (overrides the ring)");
}

std::vector<Camera> CameraOptions::cameras() const {
  if (!cameras_file.empty()) {
    std::vector<Camera> result;
    for (const auto& entry : data::read_camera_file(cameras_file)) result.push_back(entry.camera);
    return result;
  }
  if (views < 1 || views > 4096) {
    throw UsageError{"--views " + std::to_string(views) + " is out of range; use 1 to 4096"};
  }
  std::vector<Camera> result;
  for (int view = 0; view < views; ++view) {
    Camera camera = Camera::orbit(azimuth + 360.0f * float(view) / float(views), elevation, distance, fov);
    camera.validate("--azimuth/--elevation/--distance/--fov");
    result.push_back(camera);
  }
  return result;
}

std::vector<int> views_without_mesh(const Images& images) {
  std::vector<int> empty;
  const std::size_t pixels = images.pixels_per_view();
  for (int view = 0; view < images.views; ++view) {
    const float* rgba = images.rgba.data() + std::size_t(view) * pixels * 4;
    bool seen = false;
    for (std::size_t i = 0; i < pixels && !seen; ++i) seen = rgba[i * 4 + 3] > 0.5f;
    if (!seen) empty.push_back(view);
  }
  return empty;
}

void ensure_colors(Mesh& mesh) {
  if (!mesh.colors.empty()) return;
  mesh.colors = vertex_normals(mesh);
  for (auto& c : mesh.colors) c = 0.5f * c + 0.5f;
}

}  // namespace penumbra::cli
