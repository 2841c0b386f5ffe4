#include "scene_options.h"

#include "cli_support.h"
#include "data/camera_file.h"
#include "penumbra/error.h"

namespace penumbra::cli {

void RasterOptions::add_to(CLI::App& command) {
  command.add_option("--size", size, "Image size WIDTHxHEIGHT")->capture_default_str();
  command.add_option("--distribution", distribution, "Coverage distribution (see `penumbra info`)")
      ->capture_default_str();
  command.add_flag("--squared", squared, "Use the squared signed distance (SoftRas style)");
  command.add_option("--sigma", sigma, "Distribution scale in NDC units (NDC^2 with --squared); default 1e-4 "
                                       "squared, 0.01 linear");
  command.add_option("--shape", shape, "Shape p of gamma / gamma_rev")->capture_default_str();
  command.add_option("--shift", shift, "Shift of the distribution's argument")->capture_default_str();
  command.add_option("--tconorm", tconorm, "Silhouette aggregation (see `penumbra info`)")->capture_default_str();
  command.add_option("--p", p, "T-conorm parameter")->capture_default_str();
  command.add_option("--gamma", gamma, "Softmax depth temperature")->capture_default_str();
  command.add_option("--colors", colors, "Colour blend: softmax or hard")->capture_default_str();
  command.add_flag("--cull-back-faces", cull_back_faces, "Leave back faces out of the colour blend");
  command.add_option("--backend", backend, "cpu, vulkan, cuda or auto")->capture_default_str();
}

RasterSettings RasterOptions::settings() const {
  RasterSettings s;
  parse_size(size, "--size", s.width, s.height);
  s.distribution = parse_distribution(distribution);
  s.squared = squared;
  s.sigma = sigma.value_or(squared ? 1e-4f : 0.01f);
  s.shape = shape;
  s.shift = shift;
  s.aggregation = parse_aggregation(tconorm);
  s.p = p;
  s.gamma = gamma;
  s.colors = parse_color_mode(colors);
  s.back_faces = cull_back_faces ? BackFaces::cull : BackFaces::double_sided;
  s.validate();
  return s;
}

Backend RasterOptions::parsed_backend() const { return parse_backend(backend); }

void CameraOptions::add_to(CLI::App& command) {
  command.add_option("--views", views, "Number of views on a ring around the mesh")->capture_default_str();
  command.add_option("--azimuth", azimuth, "Azimuth of the first view, degrees")->capture_default_str();
  command.add_option("--elevation", elevation, "Elevation of the views, degrees")->capture_default_str();
  command.add_option("--distance", distance, "Camera distance from the origin")->capture_default_str();
  command.add_option("--fov", fov, "Vertical field of view, degrees")->capture_default_str();
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

Mesh load_mesh_argument(const std::string& argument, bool normalize) {
  Mesh mesh;
  const std::string prefix = "icosphere:";
  if (argument.rfind(prefix, 0) == 0) {
    int level = -1;
    try {
      level = std::stoi(argument.substr(prefix.size()));
    } catch (const std::exception&) {
      throw UsageError{"'" + argument + "' is not icosphere:LEVEL; write e.g. icosphere:3"};
    }
    mesh = icosphere(level);
  } else {
    mesh = load_mesh(argument);
  }
  if (normalize) normalize_to_unit_sphere(mesh);
  return mesh;
}

void ensure_colors(Mesh& mesh) {
  if (!mesh.colors.empty()) return;
  mesh.colors = vertex_normals(mesh);
  for (auto& c : mesh.colors) c = 0.5f * c + 0.5f;
}

}  // namespace penumbra::cli
