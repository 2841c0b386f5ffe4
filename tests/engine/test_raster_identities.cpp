// Identities and limits of the rasteriser (docs/rendering-maths.md): heaviside + hard equals a plain z-buffer, one face
// alone gives A = D, A does not depend on face order, a pixel worked out by hand with SoftRas's formula,
// and culling drops nothing above the coverage threshold (equal to evaluating every face at every pixel).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "raster_scene.h"

namespace penumbra::test {
namespace {

using Vec2f = detail::Vec2<float>;
using Vec3f = detail::Vec3<float>;

constexpr int kSize = 40;

std::vector<float> render(const SmallScene<float>& scene, const RasterSettings& settings) {
  detail::cpu::CpuRasterizer<float> rasterizer(2);
  std::vector<float> image(std::size_t(settings.width) * settings.height * 4);
  rasterizer.forward(scene.view(), settings, image);
  return image;
}

Vec2f pixel_center(int col, int row, int width, int height) {
  return {float(2 * col + 1 - width) / width, float(height - 1 - 2 * row) / height};
}

// Twice the signed area of (p, a, b), written as the renderer writes it so that pixels exactly on an edge
// fall on the same side in both.
float edge(Vec2f a, Vec2f b, Vec2f p) { return (a.x - p.x) * (b.y - p.y) - (a.y - p.y) * (b.x - p.x); }

TEST(Identities, HeavisideWithHardAggregationIsAZBuffer) {
  SmallScene<float> scene;
  RasterSettings s;
  s.width = s.height = kSize;
  s.distribution = Distribution::heaviside;
  s.aggregation = Aggregation::hard;
  s.colors = ColorMode::hard;
  s.background = {0.1f, 0.2f, 0.3f};
  const std::vector<float> image = render(scene, s);

  // A plain z-buffer: closed-triangle edge tests, perspective-correct depth and colour.
  for (int row = 0; row < kSize; ++row) {
    for (int col = 0; col < kSize; ++col) {
      const Vec2f p = pixel_center(col, row, kSize, kSize);
      float best_depth = INFINITY, alpha = 0;
      Vec3f color(s.background);
      for (const glm::uvec3 t : scene.triangles) {
        const Vec3f a = scene.screen[t.x], b = scene.screen[t.y], c = scene.screen[t.z];
        const float n0 = edge(Vec2f(b), Vec2f(c), p), n1 = edge(Vec2f(c), Vec2f(a), p),
                    n2 = edge(Vec2f(a), Vec2f(b), p);
        const float area = n0 + n1 + n2;
        const float w0 = n0 / area, w1 = n1 / area, w2 = n2 / area;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        alpha = 1;
        const float depth = 1 / (w0 / a.z + w1 / b.z + w2 / c.z);
        if (depth < best_depth) {
          best_depth = depth;
          color = depth * (w0 / a.z * scene.colors[t.x] + w1 / b.z * scene.colors[t.y] +
                           w2 / c.z * scene.colors[t.z]);
        }
      }
      const float* out = image.data() + (std::size_t(row) * kSize + col) * 4;
      ASSERT_EQ(out[3], alpha) << "pixel " << col << "," << row;
      for (int k = 0; k < 3; ++k) ASSERT_NEAR(out[k], color[k], 1e-5f) << "pixel " << col << "," << row;
    }
  }
}

TEST(Identities, OneFaceAloneGivesAlphaEqualToItsCoverage) {
  SmallScene<float> scene;
  scene.triangles = {scene.triangles[0]};
  RasterSettings s;
  s.width = s.height = kSize;
  s.distribution = Distribution::logistic;
  s.squared = false;
  s.sigma = 0.05f;
  s.coverage_epsilon = 1e-7f;
  s.aggregation = Aggregation::max;
  const std::vector<float> coverage = render(scene, s);
  for (Aggregation a : all_aggregations()) {
    if (a == Aggregation::hard || a == Aggregation::max) continue;
    s.aggregation = a;
    s.p = a == Aggregation::schweizer_sklar ? -1.5f : 1.7f;
    const std::vector<float> image = render(scene, s);
    for (std::size_t i = 3; i < image.size(); i += 4) {
      ASSERT_NEAR(image[i], coverage[i], 2e-6f + 1e-5f * coverage[i]) << name(a) << " value " << i;
    }
  }
}

TEST(Identities, AlphaDoesNotDependOnFaceOrder) {
  SmallScene<float> scene;
  RasterSettings s;
  s.width = s.height = kSize;
  s.squared = false;
  s.sigma = 0.08f;
  for (Aggregation a : all_aggregations()) {
    s.aggregation = a;
    s.p = a == Aggregation::schweizer_sklar ? -2.0f : 2.0f;
    const std::vector<float> forward_order = render(scene, s);
    SmallScene<float> reversed = scene;
    std::reverse(reversed.triangles.begin(), reversed.triangles.end());
    const std::vector<float> backward_order = render(reversed, s);
    for (std::size_t i = 0; i < forward_order.size(); ++i) {
      ASSERT_NEAR(forward_order[i], backward_order[i], 1e-5f) << name(a) << " value " << i;
    }
  }
}

TEST(Identities, SoftRasPixelWorkedByHand) {
  // Triangle (-0.5,-0.5) (0.5,-0.5) (0,0.5) on an 8x8 image; pixel (col 3, row 7) sits at (-0.125, -0.875),
  // 0.375 below the bottom edge. SoftRas: D = sigmoid(-d^2 / sigma), A = 1 - prod(1 - D).
  SmallScene<float> scene;
  scene.screen = {{-0.5f, -0.5f, 2.0f}, {0.5f, -0.5f, 2.0f}, {0.0f, 0.5f, 2.0f}};
  scene.colors.assign(3, Vec3f(1.0f));
  scene.triangles = {{0, 1, 2}};
  RasterSettings s;
  s.width = s.height = 8;
  s.distribution = Distribution::logistic;
  s.squared = true;
  s.sigma = 0.05f;
  s.aggregation = Aggregation::probabilistic;
  const double d2 = 0.375 * 0.375;
  const double expected = 1.0 / (1.0 + std::exp(d2 / 0.05));
  const std::vector<float> one = render(scene, s);
  EXPECT_NEAR(one[(7 * 8 + 3) * 4 + 3], expected, 1e-6);

  // A second copy of the face: 1 - (1 - D)^2.
  scene.triangles.push_back({0, 1, 2});
  const std::vector<float> two = render(scene, s);
  EXPECT_NEAR(two[(7 * 8 + 3) * 4 + 3], 1.0 - (1.0 - expected) * (1.0 - expected), 1e-6);
}

// Every face at every pixel, no boxes, no tiles: what culling must reproduce exactly.
std::vector<float> brute_force_alpha(const SmallScene<float>& scene, const RasterSettings& s) {
  using namespace kernels::f32;
  std::vector<float> alpha(std::size_t(s.width) * s.height);
  for (int row = 0; row < s.height; ++row) {
    for (int col = 0; col < s.width; ++col) {
      const Vec2f p = pixel_center(col, row, s.width, s.height);
      float state = 0;
      for (const glm::uvec3 t : scene.triangles) {
        const auto sample = pn_sample_face(p, Vec2f(scene.screen[t.x]), Vec2f(scene.screen[t.y]),
                                           Vec2f(scene.screen[t.z]), s.squared, s.clipped_barycentrics);
        const float d = pn_coverage(int(s.distribution), sample.value / s.sigma + s.shift, sample.inside,
                                    s.shape, float(std::lgamma(double(s.shape))));
        if (d <= s.coverage_epsilon) continue;
        state = pn_aggregate_step(int(s.aggregation), state, d, s.p);
      }
      alpha[std::size_t(row) * s.width + col] = pn_aggregate_finish(int(s.aggregation), state, s.p);
    }
  }
  return alpha;
}

TEST(Culling, DropsNothingAboveTheCoverageThreshold) {
  SmallScene<float> scene;
  const struct {
    Distribution distribution;
    bool squared;
    float sigma, shift;
  } cases[] = {{Distribution::logistic, true, 1e-3f, 0},  {Distribution::logistic, false, 0.01f, 0},
               {Distribution::gaussian, false, 0.01f, 0}, {Distribution::uniform, false, 0.02f, 0},
               {Distribution::cauchy, false, 0.002f, 0},  {Distribution::exponential_rev, true, 1e-3f, 0},
               {Distribution::levy, false, 0.01f, 2.0f},  {Distribution::gamma_rev, false, 0.01f, 0}};
  for (const auto& c : cases) {
    RasterSettings s;
    s.width = s.height = 64;  // several tiles
    s.distribution = c.distribution;
    s.squared = c.squared;
    s.sigma = c.sigma;
    s.shift = c.shift;
    s.coverage_epsilon = 1e-3f;  // a large threshold makes culling boxes tight
    const std::vector<float> image = render(scene, s);
    const std::vector<float> reference = brute_force_alpha(scene, s);
    for (std::size_t i = 0; i < reference.size(); ++i) {
      ASSERT_EQ(image[i * 4 + 3], reference[i]) << name(c.distribution) << " pixel " << i;
    }
  }
}

TEST(Culling, FacesFarOffScreenStillReachTheirPixels) {
  // Faces beyond 4 NDC from the screen (a pixel box cannot be capped by the screen's own size): heavy tails
  // reach across, and nothing above the threshold may be dropped.
  SmallScene<float> scene;
  const auto base = static_cast<unsigned>(scene.screen.size());
  scene.screen.insert(scene.screen.end(), {{5.0f, -0.2f, 2.0f},
                                           {5.6f, -0.1f, 2.0f},
                                           {5.2f, 0.4f, 2.0f},
                                           {-0.3f, -7.0f, 3.0f},
                                           {0.4f, -6.5f, 3.0f},
                                           {0.0f, -6.0f, 3.0f}});
  scene.colors.resize(scene.screen.size(), glm::vec3(0.5f));
  SmallScene<float> off_screen_only = scene;
  off_screen_only.triangles = {{base, base + 1, base + 2}, {base + 3, base + 4, base + 5}};
  scene.triangles.insert(scene.triangles.end(), off_screen_only.triangles.begin(),
                         off_screen_only.triangles.end());
  for (const Distribution distribution :
       {Distribution::cauchy, Distribution::reciprocal, Distribution::levy_rev}) {
    RasterSettings s;
    s.width = s.height = 48;
    s.distribution = distribution;
    s.squared = false;
    s.sigma = 0.05f;
    const std::vector<float> reference = brute_force_alpha(scene, s);
    const std::vector<float> image = render(scene, s);
    for (std::size_t i = 0; i < reference.size(); ++i) {
      ASSERT_EQ(image[i * 4 + 3], reference[i]) << name(distribution) << " pixel " << i;
    }
    const std::vector<float> far_alone = brute_force_alpha(off_screen_only, s);
    EXPECT_GT(*std::max_element(far_alone.begin(), far_alone.end()), 100 * s.coverage_epsilon)
        << name(distribution)
        << ": the off-screen faces must reach the screen for this test to mean anything";
  }
}

}  // namespace
}  // namespace penumbra::test
