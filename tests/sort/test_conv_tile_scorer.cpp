// Oracles: central finite differences in double of the CNN scorer's parameter gradients (through the head,
// the fully connected ReLU, both convolution / pool / ReLU stages and the tile cut); a direct convolution
// written out loop by loop in double gives the float scorer's scores; one thread and several threads give
// bit-identical scores and gradients.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "penumbra/error.h"
#include "penumbra/sort/conv_tile_scorer.h"

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

// The scorer written out directly from its parameter layout: for each tile, conv (weights [out][(ky * kernel +
// kx) * in + c]) + bias -> 2x2 max-pool -> ReLU, twice, then the fully connected ReLU layer (input index
// (y * cols + x) * channels + c), then the head per tile position.
std::vector<double> direct_scores(const ConvTileScorerShape& shape, const std::vector<double>& parameters,
                                  const std::vector<double>& pixels, int count) {
  std::size_t next = 0;
  const auto take = [&](std::size_t size) {
    const std::size_t offset = next;
    next += size;
    return parameters.data() + offset;
  };
  struct Map {
    int rows, cols, channels;
    std::vector<double> values;  // [(y * cols + x) * channels + c]
  };
  const auto stage = [&](const Map& in, int out) {
    const int k = shape.kernel;
    const double* weights = take(static_cast<std::size_t>(out) * in.channels * k * k);
    const double* biases = take(out);
    const int conv_rows = in.rows - k + 1;
    const int conv_cols = in.cols - k + 1;
    Map pooled{conv_rows / 2, conv_cols / 2, out, {}};
    pooled.values.assign(static_cast<std::size_t>(pooled.rows) * pooled.cols * out, 0.0);
    const auto convolved = [&](int y, int x, int o) {
      double sum = biases[o];
      for (int ky = 0; ky < k; ++ky)
        for (int kx = 0; kx < k; ++kx)
          for (int c = 0; c < in.channels; ++c)
            sum += weights[o + out * ((ky * k + kx) * in.channels + c)] *
                   in.values[((y + ky) * in.cols + x + kx) * in.channels + c];
      return sum;
    };
    for (int y = 0; y < pooled.rows; ++y)
      for (int x = 0; x < pooled.cols; ++x)
        for (int o = 0; o < out; ++o) {
          double best = -1e300;
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx) best = std::max(best, convolved(2 * y + dy, 2 * x + dx, o));
          pooled.values[(y * pooled.cols + x) * out + o] = std::max(best, 0.0);
        }
    return pooled;
  };
  std::vector<double> scores(count);
  const int row_width = shape.tiles * shape.tile_cols;
  for (int element = 0; element < count; ++element) {
    double score = 0;
    for (int tile = 0; tile < shape.tiles; ++tile) {
      next = 0;
      Map input{shape.tile_rows, shape.tile_cols, 1, {}};
      for (int y = 0; y < shape.tile_rows; ++y)
        for (int x = 0; x < shape.tile_cols; ++x)
          input.values.push_back(
              pixels[(static_cast<std::size_t>(element) * shape.tile_rows + y) * row_width +
                     tile * shape.tile_cols + x]);
      const Map pooled2 = stage(stage(input, shape.channels1), shape.channels2);
      const std::size_t flat = pooled2.values.size();
      const double* fc = take(static_cast<std::size_t>(shape.features) * flat);
      const double* fc_biases = take(shape.features);
      const double* head = take(static_cast<std::size_t>(shape.features) * shape.tiles);
      for (int f = 0; f < shape.features; ++f) {
        double feature = fc_biases[f];
        for (std::size_t i = 0; i < flat; ++i) feature += fc[f + shape.features * i] * pooled2.values[i];
        score += head[f + shape.features * tile] * std::max(feature, 0.0);
      }
    }
    scores[element] = score + parameters[next];
  }
  return scores;
}

}  // namespace

TEST(ConvTileScorer, FloatScoresMatchDirectConvolutionInDouble) {
  std::mt19937 rng(4);
  // The default 28 x 28 shape with fewer channels and features, over several blocks of elements.
  ConvTileScorerShape shape;
  shape.tiles = 2;
  shape.channels1 = 3;
  shape.channels2 = 4;
  shape.features = 6;
  const int count = 9;
  ConvTileScorer<float> scorer(shape, 8, 2);
  for (float& parameter : scorer.parameters())
    parameter += 0.1f * std::uniform_real_distribution<float>(-1, 1)(rng);
  std::uniform_real_distribution<float> pixel(0, 1);
  std::vector<float> pixels(static_cast<std::size_t>(count) * scorer.element_size());
  for (float& value : pixels) value = pixel(rng);
  std::vector<float> scores(count);
  scorer.forward(pixels, count, scores);

  const std::vector<double> expected = direct_scores(
      shape, {scorer.parameters().begin(), scorer.parameters().end()}, {pixels.begin(), pixels.end()}, count);
  double spread = 0;
  for (int i = 0; i < count; ++i) {
    EXPECT_NEAR(scores[i], expected[i], 1e-5 * std::max(1.0, std::abs(expected[i]))) << "element " << i;
    spread = std::max(spread, std::abs(expected[i] - expected[0]));
  }
  // Elements must score differently, or the comparison proves little.
  EXPECT_GT(spread, 1e-3);
}

TEST(ConvTileScorer, ParameterGradientsMatchFiniteDifferences) {
  std::mt19937 rng(5);
  const int count = 6;  // two blocks of elements
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

TEST(ConvTileScorer, ScoresAndGradientsAreBitIdenticalForEveryThreadCount) {
  std::mt19937 rng(6);
  const int count = 13;  // several blocks of elements, the last one partial
  ConvTileScorer<float> single(small_shape(), 3, 1);
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::vector<float> pixels(static_cast<std::size_t>(count) * single.element_size());
  for (float& value : pixels) value = uniform(rng);
  std::vector<float> weights(count);
  for (float& value : weights) value = uniform(rng);
  std::vector<float> scores_single(count);
  single.forward(pixels, count, scores_single);
  single.backward(weights);
  for (const int threads : {2, 3, 5}) {
    ConvTileScorer<float> several(small_shape(), 3, threads);
    std::vector<float> scores_several(count);
    several.forward(pixels, count, scores_several);
    several.backward(weights);
    for (int i = 0; i < count; ++i) EXPECT_EQ(scores_single[i], scores_several[i]) << threads << " threads";
    for (std::size_t i = 0; i < single.gradients().size(); ++i) {
      EXPECT_EQ(single.gradients()[i], several.gradients()[i]) << threads << " threads, parameter " << i;
    }
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
