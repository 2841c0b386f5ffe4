// Oracles: the sigmoid symmetry f(x) + f(-x) = 1, f(0) = 1/2, central finite differences of f in double,
// and the spec's hand-checked limits (optimal is linear on |x| <= 1/4).
#include <gtest/gtest.h>

#include <cmath>

#include "penumbra/error.h"
#include "penumbra/sort/relaxation.h"

namespace penumbra::test {

using namespace sort;

namespace {

const RelaxationKind kAllKinds[] = {RelaxationKind::logistic, RelaxationKind::logistic_phi,
                                    RelaxationKind::gaussian, RelaxationKind::reciprocal,
                                    RelaxationKind::cauchy,   RelaxationKind::optimal};

}  // namespace

TEST(Relaxation, IsASymmetricSigmoid) {
  for (RelaxationKind kind : kAllKinds) {
    const Relaxation relaxation{kind, 3.0, 0.25};
    EXPECT_NEAR(swap_weight(relaxation, 0.0).alpha, 0.5, 1e-12) << relaxation_kind_name(kind);
    for (double gap : {-1.5, -0.3, -0.01, 0.02, 0.7, 1.2}) {
      const double forward = swap_weight(relaxation, gap).alpha;
      EXPECT_NEAR(forward + swap_weight(relaxation, -gap).alpha, 1.0, 1e-12) << relaxation_kind_name(kind);
      EXPECT_GT(forward, 0.0);
      EXPECT_LT(forward, 1.0);
      EXPECT_EQ(forward > 0.5, gap > 0);
    }
  }
}

TEST(Relaxation, DerivativeMatchesFiniteDifferences) {
  const double step = 1e-6;
  for (RelaxationKind kind : kAllKinds) {
    const Relaxation relaxation{kind, 2.5, 0.4};
    for (double gap : {-3.0, -0.5, -0.07, 0.03, 0.09, 0.6, 2.0}) {
      const double numeric =
          (swap_weight(relaxation, gap + step).alpha - swap_weight(relaxation, gap - step).alpha) /
          (2 * step);
      const double analytic = swap_weight(relaxation, gap).dalpha_dgap;
      EXPECT_NEAR(analytic, numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
          << relaxation_kind_name(kind) << " gap " << gap;
    }
  }
}

TEST(Relaxation, OptimalIsLinearNearZero) {
  const Relaxation relaxation{RelaxationKind::optimal, 10.0, 0.25};
  EXPECT_NEAR(swap_weight(relaxation, 0.02).alpha, 0.7, 1e-12);
  EXPECT_NEAR(swap_weight(relaxation, 0.1).alpha, 1 - 1 / 16.0, 1e-12);
}

TEST(Relaxation, NamesRoundTripAndBadSettingsThrow) {
  for (RelaxationKind kind : kAllKinds) EXPECT_EQ(parse_relaxation_kind(relaxation_kind_name(kind)), kind);
  EXPECT_THROW(parse_relaxation_kind("sigmoid"), penumbra::Error);
  EXPECT_THROW((Relaxation{RelaxationKind::cauchy, 0.0, 0.25}.validate()), penumbra::Error);
  EXPECT_THROW((Relaxation{RelaxationKind::cauchy, -1.0, 0.25}.validate()), penumbra::Error);
  EXPECT_THROW((Relaxation{RelaxationKind::cauchy, NAN, 0.25}.validate()), penumbra::Error);
  EXPECT_THROW((Relaxation{RelaxationKind::logistic_phi, 1.0, 1.5}.validate()), penumbra::Error);
  EXPECT_TRUE(is_monotonic(RelaxationKind::cauchy));
  EXPECT_FALSE(is_monotonic(RelaxationKind::logistic));
}

}  // namespace penumbra::test
