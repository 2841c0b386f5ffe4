#pragma once
// Small scenes for the rasteriser tests, in any scalar type, and the loss L = sum(weights * image) whose
// gradient the finite-difference tests check.
#include <random>
#include <vector>

#include "cpu/cpu_rasterizer.h"
#include "projection.h"

namespace penumbra::test {

using detail::Vec2;
using detail::Vec3;

/// A few overlapping triangles at different depths, one crossing the image border, with varied vertex colours.
template <class T>
struct SmallScene {
  std::vector<Vec3<T>> screen;  // one view
  std::vector<glm::uvec3> triangles;
  std::vector<Vec3<T>> colors;
  std::vector<Vec2<T>> depth_range{Vec2<T>(0.5, 5.0)};

  SmallScene() {
    screen = {{-0.7, -0.6, 2.0}, {0.5, -0.5, 2.4},   {-0.1, 0.7, 1.8},     // large, middle depth
              {-0.3, -0.2, 1.2}, {0.8, 0.1, 1.4},    {0.1, 0.9, 1.0},      // overlaps it, in front
              {0.6, -0.9, 3.0},  {1.3, -0.4, 3.1},   {0.9, 0.2, 2.9},      // crosses the right border
              {-0.9, 0.5, 2.2},  {-0.75, 0.55, 2.1}, {-0.85, 0.72, 2.3}};  // small
    triangles = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 11, 10}};
    colors.resize(screen.size());
    for (std::size_t v = 0; v < colors.size(); ++v) {
      colors[v] = Vec3<T>(T(0.2 + 0.6 * ((v * 37) % 11) / 10.0), T(0.1 + 0.8 * ((v * 53) % 7) / 6.0),
                          T(0.3 + 0.5 * ((v * 19) % 5) / 4.0));
    }
  }

  detail::RasterScene<T> view() const {
    detail::RasterScene<T> scene;
    scene.views = 1;
    scene.screen = screen;
    scene.triangles = triangles;
    scene.colors = colors;
    scene.depth_range = depth_range;
    return scene;
  }
};

/// Fixed pseudo-random weights for L = sum(weights * image), one per image value.
template <class T>
std::vector<T> loss_weights(std::size_t count, unsigned seed = 7) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<T> weights(count);
  for (auto& w : weights) w = T(uniform(random));
  return weights;
}

template <class T>
T weighted_sum(const std::vector<T>& image, const std::vector<T>& weights) {
  T sum = 0;
  for (std::size_t i = 0; i < image.size(); ++i) sum += image[i] * weights[i];
  return sum;
}

/// ||a - b|| / ||b||, with a floor so that two zero vectors compare equal.
inline double relative_error(const std::vector<double>& a, const std::vector<double>& b) {
  double difference = 0, norm = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference += (a[i] - b[i]) * (a[i] - b[i]);
    norm += b[i] * b[i];
  }
  return std::sqrt(difference) / std::max(std::sqrt(norm), 1e-12);
}

}  // namespace penumbra::test
