#pragma once
// Scenes shared by the renderer benchmarks of every backend: Spot (when ../shared/assets is beside the
// repository) or icospheres, four views on a ring, and the number of pixel-face pairs the scene asks for.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "culling.h"
#include "penumbra/renderer.h"
#include "projection.h"

namespace penumbra::bench {

inline std::optional<Mesh> load_spot() {
  const std::filesystem::path path = std::filesystem::path(PENUMBRA_SOURCE_DIR) / "../shared/assets/spot/spot_triangulated.obj";
  if (!std::filesystem::exists(path)) return std::nullopt;
  Mesh mesh = load_mesh(path);
  normalize_to_unit_sphere(mesh);
  for (const auto& p : mesh.positions) mesh.colors.push_back(0.5f * p + 0.5f);
  return mesh;
}

inline Mesh colored_icosphere(int level) {
  Mesh mesh = icosphere(level);
  for (const auto& p : mesh.positions) mesh.colors.push_back(0.5f * p + 0.5f);
  return mesh;
}

inline std::vector<Camera> ring(int views, float distance = 3.0f) {
  std::vector<Camera> cameras;
  for (int view = 0; view < views; ++view) cameras.push_back(Camera::orbit(360.0f * view / views, 20.0f, distance));
  return cameras;
}

/// SoftRas's setting (logistic, squared, sigma 1e-4) or GenDR's uniform (linear, sigma 0.01).
inline RasterSettings workload_settings(bool uniform, int size) {
  RasterSettings s;
  s.width = s.height = size;
  if (uniform) {
    s.distribution = Distribution::uniform;
    s.squared = false;
    s.sigma = 0.01f;
  } else {
    s.distribution = Distribution::logistic;
    s.squared = true;
    s.sigma = 1e-4f;
  }
  return s;
}

/// Pixel-face pairs inside the faces' culling boxes: the work any backend must do, the same for all of them.
inline double candidate_pairs(const Mesh& mesh, const std::vector<Camera>& cameras, const RasterSettings& s) {
  const double radius = std::min(detail::culling_radius(s), 4.0);
  std::vector<glm::vec3> screen(mesh.positions.size());
  double pairs = 0;
  for (const Camera& camera : cameras) {
    detail::project<float>(mesh.positions, detail::CameraT<float>(camera), float(s.width) / s.height, screen);
    for (const glm::uvec3 t : mesh.triangles) {
      const glm::vec3 a = screen[t.x], b = screen[t.y], c = screen[t.z];
      const double xmin = std::max(-1.0, std::min({a.x, b.x, c.x}) - radius);
      const double xmax = std::min(1.0, std::max({a.x, b.x, c.x}) + radius);
      const double ymin = std::max(-1.0, std::min({a.y, b.y, c.y}) - radius);
      const double ymax = std::min(1.0, std::max({a.y, b.y, c.y}) + radius);
      if (xmax > xmin && ymax > ymin) pairs += (xmax - xmin) * (ymax - ymin) * s.width * s.height / 4.0;
    }
  }
  return pairs;
}

}  // namespace penumbra::bench
