// Oracle: central finite differences in double of L = sum(w * image) with respect to every screen coordinate
// (x, y, depth) and every vertex colour, against the rasteriser's analytic backward, for every distribution
// (linear and squared distance) with the probabilistic sum, every T-conorm with logistic and uniform, and
// both colour modes.
#include <gtest/gtest.h>

#include <string>

#include "raster_scene.h"

namespace penumbra {
namespace {

using testing::relative_error;
using testing::SmallScene;
using Vec3d = detail::Vec3<double>;

constexpr int kSize = 24;
constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-5;

RasterSettings base_settings() {
  RasterSettings s;
  s.width = kSize;
  s.height = kSize;
  s.gamma = 0.05f;
  s.epsilon = 1e-3f;
  s.background = {0.2f, 0.4f, 0.6f};
  s.coverage_epsilon = 1e-12f;  // keep the skip rule's jump far below the finite differences
  return s;
}

struct GradientCheck {
  std::vector<double> analytic, numeric;
};

// Differentiates L w.r.t. all screen coordinates and colours, analytically and by central differences.
GradientCheck check_gradients(const RasterSettings& settings) {
  SmallScene<double> scene;
  detail::cpu::CpuRasterizer<double> rasterizer(2);
  const std::size_t values = std::size_t(kSize) * kSize * 4;
  const auto weights = testing::loss_weights<double>(values);
  std::vector<double> image(values);
  auto loss = [&] {
    rasterizer.forward(scene.view(), settings, image);
    return testing::weighted_sum(image, weights);
  };
  loss();
  std::vector<Vec3d> dL_dscreen(scene.screen.size()), dL_dcolors(scene.colors.size());
  rasterizer.backward(weights, dL_dscreen, dL_dcolors);

  GradientCheck check;
  auto differentiate = [&](double& parameter, double analytic) {
    const double saved = parameter;
    parameter = saved + kStep;
    const double up = loss();
    parameter = saved - kStep;
    const double down = loss();
    parameter = saved;
    check.numeric.push_back((up - down) / (2 * kStep));
    check.analytic.push_back(analytic);
  };
  for (std::size_t v = 0; v < scene.screen.size(); ++v) {
    for (int k = 0; k < 3; ++k) differentiate(scene.screen[v][k], dL_dscreen[v][k]);
    for (int k = 0; k < 3; ++k) differentiate(scene.colors[v][k], dL_dcolors[v][k]);
  }
  return check;
}

void expect_matches(const RasterSettings& settings, const std::string& label) {
  const GradientCheck check = check_gradients(settings);
  double norm = 0;
  for (double g : check.numeric) norm += g * g;
  EXPECT_LT(relative_error(check.analytic, check.numeric), kTolerance) << label;
  EXPECT_GT(norm, 0.0) << label << ": the check saw no gradient at all";
}

struct DistributionCase {
  Distribution distribution;
  float shift;
};

// Asymmetric distributions are shifted so that both sides of the boundary carry gradient.
const DistributionCase kDistributionCases[] = {
    {Distribution::uniform, 0},        {Distribution::cubic_hermite, 0},   {Distribution::wigner_semicircle, 0},
    {Distribution::gaussian, 0},       {Distribution::laplace, 0},         {Distribution::logistic, 0},
    {Distribution::hyperbolic_secant, 0}, {Distribution::cauchy, 0},       {Distribution::reciprocal, 0},
    {Distribution::gumbel_max, 0},     {Distribution::gumbel_min, 0},      {Distribution::exponential, 1.5f},
    {Distribution::exponential_rev, -1.5f}, {Distribution::gamma, 2.5f},  {Distribution::gamma_rev, -2.5f},
    {Distribution::levy, 1.5f},        {Distribution::levy_rev, -1.5f},
};

class DistributionGradients : public ::testing::TestWithParam<std::tuple<DistributionCase, bool>> {};

TEST_P(DistributionGradients, MatchFiniteDifferencesWithProbabilisticSum) {
  const auto [c, squared] = GetParam();
  RasterSettings s = base_settings();
  s.distribution = c.distribution;
  s.shift = c.shift;
  s.shape = 2.0f;
  s.squared = squared;
  s.sigma = squared ? 0.004f : 0.06f;
  s.aggregation = Aggregation::probabilistic;
  expect_matches(s, std::string(name(c.distribution)) + (squared ? " squared" : " linear"));
}

INSTANTIATE_TEST_SUITE_P(AllDistributions, DistributionGradients,
                         ::testing::Combine(::testing::ValuesIn(kDistributionCases), ::testing::Bool()),
                         [](const auto& test) {
                           return std::string(name(std::get<0>(test.param).distribution)) +
                                  (std::get<1>(test.param) ? "_squared" : "_linear");
                         });

struct AggregationCase {
  Aggregation aggregation;
  float p;
};

const AggregationCase kAggregationCases[] = {
    {Aggregation::max, 0},        {Aggregation::probabilistic, 0}, {Aggregation::einstein, 0},
    {Aggregation::hamacher, 0.5f}, {Aggregation::hamacher, 0.0f},  {Aggregation::frank, 3.0f},
    {Aggregation::frank, 0.3f},   {Aggregation::yager, 2.0f},     {Aggregation::yager, 0.7f},
    {Aggregation::aczel_alsina, 0.5f}, {Aggregation::aczel_alsina, 2.0f}, {Aggregation::dombi, 2.0f},
    {Aggregation::schweizer_sklar, -2.0f},
};

class AggregationGradients : public ::testing::TestWithParam<std::tuple<AggregationCase, Distribution>> {};

TEST_P(AggregationGradients, MatchFiniteDifferences) {
  const auto [c, distribution] = GetParam();
  RasterSettings s = base_settings();
  s.distribution = distribution;
  s.squared = false;
  s.sigma = 0.06f;
  s.aggregation = c.aggregation;
  s.p = c.p;
  expect_matches(s, std::string(name(c.aggregation)) + " p=" + std::to_string(c.p));
}

INSTANTIATE_TEST_SUITE_P(AllAggregations, AggregationGradients,
                         ::testing::Combine(::testing::ValuesIn(kAggregationCases),
                                            ::testing::Values(Distribution::logistic, Distribution::uniform)),
                         [](const auto& test) {
                           const auto& c = std::get<0>(test.param);
                           std::string p = std::to_string(int(c.p * 10));
                           for (char& ch : p) ch = ch == '-' ? 'm' : ch;
                           return std::string(name(c.aggregation)) + "_p" + p + "_" +
                                  std::string(name(std::get<1>(test.param)));
                         });

TEST(HardAggregation, HasNoGradientAndFiniteDifferencesAgree) {
  RasterSettings s = base_settings();
  s.aggregation = Aggregation::hard;
  s.squared = false;
  s.sigma = 0.06f;
  const GradientCheck check = check_gradients(s);
  // Alpha is piecewise constant; colour still has gradient through the softmax.
  EXPECT_LT(relative_error(check.analytic, check.numeric), kTolerance);
}

TEST(HardColors, VertexColourGradientsMatchFiniteDifferences) {
  RasterSettings s = base_settings();
  s.colors = ColorMode::hard;
  s.squared = true;
  s.sigma = 0.004f;
  expect_matches(s, "hard colours");
}

TEST(SoftmaxColors, SharpDepthTemperatureStillMatches) {
  RasterSettings s = base_settings();
  s.gamma = 0.01f;
  s.squared = true;
  s.sigma = 0.002f;
  expect_matches(s, "gamma 0.01");
}

TEST(SoftmaxColors, CulledBackFacesMatch) {
  RasterSettings s = base_settings();
  s.back_faces = BackFaces::cull;
  s.sigma = 0.06f;
  s.squared = false;
  expect_matches(s, "culled back faces");
}

}  // namespace
}  // namespace penumbra
