// Optimisers and schedules on cases worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "optimiser.h"
#include "penumbra/error.h"
#include "schedule.h"

namespace penumbra::learning {
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

TEST(Optimiser, SgdMomentumAccumulatesVelocity) {
  OptimiserSettings settings{OptimiserKind::sgd};
  settings.momentum = 0.5;
  Optimiser sgd(settings, 1);
  std::vector<float> x{0.0f};
  const std::vector<float> g{1.0f};
  sgd.step(x, g, 0.1);  // v = 1
  sgd.step(x, g, 0.1);  // v = 1.5
  EXPECT_NEAR(x[0], -0.25f, 1e-6);
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

TEST(Schedule, EndpointsAndShapes) {
  EXPECT_DOUBLE_EQ(Schedule::constant(0.2).value(1000), 0.2);
  const Schedule anneal = Schedule::log_anneal(1e-1, 1e-7, 1000);
  EXPECT_NEAR(anneal.value(0), 1e-1, 1e-15);
  EXPECT_NEAR(anneal.value(500), 1e-4, 1e-12);
  EXPECT_NEAR(anneal.value(1000), 1e-7, 1e-18);
  EXPECT_NEAR(anneal.value(5000), 1e-7, 1e-18);
  const Schedule cosine{ScheduleKind::cosine, 1.0, 0.0, 1.0, 100};
  EXPECT_NEAR(cosine.value(50), 0.5, 1e-12);
  EXPECT_NEAR(cosine.value(100), 0.0, 1e-12);
  const Schedule exponential{ScheduleKind::exponential, 2.0, 0.0, 0.5, 1};
  EXPECT_NEAR(exponential.value(3), 0.25, 1e-12);
  EXPECT_THROW((Schedule{ScheduleKind::log_anneal, 1.0, 0.0, 1.0, 10}.validate("test")), Error);
  EXPECT_EQ(parse_schedule_kind("cosine"), ScheduleKind::cosine);
  EXPECT_THROW(parse_schedule_kind("linear"), Error);
}

}  // namespace
}  // namespace penumbra::learning
