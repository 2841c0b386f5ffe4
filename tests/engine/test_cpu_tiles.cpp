// Oracle: the CPU rasteriser's face-major tile loops against the plainest loop over the same kernels (every
// pixel folds every face whose box holds it, in face order), forward and backward, for every distribution
// (linear and squared) and every T-conorm, both colour modes and back-face culling; on an image whose sides
// are not multiples of the tile, with a face larger than the image, faces crossing tile and image borders,
// sub-pixel faces and a tile holding over 1,000 faces. Also: the same bits for 1, 2 and 7 threads.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "raster_scene.h"

namespace penumbra::test {
namespace {

using namespace kernels::f32;
using Vec2f = detail::Vec2<float>;
using Vec3f = detail::Vec3<float>;
using Params = kernels::Of<float>::RasterParams;
using Face = kernels::Of<float>::Face;
using FaceGradient = kernels::Of<float>::FaceGradient;

constexpr int kWidth = 37;  // 2 full tiles and a partial one
constexpr int kHeight = 29;

/// A crowded scene: one face larger than the image, faces across tile and image borders, sub-pixel faces and
/// over 1,000 small faces inside the top-left tile, with mixed windings (back faces) and depths.
struct CrowdedScene {
  std::vector<Vec3f> screen;
  std::vector<glm::uvec3> triangles;
  std::vector<Vec3f> colors;
  std::vector<Vec2f> depth_range{Vec2f(0.5f, 6.0f)};

  CrowdedScene() {
    std::mt19937 random(11);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    auto add = [&](Vec2f a, Vec2f b, Vec2f c) {
      const auto index = std::uint32_t(screen.size());
      for (Vec2f corner : {a, b, c}) {
        screen.push_back(Vec3f(corner, 1.0f + 4.0f * unit(random)));
        colors.push_back(Vec3f(unit(random), unit(random), unit(random)));
      }
      triangles.push_back({index, index + 1, index + 2});
    };
    add({-1.6f, -1.5f}, {1.7f, -1.4f}, {0.1f, 1.8f});  // larger than the image
    auto jitter = [&](float scale) { return Vec2f(unit(random) - 0.5f, unit(random) - 0.5f) * scale; };
    // The top-left tile spans NDC x in [-1, -1 + 32/37], y in [1 - 32/29, 1].
    for (int i = 0; i < 1100; ++i) {
      const Vec2f centre(-1.0f + 0.8f * unit(random), 1.0f - 1.0f * unit(random));
      const float scale = i % 3 == 0 ? 0.02f : 0.15f;  // a third of them sub-pixel
      add(centre + jitter(scale), centre + jitter(scale), centre + jitter(scale));
    }
    for (int i = 0; i < 60; ++i) {  // anywhere, some across the image border
      const Vec2f centre(2.4f * unit(random) - 1.2f, 2.4f * unit(random) - 1.2f);
      add(centre + jitter(0.6f), centre + jitter(0.6f), centre + jitter(0.6f));
    }
  }

  detail::RasterScene<float> view() const {
    detail::RasterScene<float> scene;
    scene.views = 1;
    scene.screen = screen;
    scene.triangles = triangles;
    scene.colors = colors;
    scene.depth_range = depth_range;
    return scene;
  }
};

const CrowdedScene& crowded_scene() {
  static const CrowdedScene scene;
  return scene;
}

/// The plainest loop: every pixel folds every face whose box holds it, in face order.
struct PixelMajor {
  Params params;
  std::vector<Face> faces;
  std::vector<float> image;
  std::vector<kernels::Of<float>::PixelFold> folds;
  std::vector<FaceGradient> gradients;
  // Unlit vertex colours: the shading's own loops are tested in test_shading.cpp.
  kernels::Of<float>::Shading unlit = kernels::Of<float>::unlit();
  kernels::Of<float>::Texels no_texture{nullptr};
  kernels::Of<float>::ShadingGradient shading_gradient = kernels::Of<float>::shading_gradient_zero();

  PixelMajor(const CrowdedScene& scene, const RasterSettings& settings)
      : params(detail::make_raster_params<Params>(settings)) {
    for (const glm::uvec3 t : scene.triangles) {
      faces.push_back(pn_setup_face(scene.screen[t.x], scene.screen[t.y], scene.screen[t.z],
                                    scene.depth_range[0].x, params, kWidth, kHeight));
    }
  }

  template <class Visit>
  void for_each_pair(Visit&& visit) const {
    for (int row = 0; row < kHeight; ++row) {
      for (int col = 0; col < kWidth; ++col) {
        const Vec2f pixel = pn_pixel_center(col, row, kWidth, kHeight);
        for (std::size_t f = 0; f < faces.size(); ++f) {
          const Face& face = faces[f];
          if (col < face.x0 || col > face.x1 || row < face.y0 || row > face.y1) continue;
          kernels::Of<float>::FaceSample sample;
          if (pn_reach_face(params, pixel, face, sample)) visit(row * kWidth + col, int(f), pixel, sample);
        }
      }
    }
  }

  void forward(const CrowdedScene& scene) {
    const float near = scene.depth_range[0].x, far = scene.depth_range[0].y;
    folds.assign(std::size_t(kWidth) * kHeight, pn_fold_begin(params));
    for_each_pair([&](int pixel_id, int f, Vec2f, const kernels::Of<float>::FaceSample& sample) {
      const glm::uvec3 t = scene.triangles[f];
      pn_fold_face(folds[pixel_id], params, sample, faces[f], f, near, far, unlit, no_texture,
                   pn_surface_of_colors(scene.colors[t.x], scene.colors[t.y], scene.colors[t.z]));
    });
    image.resize(folds.size() * 4);
    for (std::size_t i = 0; i < folds.size(); ++i) {
      Vec3f rgb;
      float alpha;
      pn_fold_finish(folds[i], params, rgb, alpha);
      image[4 * i] = rgb.x;
      image[4 * i + 1] = rgb.y;
      image[4 * i + 2] = rgb.z;
      image[4 * i + 3] = alpha;
    }
  }

  void backward(const CrowdedScene& scene, const std::vector<float>& dL_dimage) {
    const float near = scene.depth_range[0].x, far = scene.depth_range[0].y;
    gradients.assign(faces.size(), FaceGradient{});
    for_each_pair([&](int pixel_id, int f, Vec2f pixel, const kernels::Of<float>::FaceSample& sample) {
      kernels::Of<float>::PixelUpstream up;
      const float* upstream = dL_dimage.data() + 4 * pixel_id;
      up.dL_dcolor = Vec3f(upstream[0], upstream[1], upstream[2]);
      up.dL_dalpha = upstream[3];
      up.color = Vec3f(image[4 * pixel_id], image[4 * pixel_id + 1], image[4 * pixel_id + 2]);
      up.alpha = image[4 * pixel_id + 3];
      up.max_logit = folds[pixel_id].max_logit;
      up.sum = folds[pixel_id].sum;
      up.nearest_face = folds[pixel_id].nearest_face;
      up.max_face = folds[pixel_id].max_face;
      const glm::uvec3 t = scene.triangles[f];
      auto surface_gradient = kernels::Of<float>::surface_gradient_zero();
      kernels::Of<float>::TexelGradient texel_gradient;
      pn_pair_gradient(params, up, sample, pixel, faces[f], f, near, far, unlit, no_texture,
                       pn_surface_of_colors(scene.colors[t.x], scene.colors[t.y], scene.colors[t.z]),
                       gradients[f], surface_gradient, shading_gradient, texel_gradient);
    });
  }
};

struct TileResult {
  std::vector<float> image;
  std::vector<Vec3f> dL_dscreen, dL_dcolors;
};

TileResult render_tiles(const CrowdedScene& scene, const RasterSettings& settings,
                        const std::vector<float>& dL_dimage, int threads) {
  detail::cpu::CpuRasterizer<float> rasterizer(threads);
  TileResult result;
  result.image.resize(std::size_t(kWidth) * kHeight * 4);
  rasterizer.forward(scene.view(), settings, result.image);
  result.dL_dscreen.resize(scene.screen.size());
  result.dL_dcolors.resize(scene.colors.size());
  rasterizer.backward(dL_dimage, result.dL_dscreen, result.dL_dcolors);
  return result;
}

/// dL/d(screen) and dL/d(colours) per vertex from per-face gradients (each vertex has one face here).
std::vector<double> flatten_face_gradients(const std::vector<FaceGradient>& faces) {
  std::vector<double> flat;
  for (std::size_t f = 0; f < faces.size(); ++f) {
    for (const Vec3f& v : {faces[f].position0, faces[f].position1, faces[f].position2, faces[f].color0,
                           faces[f].color1, faces[f].color2}) {
      flat.insert(flat.end(), {v.x, v.y, v.z});
    }
  }
  return flat;
}

std::vector<double> flatten_vertex_gradients(const TileResult& result) {
  std::vector<double> flat;
  for (std::size_t face = 0; face * 3 < result.dL_dscreen.size(); ++face) {
    for (int k = 0; k < 3; ++k) {
      const Vec3f v = result.dL_dscreen[3 * face + k];
      flat.insert(flat.end(), {v.x, v.y, v.z});
    }
    for (int k = 0; k < 3; ++k) {
      const Vec3f v = result.dL_dcolors[3 * face + k];
      flat.insert(flat.end(), {v.x, v.y, v.z});
    }
  }
  return flat;
}

void expect_tiles_match_pixel_major(const RasterSettings& settings, const std::string& label) {
  const CrowdedScene& scene = crowded_scene();
  const std::vector<float> dL_dimage = loss_weights<float>(std::size_t(kWidth) * kHeight * 4);
  PixelMajor oracle(scene, settings);
  oracle.forward(scene);
  oracle.backward(scene, dL_dimage);
  const TileResult tiles = render_tiles(scene, settings, dL_dimage, 2);
  double worst = 0;
  for (std::size_t i = 0; i < tiles.image.size(); ++i) {
    worst = std::max(worst, double(std::abs(tiles.image[i] - oracle.image[i])));
  }
  EXPECT_LE(worst, 1e-6) << label;
  const std::vector<double> expected = flatten_face_gradients(oracle.gradients);
  double norm = 0;
  for (double g : expected) norm += g * g;
  EXPECT_GT(norm, 0.0) << label << ": no gradient at all";
  EXPECT_LE(relative_error(flatten_vertex_gradients(tiles), expected), 1e-5) << label;
}

RasterSettings crowded_settings() {
  RasterSettings s;
  s.width = kWidth;
  s.height = kHeight;
  s.gamma = 0.05f;
  s.background = {0.2f, 0.4f, 0.6f};
  s.shape = 2.0f;
  return s;
}

class TileDistributions : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(TileDistributions, MatchPixelMajorLoop) {
  const auto [id, squared] = GetParam();
  RasterSettings s = crowded_settings();
  s.distribution = Distribution(id);
  s.squared = squared;
  s.sigma = squared ? 4e-4f : 0.02f;
  // Asymmetric distributions are shifted so that both sides of the boundary carry coverage.
  if (s.distribution == Distribution::exponential || s.distribution == Distribution::levy) s.shift = 1.5f;
  if (s.distribution == Distribution::exponential_rev || s.distribution == Distribution::levy_rev)
    s.shift = -1.5f;
  if (s.distribution == Distribution::gamma) s.shift = 2.5f;
  if (s.distribution == Distribution::gamma_rev) s.shift = -2.5f;
  s.aggregation = Aggregation::probabilistic;
  s.colors = ColorMode::softmax;
  expect_tiles_match_pixel_major(s, std::string(name(s.distribution)) + (squared ? " squared" : " linear"));
}

INSTANTIATE_TEST_SUITE_P(AllDistributions, TileDistributions,
                         ::testing::Combine(::testing::Range(0, int(Distribution::levy_rev) + 1),
                                            ::testing::Bool()),
                         [](const auto& test) {
                           return std::string(name(Distribution(std::get<0>(test.param)))) +
                                  (std::get<1>(test.param) ? "_squared" : "_linear");
                         });

struct AggregationCase {
  Aggregation aggregation;
  float p;
};

class TileAggregations : public ::testing::TestWithParam<std::tuple<AggregationCase, ColorMode>> {};

TEST_P(TileAggregations, MatchPixelMajorLoop) {
  const auto [c, colors] = GetParam();
  RasterSettings s = crowded_settings();
  s.distribution = Distribution::logistic;
  s.squared = false;
  s.sigma = 0.02f;
  s.aggregation = c.aggregation;
  s.p = c.p;
  s.colors = colors;
  s.back_faces = BackFaces::cull;
  expect_tiles_match_pixel_major(s, std::string(name(c.aggregation)));
}

INSTANTIATE_TEST_SUITE_P(
    AllAggregations, TileAggregations,
    ::testing::Combine(
        ::testing::Values(
            AggregationCase{Aggregation::hard, 0}, AggregationCase{Aggregation::max, 0},
            AggregationCase{Aggregation::probabilistic, 0}, AggregationCase{Aggregation::einstein, 0},
            AggregationCase{Aggregation::hamacher, 0.5f}, AggregationCase{Aggregation::frank, 3.0f},
            AggregationCase{Aggregation::yager, 2.0f}, AggregationCase{Aggregation::aczel_alsina, 0.5f},
            AggregationCase{Aggregation::dombi, 2.0f}, AggregationCase{Aggregation::schweizer_sklar, -2.0f}),
        ::testing::Values(ColorMode::hard, ColorMode::softmax)),
    [](const auto& test) {
      return std::string(name(std::get<0>(test.param).aggregation)) +
             (std::get<1>(test.param) == ColorMode::hard ? "_hard" : "_softmax");
    });

TEST(TileThreads, SameBitsForOneTwoAndSevenThreads) {
  const CrowdedScene& scene = crowded_scene();
  RasterSettings s = crowded_settings();
  s.distribution = Distribution::logistic;
  s.sigma = 4e-4f;
  const std::vector<float> dL_dimage = loss_weights<float>(std::size_t(kWidth) * kHeight * 4);
  const TileResult one = render_tiles(scene, s, dL_dimage, 1);
  for (int threads : {2, 7}) {
    const TileResult many = render_tiles(scene, s, dL_dimage, threads);
    EXPECT_EQ(std::memcmp(one.image.data(), many.image.data(), one.image.size() * sizeof(float)), 0)
        << threads;
    EXPECT_EQ(
        std::memcmp(one.dL_dscreen.data(), many.dL_dscreen.data(), one.dL_dscreen.size() * sizeof(Vec3f)), 0)
        << threads;
    EXPECT_EQ(
        std::memcmp(one.dL_dcolors.data(), many.dL_dcolors.data(), one.dL_dcolors.size() * sizeof(Vec3f)), 0)
        << threads;
  }
}

}  // namespace
}  // namespace penumbra::test
