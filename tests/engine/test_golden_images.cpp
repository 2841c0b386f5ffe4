// Golden images: a few reviewed scenes rendered on the CPU backend must stay within 2/255 of the PNGs in
// tests/golden/. A failure writes the actual image and a difference image next to the build, named in the
// message. To approve new goldens after an intended change, run this test with PENUMBRA_UPDATE_GOLDENS=1
// and review the PNGs before committing them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "penumbra/renderer.h"

namespace penumbra::test {
namespace {

namespace fs = std::filesystem;

struct GoldenScene {
  const char* name;
  Distribution distribution;
  bool squared;
  float sigma;
  Aggregation aggregation;
  ColorMode colors;
};

const GoldenScene kScenes[] = {
    {"softras_softmax", Distribution::logistic, true, 3e-4f, Aggregation::probabilistic, ColorMode::softmax},
    {"uniform_yager_hard", Distribution::uniform, false, 0.03f, Aggregation::yager, ColorMode::hard},
    {"cauchy_einstein", Distribution::cauchy, false, 0.002f, Aggregation::einstein, ColorMode::softmax},
};

Images render(const GoldenScene& scene) {
  Mesh mesh = icosphere(2);
  // A squashed, coloured sphere so that silhouettes, occlusion and colour all show.
  for (auto& p : mesh.positions) {
    mesh.colors.push_back(0.5f * p + 0.5f);
    p *= glm::vec3(1.0f, 0.6f, 0.8f);
  }
  RasterSettings s;
  s.width = s.height = 64;
  s.distribution = scene.distribution;
  s.squared = scene.squared;
  s.sigma = scene.sigma;
  s.aggregation = scene.aggregation;
  s.colors = scene.colors;
  s.background = {0.1f, 0.1f, 0.15f};
  Renderer renderer;
  return renderer.forward(mesh, std::vector<Camera>{Camera::orbit(35, 25, 3.0f, 30.0f)}, s);
}

class GoldenImages : public ::testing::TestWithParam<GoldenScene> {};

TEST_P(GoldenImages, MatchTheReviewedPng) {
  const GoldenScene& scene = GetParam();
  const Images actual = render(scene);
  const fs::path golden = fs::path(PENUMBRA_SOURCE_DIR) / "tests/golden" / (std::string(scene.name) + ".png");
  if (std::getenv("PENUMBRA_UPDATE_GOLDENS")) {
    save_png(actual, 0, golden);
    GTEST_SKIP() << "rewrote " << golden << "; review it before committing";
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; create it with PENUMBRA_UPDATE_GOLDENS=1";
  const Images expected = load_image(golden);
  ASSERT_EQ(expected.width, actual.width);
  ASSERT_EQ(expected.height, actual.height);
  Images difference(1, actual.height, actual.width);
  float worst = 0;
  for (std::size_t i = 0; i < actual.rgba.size(); ++i) {
    const float quantised = std::round(std::clamp(actual.rgba[i], 0.0f, 1.0f) * 255.0f) / 255.0f;
    const float error = std::abs(quantised - expected.rgba[i]);
    worst = std::max(worst, error);
    difference.rgba[i] = (i % 4 == 3) ? 1.0f : std::min(1.0f, error * 20.0f);
  }
  if (worst > 2.0f / 255.0f) {
    save_png(actual, 0, std::string(scene.name) + "_actual.png");
    save_png(difference, 0, std::string(scene.name) + "_difference.png");
  }
  EXPECT_LE(worst, 2.0f / 255.0f) << "wrote " << scene.name << "_actual.png and _difference.png in "
                                  << fs::current_path();
}

INSTANTIATE_TEST_SUITE_P(Scenes, GoldenImages, ::testing::ValuesIn(kScenes),
                         [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace penumbra::test
