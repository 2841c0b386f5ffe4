#pragma once
// What the renderer benchmarks of every backend share: Spot (assets/spot) or icospheres, four views on a ring,
// the number of pixel-face pairs the scene asks for, and one timed loop through the Renderer.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "penumbra/error.h"
#include "penumbra/renderer.h"
#include "projection.h"
#include "raster_params.h"

namespace penumbra::bench {

/// Spot, normalised to the unit sphere, coloured by position; its texture is sampled only where the settings
/// ask for it (shading.use_texture).
inline const Mesh& spot() {
  static const Mesh mesh = [] {
    Mesh loaded = load_mesh(std::filesystem::path(PENUMBRA_SOURCE_DIR) / "assets/spot/spot_triangulated.obj");
    normalize_to_unit_sphere(loaded);
    loaded.colors.clear();
    for (const auto& p : loaded.positions) loaded.colors.push_back(0.5f * p + 0.5f);
    return loaded;
  }();
  return mesh;
}

inline Mesh colored_icosphere(int level) {
  Mesh mesh = icosphere(level);
  for (const auto& p : mesh.positions) mesh.colors.push_back(0.5f * p + 0.5f);
  return mesh;
}

// The field of view is the one the README's benchmark table was measured with, so the numbers stay comparable.
inline std::vector<Camera> ring(int views, float distance = 3.0f) {
  std::vector<Camera> cameras;
  for (int view = 0; view < views; ++view) {
    cameras.push_back(Camera::orbit(360.0f * view / views, 20.0f, distance, 30.0f));
  }
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

/// Times forward (and backward) through a Renderer of `backend`; an untimed warm-up first builds pipelines and
/// sizes device buffers. Skips, saying why, when the backend cannot run here.
inline void run_renderer(benchmark::State& state, Backend backend, RendererOptions options, const Mesh& mesh,
                         const std::vector<Camera>& cameras, const RasterSettings& s, bool with_backward) {
  std::optional<Renderer> renderer;
  try {
    renderer.emplace(backend, options);
  } catch (const Error& error) {
    state.SkipWithError(error.what());
    return;
  }
  state.SetLabel(renderer->backend_reason());
  Images upstream(int(cameras.size()), s.height, s.width, 1.0f);
  renderer->forward(mesh, cameras, s);
  if (with_backward) renderer->backward(upstream);
  for (auto _ : state) {
    const Images& images = renderer->forward(mesh, cameras, s);
    benchmark::DoNotOptimize(images.rgba.data());
    if (with_backward) benchmark::DoNotOptimize(renderer->backward(upstream).dL_dpositions.data());
  }
  state.counters["pairs/s"] =
      benchmark::Counter(candidate_pairs(mesh, cameras, s), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["faces"] = double(mesh.triangles.size());
}

}  // namespace penumbra::bench
