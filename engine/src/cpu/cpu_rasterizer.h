#pragma once
// The reference rasteriser (DESIGN §3, §4): face setup, binning into 16x16 tiles by culling box, forward per
// pixel over its tile's faces, backward over the same lists recomputing per-face terms. Memory grows with
// pixels + faces. Templated on the scalar (float for the renderer, double for finite-difference tests).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "cpu/parallel_for.h"
#include "culling.h"
#include "kernels.h"
#include "penumbra/settings.h"
#include "projection.h"

namespace penumbra::detail {

/// What the rasteriser draws: B views of one mesh already projected to screen space.
template <class T>
struct RasterScene {
  int views = 0;
  std::span<const Vec3<T>> screen;        ///< [views][vertices]: NDC x, NDC y, camera depth
  std::span<const glm::uvec3> triangles;  ///< [faces]
  std::span<const Vec3<T>> colors;        ///< [vertices] linear RGB
  std::span<const Vec2<T>> depth_range;   ///< [views]: near, far of each camera
};

template <class T>
class CpuRasterizer {
 public:
  static constexpr int kTileSize = 16;
  /// Backward accumulates face gradients in this many fixed groups of tiles, summed in order afterwards,
  /// so the result has the same bits whatever the thread count.
  static constexpr int kGradientGroups = 16;

  explicit CpuRasterizer(int threads) : threads_(std::max(1, threads)) {}

  /// Renders into `images` ([views][height][width][4]: rgb, alpha).
  void forward(const RasterScene<T>& scene, const RasterSettings& settings, std::span<T> images);

  /// Given dL/dimages of the last forward, writes dL/dscreen ([views][vertices]) and dL/dcolors ([vertices]).
  void backward(std::span<const T> dL_dimages, std::span<Vec3<T>> dL_dscreen, std::span<Vec3<T>> dL_dcolors);

  /// Number of (pixel, face) pairs whose distance the last forward evaluated.
  std::uint64_t pairs_evaluated() const { return pairs_evaluated_; }

 private:
  struct Face {
    Vec2<T> v0, v1, v2;   // screen positions (NDC)
    T z0, z1, z2;         // camera depths
    int x0, x1, y0, y1;   // pixel box (inclusive) that the culling radius can reach
    bool colored;         // takes part in the colour blend (front-facing or double-sided)
  };
  // The settings as the per-pixel loops use them, in scalar T.
  struct PassConstants {
    int distribution, aggregation;
    bool squared, softmax;
    T sigma, shift, shape, p, coverage_epsilon, gamma;
    T log_gamma_shape;
    T reach2;  // squared culling radius with a margin: pixels farther outside a face skip it
  };
  struct FaceGradient {
    Vec3<T> position[3];  // dL/d(ndc x, ndc y, depth) of each corner
    Vec3<T> color[3];     // dL/d(colour) of each corner
  };
  void setup_faces(int view);
  void bin_faces(int view);
  void forward_tile(int view, int tile, std::uint64_t& pairs);
  void backward_tile(int view, int tile, std::span<FaceGradient> gradients);
  Vec2<T> pixel_center(int col, int row) const {
    return Vec2<T>(T(2 * col + 1 - width_) / T(width_), T(height_ - 1 - 2 * row) / T(height_));
  }
  std::size_t pixel_index(int view, int row, int col) const {
    return (static_cast<std::size_t>(view) * height_ + row) * width_ + col;
  }

  int threads_;
  RasterSettings settings_{};
  int width_ = 0, height_ = 0, views_ = 0, tiles_x_ = 0, tiles_y_ = 0;
  T radius_ = 0;
  PassConstants constants_{};
  std::vector<Vec3<T>> screen_, colors_;
  std::vector<glm::uvec3> triangles_;
  std::vector<Vec2<T>> depth_range_;
  std::vector<std::vector<Face>> faces_;                      // [view][face]
  std::vector<std::vector<std::uint32_t>> tile_offsets_;      // [view][tile + 1]
  std::vector<std::vector<std::uint32_t>> tile_faces_;        // [view][entry]: face indices, ascending per tile
  std::vector<T> images_;                                     // the forward output
  std::vector<T> softmax_max_, softmax_sum_;                  // [pixel]
  std::vector<std::int32_t> nearest_face_;                    // [pixel]: hard colour's z-buffer winner or -1
  std::vector<FaceGradient> group_gradients_;                 // [group][face]
  std::span<const T> upstream_;                               // dL/dimages during backward
  std::uint64_t pairs_evaluated_ = 0;
};

template <class T>
void CpuRasterizer<T>::setup_faces(int view) {
  const int face_count = static_cast<int>(triangles_.size());
  const std::size_t vertex_count = colors_.size();
  const Vec3<T>* screen = screen_.data() + view * vertex_count;
  const T near = depth_range_[view].x;
  std::vector<Face>& faces = faces_[view];
  faces.resize(face_count);
  for (int f = 0; f < face_count; ++f) {
    const glm::uvec3 tri = triangles_[f];
    const Vec3<T> a = screen[tri.x], b = screen[tri.y], c = screen[tri.z];
    Face& face = faces[f];
    face.v0 = Vec2<T>(a);
    face.v1 = Vec2<T>(b);
    face.v2 = Vec2<T>(c);
    face.z0 = a.z;
    face.z1 = b.z;
    face.z2 = c.z;
    const Vec2<T> e1 = face.v1 - face.v0, e2 = face.v2 - face.v0;
    const T signed_area = e1.x * e2.y - e1.y * e2.x;
    face.colored = settings_.back_faces == BackFaces::double_sided || signed_area > 0;
    // A face with a corner at or behind the near plane (or not finite) is not drawn: its projection is invalid.
    const bool drawable = std::min({a.z, b.z, c.z}) >= near && std::isfinite(a.x + a.y + b.x + b.y + c.x + c.y);
    const T xmin = std::min({a.x, b.x, c.x}) - radius_, xmax = std::max({a.x, b.x, c.x}) + radius_;
    const T ymin = std::min({a.y, b.y, c.y}) - radius_, ymax = std::max({a.y, b.y, c.y}) + radius_;
    // Pixel centre x = (2i + 1 - W) / W, so i = (x W + W - 1) / 2; rows run downwards from y = 1.
    auto clamp_index = [](T value, int size) {
      return static_cast<int>(std::clamp(value, T(-1), T(size)));
    };
    face.x0 = clamp_index(std::ceil((xmin * width_ + width_ - 1) / 2), width_);
    face.x1 = clamp_index(std::floor((xmax * width_ + width_ - 1) / 2), width_);
    face.y0 = clamp_index(std::ceil((height_ - 1 - ymax * height_) / 2), height_);
    face.y1 = clamp_index(std::floor((height_ - 1 - ymin * height_) / 2), height_);
    face.x0 = std::max(face.x0, 0);
    face.y0 = std::max(face.y0, 0);
    face.x1 = std::min(face.x1, width_ - 1);
    face.y1 = std::min(face.y1, height_ - 1);
    if (!drawable) face.x1 = -1;  // an empty box: binned nowhere
  }
}

template <class T>
void CpuRasterizer<T>::bin_faces(int view) {
  const std::vector<Face>& faces = faces_[view];
  std::vector<std::uint32_t>& offsets = tile_offsets_[view];
  std::vector<std::uint32_t>& entries = tile_faces_[view];
  offsets.assign(static_cast<std::size_t>(tiles_x_) * tiles_y_ + 1, 0);
  auto for_each_tile = [&](const Face& face, auto&& visit) {
    if (face.x1 < face.x0 || face.y1 < face.y0) return;
    for (int ty = face.y0 / kTileSize; ty <= face.y1 / kTileSize; ++ty) {
      for (int tx = face.x0 / kTileSize; tx <= face.x1 / kTileSize; ++tx) visit(ty * tiles_x_ + tx);
    }
  };
  // Count, prefix-sum, then fill in face order so that every tile lists its faces ascending.
  for (const Face& face : faces) for_each_tile(face, [&](int tile) { ++offsets[tile + 1]; });
  for (std::size_t tile = 1; tile < offsets.size(); ++tile) offsets[tile] += offsets[tile - 1];
  entries.resize(offsets.back());
  std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  for (std::uint32_t f = 0; f < faces.size(); ++f) {
    for_each_tile(faces[f], [&](int tile) { entries[cursor[tile]++] = f; });
  }
}

template <class T>
void CpuRasterizer<T>::forward(const RasterScene<T>& scene, const RasterSettings& settings, std::span<T> images) {
  settings_ = settings;
  width_ = settings.width;
  height_ = settings.height;
  views_ = scene.views;
  tiles_x_ = (width_ + kTileSize - 1) / kTileSize;
  tiles_y_ = (height_ + kTileSize - 1) / kTileSize;
  const double radius = culling_radius(settings);
  radius_ = static_cast<T>(std::min(radius, 4.0));  // 4 NDC covers the whole screen from anywhere on it
  const double reach = std::min(radius * (1 + 1e-4), 4.0);
  constants_ = {static_cast<int>(settings.distribution),
                static_cast<int>(settings.aggregation),
                settings.squared,
                settings.colors == ColorMode::softmax,
                settings.sigma,
                settings.shift,
                settings.shape,
                settings.p,
                settings.coverage_epsilon,
                settings.gamma,
                static_cast<T>(log_gamma_shape(settings)),
                static_cast<T>(reach * reach)};
  screen_.assign(scene.screen.begin(), scene.screen.end());
  colors_.assign(scene.colors.begin(), scene.colors.end());
  triangles_.assign(scene.triangles.begin(), scene.triangles.end());
  depth_range_.assign(scene.depth_range.begin(), scene.depth_range.end());

  faces_.resize(views_);
  tile_offsets_.resize(views_);
  tile_faces_.resize(views_);
  for (int view = 0; view < views_; ++view) {
    setup_faces(view);
    bin_faces(view);
  }

  const std::size_t pixels = static_cast<std::size_t>(views_) * width_ * height_;
  images_.assign(pixels * 4, T(0));
  softmax_max_.assign(pixels, T(0));
  softmax_sum_.assign(pixels, T(0));
  nearest_face_.assign(pixels, -1);

  const int tiles = tiles_x_ * tiles_y_;
  std::vector<std::uint64_t> pairs(static_cast<std::size_t>(views_) * tiles, 0);
  parallel_for(views_ * tiles, threads_, [&](int item) { forward_tile(item / tiles, item % tiles, pairs[item]); });
  pairs_evaluated_ = 0;
  for (std::uint64_t count : pairs) pairs_evaluated_ += count;
  std::copy(images_.begin(), images_.end(), images.begin());
}

template <class T>
void CpuRasterizer<T>::forward_tile(int view, int tile, std::uint64_t& pairs) {
  using namespace kernels::f32;
  using namespace kernels::f64;
  const auto& [distribution, aggregation, squared, softmax, sigma, shift, shape, p, coverage_epsilon, gamma,
               log_gamma_shape, reach2] = constants_;
  const T near = depth_range_[view].x, far = depth_range_[view].y;
  const Vec3<T> background(settings_.background);
  const T background_logit = T(settings_.epsilon) / gamma;
  const std::vector<Face>& faces = faces_[view];
  const std::uint32_t* begin = tile_faces_[view].data() + tile_offsets_[view][tile];
  const std::uint32_t* end = tile_faces_[view].data() + tile_offsets_[view][tile + 1];
  const Vec3<T>* colors = colors_.data();

  const int tx = tile % tiles_x_, ty = tile / tiles_x_;
  for (int row = ty * kTileSize; row < std::min((ty + 1) * kTileSize, height_); ++row) {
    for (int col = tx * kTileSize; col < std::min((tx + 1) * kTileSize, width_); ++col) {
      const Vec2<T> pixel = pixel_center(col, row);
      T state = 0;
      // Softmax over depth with a running maximum; the background starts it.
      T max_logit = background_logit, sum = 1;
      Vec3<T> accumulated = background;
      T nearest_depth = std::numeric_limits<T>::infinity();
      std::int32_t nearest = -1;
      Vec3<T> nearest_color = background;
      for (const std::uint32_t* entry = begin; entry != end; ++entry) {
        const Face& face = faces[*entry];
        if (col < face.x0 || col > face.x1 || row < face.y0 || row > face.y1) continue;
        ++pairs;
        auto sample = pn_locate_face(pixel, face.v0, face.v1, face.v2);
        if (!sample.inside && sample.dist2 > reach2) continue;  // beyond the culling radius: D <= epsilon
        pn_finish_face(sample, pixel, face.v0, face.v1, face.v2, squared);
        const glm::uvec3 tri = triangles_[*entry];
        if (!softmax && sample.inside && face.colored) {
          T w0, w1, w2;
          const T depth = pn_perspective(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, w0, w1, w2);
          if (depth < nearest_depth) {
            nearest_depth = depth;
            nearest = static_cast<std::int32_t>(*entry);
            nearest_color = w0 * colors[tri.x] + w1 * colors[tri.y] + w2 * colors[tri.z];
          }
        }
        const T coverage = pn_coverage(distribution, sample.value / sigma + shift, sample.inside, shape,
                                       log_gamma_shape);
        if (coverage <= coverage_epsilon) continue;
        state = pn_aggregate_step(aggregation, state, coverage, p);
        if (!softmax || !face.colored) continue;
        T w0, w1, w2;
        const T depth = pn_perspective(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, w0, w1, w2);
        const T logit = pn_depth_logit(depth, near, far, gamma);
        if (logit > max_logit) {
          const T rescale = std::exp(max_logit - logit);
          sum *= rescale;
          accumulated *= rescale;
          max_logit = logit;
        }
        const T weight = coverage * std::exp(logit - max_logit);
        sum += weight;
        accumulated += weight * (w0 * colors[tri.x] + w1 * colors[tri.y] + w2 * colors[tri.z]);
      }
      const std::size_t pixel_id = pixel_index(view, row, col);
      const Vec3<T> rgb = softmax ? accumulated / sum : nearest_color;
      T* out = images_.data() + pixel_id * 4;
      out[0] = rgb.x;
      out[1] = rgb.y;
      out[2] = rgb.z;
      out[3] = pn_aggregate_finish(aggregation, state, p);
      softmax_max_[pixel_id] = max_logit;
      softmax_sum_[pixel_id] = sum;
      nearest_face_[pixel_id] = nearest;
    }
  }
}

template <class T>
void CpuRasterizer<T>::backward(std::span<const T> dL_dimages, std::span<Vec3<T>> dL_dscreen,
                                std::span<Vec3<T>> dL_dcolors) {
  const std::size_t vertex_count = colors_.size();
  const std::size_t face_count = triangles_.size();
  std::fill(dL_dscreen.begin(), dL_dscreen.end(), Vec3<T>(0));
  std::fill(dL_dcolors.begin(), dL_dcolors.end(), Vec3<T>(0));
  group_gradients_.resize(kGradientGroups * face_count);
  const int tiles = tiles_x_ * tiles_y_;
  const int groups = std::min(kGradientGroups, tiles);
  upstream_ = dL_dimages;
  for (int view = 0; view < views_; ++view) {
    std::fill(group_gradients_.begin(), group_gradients_.end(), FaceGradient{});
    parallel_for(groups, threads_, [&](int group) {
      std::span<FaceGradient> gradients(group_gradients_.data() + group * face_count, face_count);
      for (int tile = group; tile < tiles; tile += groups) backward_tile(view, tile, gradients);
    });
    // Sum the groups in a fixed order, then scatter faces to their corners in face order.
    Vec3<T>* screen_gradient = dL_dscreen.data() + view * vertex_count;
    for (std::size_t f = 0; f < face_count; ++f) {
      FaceGradient total = group_gradients_[f];
      for (int group = 1; group < groups; ++group) {
        const FaceGradient& part = group_gradients_[group * face_count + f];
        for (int k = 0; k < 3; ++k) {
          total.position[k] += part.position[k];
          total.color[k] += part.color[k];
        }
      }
      const glm::uvec3 tri = triangles_[f];
      for (int k = 0; k < 3; ++k) {
        screen_gradient[tri[k]] += total.position[k];
        dL_dcolors[tri[k]] += total.color[k];
      }
    }
  }
}

template <class T>
void CpuRasterizer<T>::backward_tile(int view, int tile, std::span<FaceGradient> gradients) {
  using namespace kernels::f32;
  using namespace kernels::f64;
  const auto& [distribution, aggregation, squared, softmax, sigma, shift, shape, p, coverage_epsilon, gamma,
               log_gamma_shape, reach2] = constants_;
  const T near = depth_range_[view].x, far = depth_range_[view].y;
  const T dlogit_ddepth = T(-1) / ((far - near) * gamma);
  const std::vector<Face>& faces = faces_[view];
  const std::uint32_t* begin = tile_faces_[view].data() + tile_offsets_[view][tile];
  const std::uint32_t* end = tile_faces_[view].data() + tile_offsets_[view][tile + 1];
  const Vec3<T>* colors = colors_.data();

  const int tx = tile % tiles_x_, ty = tile / tiles_x_;
  for (int row = ty * kTileSize; row < std::min((ty + 1) * kTileSize, height_); ++row) {
    for (int col = tx * kTileSize; col < std::min((tx + 1) * kTileSize, width_); ++col) {
      const std::size_t pixel_id = pixel_index(view, row, col);
      const T* upstream = upstream_.data() + pixel_id * 4;
      const Vec3<T> dL_dcolor(upstream[0], upstream[1], upstream[2]);
      const T dL_dalpha = upstream[3];
      const bool color_gradient = dL_dcolor != Vec3<T>(0);
      if (dL_dalpha == 0 && !color_gradient) continue;
      const T* image = images_.data() + pixel_id * 4;
      const Vec3<T> color(image[0], image[1], image[2]);
      const T alpha = image[3];
      const T max_logit = softmax_max_[pixel_id], sum = softmax_sum_[pixel_id];
      const std::int32_t nearest = nearest_face_[pixel_id];
      const Vec2<T> pixel = pixel_center(col, row);
      bool max_claimed = false;
      for (const std::uint32_t* entry = begin; entry != end; ++entry) {
        const Face& face = faces[*entry];
        if (col < face.x0 || col > face.x1 || row < face.y0 || row > face.y1) continue;
        auto sample = pn_locate_face(pixel, face.v0, face.v1, face.v2);
        if (!sample.inside && sample.dist2 > reach2) continue;
        pn_finish_face(sample, pixel, face.v0, face.v1, face.v2, squared);
        const glm::uvec3 tri = triangles_[*entry];
        FaceGradient& out = gradients[*entry];
        Vec2<T> g0(0), g1(0), g2(0);
        if (!softmax && static_cast<std::int32_t>(*entry) == nearest) {
          // Hard colour: the z-buffer winner's interpolated colour, differentiable inside the face through
          // the vertex colours, the barycentrics and the perspective-correct weights.
          T w0, w1, w2;
          const T depth = pn_perspective(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, w0, w1, w2);
          out.color[0] += w0 * dL_dcolor;
          out.color[1] += w1 * dL_dcolor;
          out.color[2] += w2 * dL_dcolor;
          T dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2;
          pn_perspective_backward(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, depth, w0, w1, w2,
                                  T(0), glm::dot(dL_dcolor, colors[tri.x]), glm::dot(dL_dcolor, colors[tri.y]),
                                  glm::dot(dL_dcolor, colors[tri.z]), dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1,
                                  dL_dz2);
          out.position[0].z += dL_dz0;
          out.position[1].z += dL_dz1;
          out.position[2].z += dL_dz2;
          pn_barycentric_backward(sample, pixel, face.v0, face.v1, face.v2, dL_db0, dL_db1, dL_db2, g0, g1, g2);
        }
        const T argument = sample.value / sigma + shift;
        const T coverage = pn_coverage(distribution, argument, sample.inside, shape, log_gamma_shape);
        if (coverage <= coverage_epsilon) {
          out.position[0] += Vec3<T>(g0, 0);
          out.position[1] += Vec3<T>(g1, 0);
          out.position[2] += Vec3<T>(g2, 0);
          continue;
        }

        T dL_dcoverage = dL_dalpha * pn_aggregate_gradient(aggregation, alpha, coverage, p);
        if (aggregation == kernels::f32::PN_AGG_MAX && !max_claimed && coverage == alpha) {
          dL_dcoverage += dL_dalpha;  // the first face reaching the maximum takes its gradient
          max_claimed = true;
        }
        if (softmax && face.colored && color_gradient) {  // silhouette-only losses skip the colour path
          T w0, w1, w2;
          const T depth = pn_perspective(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, w0, w1, w2);
          const Vec3<T> c0 = colors[tri.x], c1 = colors[tri.y], c2 = colors[tri.z];
          const Vec3<T> face_color = w0 * c0 + w1 * c1 + w2 * c2;
          const T exponential = std::exp(pn_depth_logit(depth, near, far, gamma) - max_logit);
          const T weight = coverage * exponential;
          // I = sum(weight_j c_j) / sum  =>  dI/dweight_j = (c_j - I) / sum.
          const T dL_dweight = glm::dot(dL_dcolor, face_color - color) / sum;
          dL_dcoverage += dL_dweight * exponential;
          const T dL_ddepth = dL_dweight * weight * dlogit_ddepth;
          const Vec3<T> dL_dface_color = dL_dcolor * (weight / sum);
          out.color[0] += w0 * dL_dface_color;
          out.color[1] += w1 * dL_dface_color;
          out.color[2] += w2 * dL_dface_color;
          T dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2;
          pn_perspective_backward(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, depth, w0, w1, w2,
                                  dL_ddepth, glm::dot(dL_dface_color, c0), glm::dot(dL_dface_color, c1),
                                  glm::dot(dL_dface_color, c2), dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2);
          out.position[0].z += dL_dz0;
          out.position[1].z += dL_dz1;
          out.position[2].z += dL_dz2;
          pn_barycentric_backward(sample, pixel, face.v0, face.v1, face.v2, dL_db0, dL_db1, dL_db2, g0, g1, g2);
        }
        if (dL_dcoverage != 0) {
          const T dL_dvalue =
              dL_dcoverage * pn_coverage_density(distribution, argument, shape, log_gamma_shape) / sigma;
          pn_value_backward(sample, pixel, squared, dL_dvalue, g0, g1, g2);
        }
        out.position[0] += Vec3<T>(g0, 0);
        out.position[1] += Vec3<T>(g1, 0);
        out.position[2] += Vec3<T>(g2, 0);
      }
    }
  }
}

}  // namespace penumbra::detail
