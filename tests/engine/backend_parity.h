#pragma once
// Shared by the GPU backends' parity tests: random scenes and ring cameras, and the comparison of a backend
// with the CPU reference under the tolerances the issues state.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "penumbra/renderer.h"

namespace penumbra::test {

/// Images: max |backend - cpu| per channel.
inline constexpr float kImageTolerance = 1e-4f;
/// Gradients: ||backend - cpu|| / max(||cpu||, tiny) over each whole gradient array (positions, colours,
/// cameras): robust to single tiny entries, strict on the array as a whole.
inline constexpr double kGradientTolerance = 1e-3;

/// A non-square size that is not a multiple of the tile size, SoftRas's sigma and a coloured background.
inline RasterSettings base_settings(int size) {
  RasterSettings s;
  s.width = size;
  s.height = size + 8;  // not square, not a multiple of the tile size
  s.sigma = 2e-4f;
  s.gamma = 1e-2f;
  s.background = {0.2f, 0.3f, 0.4f};
  return s;
}

/// Sigma (linear distance) that makes each distribution's blur a few pixels wide, and its shape parameters.
inline RasterSettings distribution_settings(Distribution distribution) {
  RasterSettings s = base_settings(40);
  s.distribution = distribution;
  s.squared = false;
  s.sigma = 0.02f;
  if (distribution == Distribution::gamma || distribution == Distribution::gamma_rev) s.shape = 2.0f;
  // The heavy and one-sided tails reach far: a larger coverage threshold keeps the test fast.
  if (distribution == Distribution::cauchy || distribution == Distribution::reciprocal ||
      distribution == Distribution::levy || distribution == Distribution::levy_rev) {
    s.coverage_epsilon = 1e-3f;
  }
  return s;
}

/// A parameter inside each T-conorm's valid range.
inline float aggregation_parameter(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::frank:
      return 3.0f;
    case Aggregation::yager:
      return 1.5f;
    case Aggregation::aczel_alsina:
      return 0.7f;
    case Aggregation::dombi:
      return 1.3f;
    case Aggregation::schweizer_sklar:
      return -1.5f;
    default:
      return 2.0f;
  }
}

/// A jittered icosphere with random colours plus loose random triangles, in front of every ring camera.
inline Mesh random_scene(unsigned seed, int level = 1, int loose_triangles = 12) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> jitter(-0.08f, 0.08f), unit(0.0f, 1.0f), box(-0.9f, 0.9f);
  Mesh mesh = icosphere(level);
  for (glm::vec3& p : mesh.positions)
    p = 0.8f * p + glm::vec3(jitter(random), jitter(random), jitter(random));
  for (int t = 0; t < loose_triangles; ++t) {
    const glm::vec3 centre(box(random), box(random), box(random));
    const auto base = static_cast<unsigned>(mesh.positions.size());
    for (int k = 0; k < 3; ++k)
      mesh.positions.push_back(centre + 0.35f * glm::vec3(box(random), box(random), box(random)));
    mesh.triangles.push_back({base, base + 1, base + 2});
  }
  for (std::size_t v = 0; v < mesh.positions.size(); ++v)
    mesh.colors.push_back({unit(random), unit(random), unit(random)});
  return mesh;
}

inline std::vector<Camera> ring_cameras(int views, float distance = 3.0f) {
  std::vector<Camera> cameras;
  for (int view = 0; view < views; ++view) {
    cameras.push_back(Camera::orbit(360.0f * view / views + 15.0f, 20.0f - 15.0f * view, distance));
  }
  return cameras;
}

/// A fixed pseudo-random dL/dimages shaped like `images`.
inline Images random_upstream(const Images& images, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  Images upstream(images.views, images.height, images.width);
  for (float& v : upstream.rgba) v = value(random);
  return upstream;
}

inline std::vector<float> flatten(const std::vector<glm::vec3>& values) {
  std::vector<float> flat;
  for (const glm::vec3& v : values) flat.insert(flat.end(), {v.x, v.y, v.z});
  return flat;
}

inline std::vector<float> flatten(const std::vector<CameraGradient>& cameras) {
  std::vector<float> flat;
  for (const CameraGradient& c : cameras) {
    for (const glm::vec3& v : {c.eye, c.at, c.up, c.rotation, c.translation})
      flat.insert(flat.end(), {v.x, v.y, v.z});
    flat.insert(flat.end(), {c.fov_degrees, c.fx, c.fy, c.cx, c.cy, c.ortho_scale});
  }
  return flat;
}

/// ||a - b|| / max(||b||, tiny): robust to single tiny entries, strict on the array as a whole.
inline double relative_error(const std::vector<float>& a, const std::vector<float>& b) {
  double difference = 0, norm = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference += double(a[i] - b[i]) * double(a[i] - b[i]);
    norm += double(b[i]) * double(b[i]);
  }
  return std::sqrt(difference) / std::max(std::sqrt(norm), 1e-12);
}

inline float max_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

/// Renders with `backend` and a CPU renderer and checks images and (unless told not to) all gradients against
/// the tolerances above.
inline void expect_parity(Renderer& backend, const Mesh& mesh, const std::vector<Camera>& cameras,
                          const RasterSettings& settings, const std::string& label,
                          bool with_backward = true) {
  Renderer cpu(Backend::cpu);
  const Images& cpu_images = cpu.forward(mesh, cameras, settings);
  const Images& images = backend.forward(mesh, cameras, settings);
  ASSERT_EQ(cpu_images.rgba.size(), images.rgba.size()) << label;
  EXPECT_LE(max_abs_difference(images.rgba, cpu_images.rgba), kImageTolerance) << label << ": image";
  if (!with_backward) return;
  const Images upstream = random_upstream(cpu_images, 7);
  const Gradients expected = cpu.backward(upstream);
  const Gradients actual = backend.backward(upstream);
  EXPECT_LE(relative_error(flatten(actual.dL_dpositions), flatten(expected.dL_dpositions)),
            kGradientTolerance)
      << label << ": dL/dpositions";
  EXPECT_LE(relative_error(flatten(actual.dL_dcolors), flatten(expected.dL_dcolors)), kGradientTolerance)
      << label << ": dL/dcolors";
  EXPECT_LE(relative_error(flatten(actual.dL_dcameras), flatten(expected.dL_dcameras)), kGradientTolerance)
      << label << ": dL/dcameras";
}

/// The same with a fresh renderer of `backend`.
inline void expect_parity(Backend backend, const Mesh& mesh, const std::vector<Camera>& cameras,
                          const RasterSettings& settings, const std::string& label,
                          bool with_backward = true) {
  Renderer renderer(backend);
  expect_parity(renderer, mesh, cameras, settings, label, with_backward);
}

}  // namespace penumbra::test
