#include "penumbra/learning/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "penumbra/core/random.h"
#include "penumbra/error.h"

namespace penumbra::learning {
namespace {

void check_same_shape(const Images& pred, const Images& target, const char* metric) {
  if (pred.rgba.size() != target.rgba.size() || pred.width != target.width || pred.height != target.height) {
    throw Error(std::string(metric) + ": the images differ in shape", metric, "compare images of one shape");
  }
}

std::vector<glm::vec3> sample_surface(const Mesh& mesh, int samples, std::uint64_t seed) {
  std::vector<double> cumulative_area;
  double total = 0.0;
  for (const glm::uvec3 t : mesh.triangles) {
    const glm::vec3 a = mesh.positions[t.x], b = mesh.positions[t.y], c = mesh.positions[t.z];
    total += 0.5 * double(glm::length(glm::cross(b - a, c - a)));
    cumulative_area.push_back(total);
  }
  core::SplitMix64 random{seed};
  std::vector<glm::vec3> points;
  points.reserve(std::size_t(samples));
  for (int i = 0; i < samples; ++i) {
    const double pick = random.uniform() * total;
    const std::size_t face = std::min<std::size_t>(
        std::size_t(std::lower_bound(cumulative_area.begin(), cumulative_area.end(), pick) -
                    cumulative_area.begin()),
        mesh.triangles.size() - 1);
    // Uniform barycentrics by folding the unit square onto the triangle.
    double u = random.uniform(), v = random.uniform();
    if (u + v > 1.0) u = 1.0 - u, v = 1.0 - v;
    const glm::uvec3 t = mesh.triangles[face];
    const glm::vec3 a = mesh.positions[t.x], b = mesh.positions[t.y], c = mesh.positions[t.z];
    points.push_back(a + float(u) * (b - a) + float(v) * (c - a));
  }
  return points;
}

// Mean over `from` of the squared distance to the nearest point of `to` (points sorted by x to prune).
double one_way(const std::vector<glm::vec3>& from, std::vector<glm::vec3> to) {
  std::sort(to.begin(), to.end(), [](const glm::vec3& p, const glm::vec3& q) { return p.x < q.x; });
  double sum = 0.0;
  for (const glm::vec3& p : from) {
    const auto start =
        std::lower_bound(to.begin(), to.end(), p.x, [](const glm::vec3& q, float x) { return q.x < x; });
    float best = std::numeric_limits<float>::max();
    for (auto it = start; it != to.end(); ++it) {
      const float dx = it->x - p.x;
      if (dx * dx >= best) break;
      const glm::vec3 d = *it - p;
      best = std::min(best, glm::dot(d, d));
    }
    for (auto it = start; it != to.begin();) {
      --it;
      const float dx = p.x - it->x;
      if (dx * dx >= best) break;
      const glm::vec3 d = *it - p;
      best = std::min(best, glm::dot(d, d));
    }
    sum += best;
  }
  return sum / double(from.size());
}

}  // namespace

double silhouette_iou(const Images& pred, const Images& target) {
  check_same_shape(pred, target, "silhouette_iou");
  std::size_t intersection = 0, union_ = 0;
  for (std::size_t i = 3; i < pred.rgba.size(); i += 4) {
    const bool p = pred.rgba[i] > 0.5f, t = target.rgba[i] > 0.5f;
    intersection += p && t;
    union_ += p || t;
  }
  return union_ == 0 ? 1.0 : double(intersection) / double(union_);
}

double psnr_db(const Images& pred, const Images& target) {
  check_same_shape(pred, target, "psnr_db");
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < pred.rgba.size(); i += 4) {
    for (int c = 0; c < 3; ++c) {
      const double d = double(std::clamp(pred.rgba[i + c], 0.0f, 1.0f)) - double(target.rgba[i + c]);
      sum += d * d;
    }
    count += 3;
  }
  if (count == 0 || sum == 0.0) return 100.0;
  return std::min(100.0, 10.0 * std::log10(double(count) / sum));
}

double chamfer_distance(const Mesh& a, const Mesh& b, int samples, std::uint64_t seed) {
  if (a.triangles.empty() || b.triangles.empty() || samples < 1) {
    throw Error("Chamfer distance needs two meshes with triangles and at least one sample",
                "chamfer_distance", "pass non-empty meshes");
  }
  const std::vector<glm::vec3> points_a = sample_surface(a, samples, seed);
  const std::vector<glm::vec3> points_b = sample_surface(b, samples, seed + 1);
  return one_way(points_a, points_b) + one_way(points_b, points_a);
}

}  // namespace penumbra::learning
