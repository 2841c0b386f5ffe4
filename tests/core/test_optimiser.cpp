// Adam and SGD (penumbra/core/optimiser.h) against steps worked by hand.
#include <gtest/gtest.h>

#include <vector>

#include "penumbra/core/optimiser.h"
#include "penumbra/error.h"

namespace penumbra::test {

using namespace core;

namespace {

TEST(Optimiser, AdamFirstStepMovesEachParameterByTheLearningRate) {
  // With bias correction, m/sqrt(v) = g/|g| on the first step.
  Optimiser adam({OptimiserKind::adam}, 3);
  std::vector<float> x{1.0f, 2.0f, 3.0f};
  const std::vector<float> g{0.5f, -4.0f, 1e-3f};
  adam.step(x, g, 0.1);
  EXPECT_NEAR(x[0], 0.9f, 1e-6);
  EXPECT_NEAR(x[1], 2.1f, 1e-6);
  EXPECT_NEAR(x[2], 2.9f, 1e-4);
  EXPECT_EQ(adam.steps(), 1);
}

TEST(Optimiser, AdamSecondStepMatchesTheHandComputation) {
  // Gradients 0.5 then -1, lr 0.1, betas 0.9 and 0.999:
  // m = 0.05, v = 2.5e-4; then m = -0.055, v = 1.24975e-3, m^ = -0.055 / 0.19, v^ = 1.24975e-3 / 1.999e-3,
  // x = 0.9 - 0.1 m^ / sqrt(v^) = 0.93661035.
  Optimiser adam({OptimiserKind::adam}, 1);
  std::vector<float> x{1.0f};
  adam.step(x, std::vector<float>{0.5f}, 0.1);
  adam.step(x, std::vector<float>{-1.0f}, 0.1);
  EXPECT_NEAR(x[0], 0.93661035f, 2e-6);
  EXPECT_NEAR(adam.state()[0], -0.055f, 1e-7);
  EXPECT_NEAR(adam.state()[1], 1.24975e-3f, 1e-9);
}

TEST(Optimiser, SgdMomentumAccumulatesVelocity) {
  OptimiserSettings settings{OptimiserKind::sgd};
  settings.momentum = 0.5;
  Optimiser sgd(settings, 1);
  std::vector<float> x{0.0f};
  const std::vector<float> g{1.0f};
  sgd.step(x, g, 0.1);  // v = 1, x = -0.1
  sgd.step(x, g, 0.1);  // v = 1.5, x = -0.25
  EXPECT_NEAR(x[0], -0.25f, 1e-6);
  EXPECT_NEAR(sgd.state()[0], 1.5f, 1e-7);
}

TEST(Optimiser, AdamMinimisesAQuadratic) {
  Optimiser adam({OptimiserKind::adam}, 2);
  std::vector<float> x{3.0f, -2.0f};
  for (int i = 0; i < 2000; ++i) {
    const std::vector<float> g{2.0f * (x[0] - 1.0f), 20.0f * (x[1] + 0.5f)};
    adam.step(x, g, 0.01);
  }
  EXPECT_NEAR(x[0], 1.0f, 1e-2);
  EXPECT_NEAR(x[1], -0.5f, 1e-2);
}

TEST(Optimiser, ThreadCountDoesNotChangeTheBits) {
  for (OptimiserKind kind : {OptimiserKind::adam, OptimiserKind::sgd}) {
    Optimiser one({kind}, 1001), four({kind}, 1001);
    std::vector<float> x(1001), y(1001), g(1001);
    for (std::size_t i = 0; i < g.size(); ++i) {
      x[i] = y[i] = 0.01f * float(i);
      g[i] = float(i % 7) - 3.0f;
    }
    for (int step = 0; step < 3; ++step) {
      one.step(x, g, 0.05, 1);
      four.step(y, g, 0.05, 4);
    }
    EXPECT_EQ(x, y);
    EXPECT_EQ(one.state(), four.state());
  }
}

TEST(Optimiser, RestoreContinuesIdentically) {
  Optimiser a({OptimiserKind::adam}, 2);
  std::vector<float> x{1.0f, 1.0f};
  const std::vector<float> g{0.3f, -0.7f};
  a.step(x, g, 0.05);
  Optimiser b({OptimiserKind::adam}, 2);
  b.restore(a.state(), a.steps());
  std::vector<float> y = x;
  a.step(x, g, 0.05);
  b.step(y, g, 0.05);
  EXPECT_EQ(x, y);
  EXPECT_THROW(b.restore(std::vector<float>(3), 1), Error);
}

TEST(Optimiser, WrongSizesAndNamesThrow) {
  Optimiser adam({OptimiserKind::adam}, 2);
  std::vector<float> x{1.0f, 1.0f, 1.0f};
  EXPECT_THROW(adam.step(x, std::vector<float>{1.0f, 1.0f, 1.0f}, 0.1), Error);
  EXPECT_EQ(parse_optimiser_kind("sgd"), OptimiserKind::sgd);
  EXPECT_EQ(name(OptimiserKind::adam), "adam");
  EXPECT_THROW(parse_optimiser_kind("rmsprop"), Error);
}

}  // namespace
}  // namespace penumbra::test
