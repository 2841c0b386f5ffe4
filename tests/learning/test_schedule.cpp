// Schedules of the learning rate and sigma on cases worked by hand.
#include <gtest/gtest.h>

#include "penumbra/error.h"
#include "penumbra/learning/schedule.h"

namespace penumbra::test {

using namespace learning;

namespace {

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
}  // namespace penumbra::test
