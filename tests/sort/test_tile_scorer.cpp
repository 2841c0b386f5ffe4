// Oracles: central finite differences in double of the scorer's parameter gradients (through the head, every
// ReLU layer and the tile cut); one thread and several threads give the same scores and gradients.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "penumbra/error.h"
#include "penumbra/sort/tile_scorer.h"

namespace penumbra::test {

using penumbra::sort::TileScorer;
using penumbra::sort::TileScorerShape;

namespace {

TileScorerShape small_shape() {
  TileScorerShape shape;
  shape.tile_rows = 3;
  shape.tile_cols = 4;
  shape.tiles = 3;
  shape.hidden = {5, 4};
  return shape;
}

std::vector<double> random_vector(std::mt19937& rng, std::size_t count) {
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<double> values(count);
  for (double& value : values) value = uniform(rng);
  return values;
}

double weighted_scores(TileScorer<double>& scorer, const std::vector<double>& pixels, int count,
                       const std::vector<double>& weights) {
  std::vector<double> scores(count);
  scorer.forward(pixels, count, scores);
  return std::inner_product(scores.begin(), scores.end(), weights.begin(), 0.0);
}

}  // namespace

TEST(TileScorer, ParameterGradientsMatchFiniteDifferences) {
  std::mt19937 rng(5);
  const int count = 7;
  TileScorer<double> scorer(small_shape(), 11, 2);
  const std::vector<double> pixels =
      random_vector(rng, static_cast<std::size_t>(count) * scorer.element_size());
  const std::vector<double> weights = random_vector(rng, count);
  // Biases start at zero; move them so that ReLUs are not all on the same side.
  for (double& parameter : scorer.parameters())
    parameter += 0.1 * std::uniform_real_distribution<double>(-1, 1)(rng);

  weighted_scores(scorer, pixels, count, weights);
  scorer.backward(weights);
  const std::vector<double> analytic(scorer.gradients().begin(), scorer.gradients().end());

  const double step = 1e-6;
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
  }
}

TEST(TileScorer, ThreadCountDoesNotChangeResults) {
  std::mt19937 rng(6);
  const int count = 9;
  TileScorer<double> single(small_shape(), 3, 1);
  TileScorer<double> several(small_shape(), 3, 3);
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

TEST(TileScorer, RejectsBadShapesAndSizes) {
  TileScorerShape shape = small_shape();
  shape.hidden = {};
  EXPECT_THROW(TileScorer<float>(shape, 0), penumbra::Error);
  TileScorer<float> scorer(small_shape(), 0);
  std::vector<float> scores(2);
  EXPECT_THROW(scorer.forward(std::vector<float>(5), 2, scores), penumbra::Error);
  EXPECT_THROW(scorer.backward(std::vector<float>(2)), penumbra::Error);
}

}  // namespace penumbra::test
