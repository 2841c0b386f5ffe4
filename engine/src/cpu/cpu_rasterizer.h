#pragma once
// The reference rasteriser: face setup, binning into 16x16 tiles by each face's reach, then each tile face by
// face: a face visits only the pixels of (its box ∩ the tile), whose fold states live in a tile array, so every
// pixel still folds its faces in ascending order while no pixel tests the boxes of faces that miss it. The
// per-pixel algorithm is engine/kernels/'s, shared with the GPU backends; the tile loops are compiled once per
// distribution so that its formulas are inlined without a per-pair choice. Memory grows with pixels + faces.
// Templated on the scalar (float for the renderer, double for finite-difference tests).
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cpu/parallel_for.h"
#include "kernels.h"
#include "penumbra/error.h"
#include "penumbra/settings.h"
#include "raster_params.h"
#include "raster_scene.h"

namespace penumbra::detail::cpu {

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
  void backward(std::span<const T> dL_dimages, std::span<glm::vec<3, T>> dL_dscreen,
                std::span<glm::vec<3, T>> dL_dcolors);

  /// dL/d(the appearance inputs) of the last backward: normals, world positions, UVs, texels, shading
  /// parameters; empty for unlit, untextured scenes.
  const SurfaceGradients<T>& surface_gradients() const { return surface_gradients_; }

  /// Number of (pixel, face) pairs whose distance the last forward evaluated.
  std::uint64_t pairs_evaluated() const { return pairs_evaluated_; }

 private:
  using Vec2 = glm::vec<2, T>;
  using Vec3 = glm::vec<3, T>;
  using Params = typename kernels::Of<T>::RasterParams;
  using Face = typename kernels::Of<T>::Face;
  using FaceGradient = typename kernels::Of<T>::FaceGradient;
  using FaceSample = typename kernels::Of<T>::FaceSample;
  using PixelFold = typename kernels::Of<T>::PixelFold;
  using PixelUpstream = typename kernels::Of<T>::PixelUpstream;
  using Shading = typename kernels::Of<T>::Shading;
  using ShadingGradient = typename kernels::Of<T>::ShadingGradient;
  using Surface = typename kernels::Of<T>::Surface;
  using SurfaceGradient = typename kernels::Of<T>::SurfaceGradient;
  using TexelGradient = typename kernels::Of<T>::TexelGradient;
  using Texels = typename kernels::Of<T>::Texels;
  static constexpr int kTilePixels = kTileSize * kTileSize;
  static constexpr int kDistributions = kernels::f32::PN_DIST_LEVY_REV + 1;
  /// Specialising is for speed: the float renderer gets one tile loop per distribution, the double oracle one
  /// loop that reads the distribution at run time (kAnyDistribution).
  static constexpr int kAnyDistribution = -1;
  static constexpr bool kSpecialised = std::is_same_v<T, float>;

  /// Pixels [row0, row1] x [col0, col1] of an image (empty when row1 < row0 or col1 < col0).
  struct PixelRect {
    int row0, row1, col0, col1;
  };
  using TileLoop = void (CpuRasterizer::*)(int, int, std::uint64_t&);
  using TileGradientLoop = void (CpuRasterizer::*)(int, int, std::span<FaceGradient>, int);

  void bin_faces(int view);
  /// The tile loops' parameters with the distribution a constant where it is specialised.
  template <int kDistribution>
  Params specialised_params() const;
  // Flattened: the kernels inline into the loop, where the distribution is a constant.
  template <int kDistribution>
  [[gnu::flatten]] void forward_tile(int view, int tile, std::uint64_t& pairs);
  template <int kDistribution>
  [[gnu::flatten]] void backward_tile(int view, int tile, std::span<FaceGradient> gradients, int group);
  template <std::size_t... kIds>
  static std::array<TileLoop, sizeof...(kIds)> forward_loops(std::index_sequence<kIds...>) {
    return {&CpuRasterizer::forward_tile<int(kIds)>...};
  }
  template <std::size_t... kIds>
  static std::array<TileGradientLoop, sizeof...(kIds)> backward_loops(std::index_sequence<kIds...>) {
    return {&CpuRasterizer::backward_tile<int(kIds)>...};
  }
  PixelRect tile_rect(int tile) const {
    const int tx = tile % tiles_x_, ty = tile / tiles_x_;
    return {ty * kTileSize, std::min((ty + 1) * kTileSize, height_) - 1, tx * kTileSize,
            std::min((tx + 1) * kTileSize, width_) - 1};
  }
  /// The pixels of `tile` inside `face`'s box.
  static PixelRect clip_to_face(PixelRect tile, const Face& face) {
    return {std::max(tile.row0, face.y0), std::min(tile.row1, face.y1), std::max(tile.col0, face.x0),
            std::min(tile.col1, face.x1)};
  }
  /// The faces binned into `tile` of `view`, ascending.
  std::span<const std::uint32_t> tile_faces(int view, int tile) const {
    const std::vector<std::uint32_t>& offsets = tile_offsets_[view];
    return std::span<const std::uint32_t>(tile_faces_[view])
        .subspan(offsets[tile], offsets[tile + 1] - offsets[tile]);
  }
  std::size_t pixel_index(int view, int row, int col) const {
    return (static_cast<std::size_t>(view) * height_ + row) * width_ + col;
  }
  /// The corner attributes of face f in `view` that the shading reads.
  Surface surface(int view, std::uint32_t f) const {
    using namespace kernels::f32;
    using namespace kernels::f64;
    const glm::uvec3 tri = triangles_[f];
    Surface a = pn_surface_of_colors(colors_[tri.x], colors_[tri.y], colors_[tri.z]);
    if (shading_.model != kernels::f32::PN_SHADE_UNLIT) {
      a.n0 = corner_normals_[3 * f];
      a.n1 = corner_normals_[3 * f + 1];
      a.n2 = corner_normals_[3 * f + 2];
      a.x0 = positions_[tri.x];
      a.x1 = positions_[tri.y];
      a.x2 = positions_[tri.z];
      a.eye = eyes_[view];
    }
    if (shading_.textured != 0) {
      a.uv0 = corner_uvs_[3 * f];
      a.uv1 = corner_uvs_[3 * f + 1];
      a.uv2 = corner_uvs_[3 * f + 2];
    }
    return a;
  }
  Texels texels() const { return Texels{texels_.data()}; }
  bool shaded() const { return shading_.model != kernels::f32::PN_SHADE_UNLIT || shading_.textured != 0; }

  int threads_;
  int width_ = 0, height_ = 0, views_ = 0, tiles_x_ = 0, tiles_y_ = 0;
  Params params_{};
  std::vector<Vec3> colors_;
  std::vector<glm::uvec3> triangles_;
  std::vector<glm::vec<2, T>> depth_range_;
  Shading shading_{};
  std::vector<Vec3> positions_, corner_normals_, texels_, eyes_;
  std::vector<Vec2> corner_uvs_;
  std::vector<std::vector<Face>> faces_;                  // [view][face]
  std::vector<std::vector<std::uint32_t>> tile_offsets_;  // [view][tile + 1]
  std::vector<std::vector<std::uint32_t>> tile_faces_;    // [view][entry]: face indices, ascending per tile
  std::vector<T> images_;                                 // the forward output
  std::vector<T> softmax_max_, softmax_sum_;              // [pixel]
  std::vector<std::int32_t> nearest_face_, max_face_;     // [pixel]: z-buffer and max T-conorm winners, or -1
  std::vector<FaceGradient> group_gradients_;             // [group][face]
  std::vector<SurfaceGradient> group_surface_;            // [group][face], shaded scenes only
  std::vector<ShadingGradient> group_shading_;            // [group]
  std::vector<std::vector<TexelGradient>> group_texels_;  // [group]: texture samples in the group's order
  SurfaceGradients<T> surface_gradients_;
  std::span<const T> upstream_;  // dL/dimages during backward
  std::uint64_t pairs_evaluated_ = 0;
};

// The float instantiation is compiled once, with the backend (cpu_backend.cpp).
extern template class CpuRasterizer<float>;

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
void CpuRasterizer<T>::forward(const RasterScene<T>& scene, const RasterSettings& settings,
                               std::span<T> images) {
  using namespace kernels::f32;
  using namespace kernels::f64;
  width_ = settings.width;
  height_ = settings.height;
  views_ = scene.views;
  tiles_x_ = (width_ + kTileSize - 1) / kTileSize;
  tiles_y_ = (height_ + kTileSize - 1) / kTileSize;
  params_ = make_raster_params<Params>(settings);
  if (params_.distribution < 0 || params_.distribution >= kDistributions) {
    throw Error("unknown distribution id " + std::to_string(params_.distribution), "CpuRasterizer::forward",
                "use a penumbra::Distribution value");
  }
  colors_.assign(scene.colors.begin(), scene.colors.end());
  triangles_.assign(scene.triangles.begin(), scene.triangles.end());
  depth_range_.assign(scene.depth_range.begin(), scene.depth_range.end());
  shading_ = scene.shading;
  positions_.assign(scene.positions.begin(), scene.positions.end());
  corner_normals_.assign(scene.corner_normals.begin(), scene.corner_normals.end());
  corner_uvs_.assign(scene.corner_uvs.begin(), scene.corner_uvs.end());
  texels_.assign(scene.texels.begin(), scene.texels.end());
  eyes_.assign(scene.eyes.begin(), scene.eyes.end());

  faces_.resize(views_);
  tile_offsets_.resize(views_);
  tile_faces_.resize(views_);
  const std::size_t vertex_count = colors_.size();
  for (int view = 0; view < views_; ++view) {
    const Vec3* screen = scene.screen.data() + view * vertex_count;
    const T near = depth_range_[view].x;
    std::vector<Face>& faces = faces_[view];
    faces.resize(triangles_.size());
    for (std::size_t f = 0; f < triangles_.size(); ++f) {
      const glm::uvec3 tri = triangles_[f];
      faces[f] = pn_setup_face(screen[tri.x], screen[tri.y], screen[tri.z], near, params_, width_, height_);
    }
    bin_faces(view);
  }

  const std::size_t pixels = static_cast<std::size_t>(views_) * width_ * height_;
  images_.assign(pixels * 4, T(0));
  softmax_max_.assign(pixels, T(0));
  softmax_sum_.assign(pixels, T(0));
  nearest_face_.assign(pixels, -1);
  max_face_.assign(pixels, -1);

  TileLoop loop = &CpuRasterizer::forward_tile<kAnyDistribution>;
  if constexpr (kSpecialised)
    loop = forward_loops(std::make_index_sequence<kDistributions>())[params_.distribution];
  const int tiles = tiles_x_ * tiles_y_;
  std::vector<std::uint64_t> pairs(static_cast<std::size_t>(views_) * tiles, 0);
  parallel_for(views_ * tiles, threads_,
               [&](int item) { (this->*loop)(item / tiles, item % tiles, pairs[item]); });
  pairs_evaluated_ = 0;
  for (std::uint64_t count : pairs) pairs_evaluated_ += count;
  std::copy(images_.begin(), images_.end(), images.begin());
}

template <class T>
template <int kDistribution>
typename CpuRasterizer<T>::Params CpuRasterizer<T>::specialised_params() const {
  Params params = params_;
  if constexpr (kDistribution != kAnyDistribution) params.distribution = kDistribution;
  return params;
}

template <class T>
template <int kDistribution>
void CpuRasterizer<T>::forward_tile(int view, int tile, std::uint64_t& pairs) {
  using namespace kernels::f32;
  using namespace kernels::f64;
  const Params params = specialised_params<kDistribution>();
  const T near = depth_range_[view].x, far = depth_range_[view].y;
  const std::vector<Face>& faces = faces_[view];
  const PixelRect rect = tile_rect(tile);
  const Texels texture = texels();
  std::array<PixelFold, kTilePixels> folds;
  folds.fill(pn_fold_begin(params));
  for (const std::uint32_t f : tile_faces(view, tile)) {
    const Face& face = faces[f];
    const PixelRect reach = clip_to_face(rect, face);
    if (reach.row1 < reach.row0 || reach.col1 < reach.col0) continue;
    pairs += std::uint64_t(reach.row1 - reach.row0 + 1) * std::uint64_t(reach.col1 - reach.col0 + 1);
    const Surface a = surface(view, f);
    for (int row = reach.row0; row <= reach.row1; ++row) {
      PixelFold* row_folds = folds.data() + (row - rect.row0) * kTileSize - rect.col0;
      for (int col = reach.col0; col <= reach.col1; ++col) {
        const Vec2 pixel = kernels::Of<T>::pixel_center(col, row, width_, height_);
        FaceSample sample;
        if (!pn_reach_face(params, pixel, face, sample)) continue;
        pn_fold_face(row_folds[col], params, sample, face, static_cast<int>(f), near, far, shading_, texture,
                     a);
      }
    }
  }
  for (int row = rect.row0; row <= rect.row1; ++row) {
    for (int col = rect.col0; col <= rect.col1; ++col) {
      const PixelFold& fold = folds[(row - rect.row0) * kTileSize + col - rect.col0];
      const std::size_t pixel_id = pixel_index(view, row, col);
      Vec3 rgb;
      T alpha;
      pn_fold_finish(fold, params, rgb, alpha);
      T* out = images_.data() + pixel_id * 4;
      out[0] = rgb.x;
      out[1] = rgb.y;
      out[2] = rgb.z;
      out[3] = alpha;
      softmax_max_[pixel_id] = fold.max_logit;
      softmax_sum_[pixel_id] = fold.sum;
      nearest_face_[pixel_id] = fold.nearest_face;
      max_face_[pixel_id] = fold.max_face;
    }
  }
}

template <class T>
void CpuRasterizer<T>::backward(std::span<const T> dL_dimages, std::span<Vec3> dL_dscreen,
                                std::span<Vec3> dL_dcolors) {
  using namespace kernels::f32;
  using namespace kernels::f64;
  const std::size_t vertex_count = colors_.size();
  const std::size_t face_count = triangles_.size();
  std::fill(dL_dscreen.begin(), dL_dscreen.end(), Vec3(0));
  std::fill(dL_dcolors.begin(), dL_dcolors.end(), Vec3(0));
  group_gradients_.resize(kGradientGroups * face_count);
  const int tiles = tiles_x_ * tiles_y_;
  const int groups = std::min(kGradientGroups, tiles);
  upstream_ = dL_dimages;
  TileGradientLoop loop = &CpuRasterizer::backward_tile<kAnyDistribution>;
  if constexpr (kSpecialised)
    loop = backward_loops(std::make_index_sequence<kDistributions>())[params_.distribution];
  const bool shaded_scene = shaded();
  SurfaceGradients<T>& surface = surface_gradients_;
  surface = SurfaceGradients<T>{};
  if (shaded_scene) {
    surface.corner_normals.assign(face_count * 3, Vec3(0));
    surface.positions.assign(vertex_count, Vec3(0));
    surface.corner_uvs.assign(face_count * 3, Vec2(0));
    surface.texels.assign(texels_.size(), Vec3(0));
    surface.shading = kernels::Of<T>::shading_gradient_zero();
    group_surface_.resize(kGradientGroups * face_count);
    group_shading_.resize(kGradientGroups);
    group_texels_.resize(kGradientGroups);
  }
  for (int view = 0; view < views_; ++view) {
    std::fill(group_gradients_.begin(), group_gradients_.end(), FaceGradient{});
    if (shaded_scene) {
      std::fill(group_surface_.begin(), group_surface_.end(), kernels::Of<T>::surface_gradient_zero());
      std::fill(group_shading_.begin(), group_shading_.end(), kernels::Of<T>::shading_gradient_zero());
      for (auto& records : group_texels_) records.clear();
    }
    parallel_for(groups, threads_, [&](int group) {
      std::span<FaceGradient> gradients(group_gradients_.data() + group * face_count, face_count);
      for (int tile = group; tile < tiles; tile += groups) (this->*loop)(view, tile, gradients, group);
    });
    // Sum the groups in a fixed order, then scatter faces to their corners in face order.
    Vec3* screen_gradient = dL_dscreen.data() + view * vertex_count;
    for (std::size_t f = 0; f < face_count; ++f) {
      FaceGradient total = group_gradients_[f];
      for (int group = 1; group < groups; ++group)
        pn_gradient_add(total, group_gradients_[group * face_count + f]);
      const glm::uvec3 tri = triangles_[f];
      screen_gradient[tri.x] += total.position0;
      screen_gradient[tri.y] += total.position1;
      screen_gradient[tri.z] += total.position2;
      dL_dcolors[tri.x] += total.color0;
      dL_dcolors[tri.y] += total.color1;
      dL_dcolors[tri.z] += total.color2;
      if (!shaded_scene) continue;
      SurfaceGradient face_surface = group_surface_[f];
      for (int group = 1; group < groups; ++group)
        pn_surface_gradient_add(face_surface, group_surface_[group * face_count + f]);
      surface.corner_normals[3 * f] += face_surface.normal0;
      surface.corner_normals[3 * f + 1] += face_surface.normal1;
      surface.corner_normals[3 * f + 2] += face_surface.normal2;
      surface.positions[tri.x] += face_surface.world0;
      surface.positions[tri.y] += face_surface.world1;
      surface.positions[tri.z] += face_surface.world2;
      surface.corner_uvs[3 * f] += face_surface.uv0;
      surface.corner_uvs[3 * f + 1] += face_surface.uv1;
      surface.corner_uvs[3 * f + 2] += face_surface.uv2;
    }
    if (!shaded_scene) continue;
    // Groups in order, each group's samples in the order it met them: the same bits for any thread count.
    for (int group = 0; group < groups; ++group) {
      pn_shading_gradient_add(surface.shading, group_shading_[group]);
      for (const TexelGradient& t : group_texels_[group]) {
        surface.texels[t.i00] += ((1 - t.fx) * (1 - t.fy)) * t.dL_dsample;
        surface.texels[t.i10] += (t.fx * (1 - t.fy)) * t.dL_dsample;
        surface.texels[t.i01] += ((1 - t.fx) * t.fy) * t.dL_dsample;
        surface.texels[t.i11] += (t.fx * t.fy) * t.dL_dsample;
      }
    }
  }
}

template <class T>
template <int kDistribution>
void CpuRasterizer<T>::backward_tile(int view, int tile, std::span<FaceGradient> gradients, int group) {
  using namespace kernels::f32;
  using namespace kernels::f64;
  const Params params = specialised_params<kDistribution>();
  const T near = depth_range_[view].x, far = depth_range_[view].y;
  const std::vector<Face>& faces = faces_[view];
  const PixelRect rect = tile_rect(tile);
  const std::size_t face_count = triangles_.size();
  // What each pixel's forward saved; pixels without an upstream gradient take no part.
  std::array<PixelUpstream, kTilePixels> upstreams;
  std::array<bool, kTilePixels> active{};
  bool any_active = false;
  for (int row = rect.row0; row <= rect.row1; ++row) {
    for (int col = rect.col0; col <= rect.col1; ++col) {
      const int local = (row - rect.row0) * kTileSize + col - rect.col0;
      const std::size_t pixel_id = pixel_index(view, row, col);
      const T* upstream = upstream_.data() + pixel_id * 4;
      PixelUpstream& up = upstreams[local];
      up.dL_dcolor = Vec3(upstream[0], upstream[1], upstream[2]);
      up.dL_dalpha = upstream[3];
      active[local] = up.dL_dalpha != 0 || up.dL_dcolor != Vec3(0);
      any_active = any_active || active[local];
      const T* image = images_.data() + pixel_id * 4;
      up.color = Vec3(image[0], image[1], image[2]);
      up.alpha = image[3];
      up.max_logit = softmax_max_[pixel_id];
      up.sum = softmax_sum_[pixel_id];
      up.nearest_face = nearest_face_[pixel_id];
      up.max_face = max_face_[pixel_id];
    }
  }
  if (!any_active) return;
  const Texels texture = texels();
  const bool shaded_scene = shaded();
  ShadingGradient unused_shading = kernels::Of<T>::shading_gradient_zero();
  ShadingGradient& shading_gradient = shaded_scene ? group_shading_[group] : unused_shading;
  // Each face sums its pairs of the tile (row-major) before one add into the group's total.
  for (const std::uint32_t f : tile_faces(view, tile)) {
    const Face& face = faces[f];
    const PixelRect reach = clip_to_face(rect, face);
    if (reach.row1 < reach.row0 || reach.col1 < reach.col0) continue;
    const Surface a = surface(view, f);
    FaceGradient face_gradient{};
    SurfaceGradient face_surface = kernels::Of<T>::surface_gradient_zero();
    bool touched = false;
    for (int row = reach.row0; row <= reach.row1; ++row) {
      const int row_offset = (row - rect.row0) * kTileSize - rect.col0;
      for (int col = reach.col0; col <= reach.col1; ++col) {
        if (!active[row_offset + col]) continue;
        const Vec2 pixel = kernels::Of<T>::pixel_center(col, row, width_, height_);
        FaceSample sample;
        if (!pn_reach_face(params, pixel, face, sample)) continue;
        TexelGradient texel_gradient;
        texel_gradient.valid = 0;
        pn_pair_gradient(params, upstreams[row_offset + col], sample, pixel, face, static_cast<int>(f), near,
                         far, shading_, texture, a, face_gradient, face_surface, shading_gradient,
                         texel_gradient);
        if (texel_gradient.valid != 0) group_texels_[group].push_back(texel_gradient);
        touched = true;
      }
    }
    if (!touched) continue;
    pn_gradient_add(gradients[f], face_gradient);
    if (shaded_scene) pn_surface_gradient_add(group_surface_[group * face_count + f], face_surface);
  }
}

}  // namespace penumbra::detail::cpu
