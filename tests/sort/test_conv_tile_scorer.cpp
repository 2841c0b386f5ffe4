// Oracles: central finite differences in double of the CNN scorer's parameter gradients (through the head,
// the fully connected ReLU, both convolution / pool / ReLU stages and the tile cut); one thread and several
// threads give the same scores and gradients.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "penumbra/error.h"
#include "sort/conv_tile_scorer.h"

namespace penumbra::test {

using penumbra::sort::ConvTileScorer;
using penumbra::sort::ConvTileScorerShape;

namespace {

// 11 x 10 tiles, kernel 3: 9 x 8 -> pool 4 x 4 -> 2 x 2 -> pool 1 x 1; the odd row exercises the dropped
// edge.
ConvTileScorerShape small_shape() {
  ConvTileScorerShape shape;
  shape.tile_rows = 11;
  shape.tile_cols = 10;
  shape.tiles = 3;
  shape.kernel = 3;
  shape.channels1 = 3;
  shape.channels2 = 4;
  shape.features = 5;
  return shape;
}

std::vector<double> random_vector(std::mt19937& rng, std::size_t count) {
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<double> values(count);
  for (double& value : values) value = uniform(rng);
  return values;
}

double weighted_scores(ConvTileScorer<double>& scorer, const std::vector<double>& pixels, int count,
                       const std::vector<double>& weights) {
  std::vector<double> scores(count);
  scorer.forward(pixels, count, scores);
  return std::inner_product(scores.begin(), scores.end(), weights.begin(), 0.0);
}

}  // namespace

TEST(ConvTileScorer, ParameterGradientsMatchFiniteDifferences) {
  std::mt19937 rng(5);
  const int count = 4;
  ConvTileScorer<double> scorer(small_shape(), 11, 2);
  const std::vector<double> pixels =
      random_vector(rng, static_cast<std::size_t>(count) * scorer.element_size());
  const std::vector<double> weights = random_vector(rng, count);
  // Biases start at zero; move them so that ReLUs are not all on the same side.
  for (double& parameter : scorer.parameters())
    parameter += 0.1 * std::uniform_real_distribution<double>(-1, 1)(rng);

  weighted_scores(scorer, pixels, count, weights);
  scorer.backward(weights);
  const std::vector<double> analytic(scorer.gradients().begin(), scorer.gradients().end());

  // A step small enough that no max-pool winner or ReLU sign flips between the two evaluations.
  const double step = 1e-6;
  int nonzero = 0;
  for (std::size_t index = 0; index < analytic.size(); ++index) {
    double& parameter = scorer.parameters()[index];
    const double original = parameter;
    parameter = original + step;
    const double up = weighted_scores(scorer, pixels, count, weights);
    parameter = original - step;
    const double down = weighted_scores(scorer, pixels, count, weights);
    parameter = original;
    const double numeric = (up - down) / (2 * step);
    EXPECT_NEAR(analytic[index], numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << "parameter " << index;
    if (std::abs(numeric) > 1e-9) ++nonzero;
  }
  // Most parameters must carry gradient, or the check proves little.
  EXPECT_GT(nonzero, static_cast<int>(analytic.size()) / 2);
}

TEST(ConvTileScorer, ThreadCountDoesNotChangeResults) {
  std::mt19937 rng(6);
  const int count = 7;
  ConvTileScorer<double> single(small_shape(), 3, 1);
  ConvTileScorer<double> several(small_shape(), 3, 3);
  const std::vector<double> pixels =
      random_vector(rng, static_cast<std::size_t>(count) * single.element_size());
  const std::vector<double> weights = random_vector(rng, count);
  std::vector<double> scores_single(count);
  std::vector<double> scores_several(count);
  single.forward(pixels, count, scores_single);
  several.forward(pixels, count, scores_several);
  single.backward(weights);
  several.backward(weights);
  for (int i = 0; i < count; ++i) EXPECT_NEAR(scores_single[i], scores_several[i], 1e-12);
  for (std::size_t i = 0; i < single.gradients().size(); ++i) {
    EXPECT_NEAR(single.gradients()[i], several.gradients()[i], 1e-12);
  }
}

TEST(ConvTileScorer, RejectsBadShapesAndSizes) {
  ConvTileScorerShape too_small = small_shape();
  too_small.tile_rows = 7;  // 5 -> pool 2 -> conv 0
  EXPECT_THROW(ConvTileScorer<float>(too_small, 0), penumbra::Error);
  ConvTileScorerShape no_channels = small_shape();
  no_channels.channels2 = 0;
  EXPECT_THROW(ConvTileScorer<float>(no_channels, 0), penumbra::Error);
  ConvTileScorer<float> scorer(small_shape(), 0);
  std::vector<float> scores(2);
  EXPECT_THROW(scorer.forward(std::vector<float>(5), 2, scores), penumbra::Error);
  EXPECT_THROW(scorer.backward(std::vector<float>(2)), penumbra::Error);
}

}  // namespace penumbra::test
