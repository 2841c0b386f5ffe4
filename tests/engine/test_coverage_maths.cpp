// Oracles for the shared per-pixel maths (engine/kernels): each density is the derivative of its CDF (central
// differences in double), CDFs are monotone in [0, 1] and mirrored forms satisfy F_rev(s) = 1 - F(-s);
// each Archimedean T-conorm folded through its generator equals the pairwise closed form of the literature,
// and dA/dD_j = g'(D_j)/g'(A) matches finite differences of the fold; C++ float's log1p against double's.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

#include "raster_params.h"
#include "kernels.h"

namespace penumbra::test {
namespace {

using namespace kernels::f64;

double coverage(Distribution d, double s, double shape = 2.0) {
  return pn_coverage(int(d), s, s > 0, shape, std::lgamma(shape));
}

TEST(Distributions, DensityIsTheDerivativeOfTheCdf) {
  for (Distribution d : all_distributions()) {
    if (d == Distribution::heaviside) continue;
    for (double s = -6.0; s <= 6.0; s += 0.173) {
      if (std::abs(std::abs(s) - 1.0) < 1e-3) continue;  // the kinks of the finite-support ones
      const double h = 1e-6;
      const double numeric = (coverage(d, s + h) - coverage(d, s - h)) / (2 * h);
      const double analytic = pn_coverage_density(int(d), s, 2.0, std::lgamma(2.0));
      EXPECT_NEAR(analytic, numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << name(d) << " at s = " << s;
    }
  }
}

TEST(Distributions, CdfsAreMonotoneWithinZeroAndOne) {
  for (Distribution d : all_distributions()) {
    double previous = 0.0;
    for (double s = -40.0; s <= 40.0; s += 0.01) {
      const double value = coverage(d, s);
      ASSERT_GE(value, 0.0) << name(d);
      ASSERT_LE(value, 1.0) << name(d);
      ASSERT_GE(value, previous - 1e-15) << name(d) << " decreases at s = " << s;
      previous = value;
    }
  }
}

TEST(Distributions, MirroredFormsAreReflections) {
  const std::pair<Distribution, Distribution> pairs[] = {
      {Distribution::exponential, Distribution::exponential_rev},
      {Distribution::gamma, Distribution::gamma_rev},
      {Distribution::levy, Distribution::levy_rev}};
  for (auto [base, mirrored] : pairs) {
    for (double s = -5.0; s <= 5.0; s += 0.37) {
      EXPECT_NEAR(coverage(mirrored, s), 1.0 - coverage(base, -s), 1e-12) << name(mirrored);
    }
  }
}

TEST(Distributions, TailsKeepTheirPrecision) {
  // Far outside, coverages are tiny but must not round to zero (nor to 1 - 1).
  EXPECT_GT(coverage(Distribution::logistic, -30.0), 0.0);
  EXPECT_NEAR(coverage(Distribution::cauchy, -1e6) * 3.14159265358979 * 1e6, 1.0, 1e-6);
  EXPECT_NEAR(coverage(Distribution::exponential_rev, -20.0), std::exp(-20.0), 1e-20);
  EXPECT_NEAR(coverage(Distribution::gaussian, -10.0), 0.5 * std::erfc(10.0 / std::sqrt(2.0)), 1e-30);
}

TEST(Culling, RadiusBoundsTheCoverageOutside) {
  for (Distribution d : all_distributions()) {
    for (bool squared : {false, true}) {
      RasterSettings s;
      s.distribution = d;
      s.squared = squared;
      s.sigma = squared ? 1e-3f : 0.02f;
      s.shift = (d == Distribution::exponential || d == Distribution::gamma || d == Distribution::levy)
                    ? 1.0f
                    : 0.0f;
      s.coverage_epsilon = 1e-4f;
      const double radius = detail::culling_radius(s);
      if (std::isinf(radius)) {
        EXPECT_TRUE(d == Distribution::cauchy || d == Distribution::reciprocal || d == Distribution::levy_rev)
            << name(d) << " should have a finite radius";
        continue;
      }
      // Every distance beyond the radius has coverage <= epsilon.
      for (double factor : {1.0, 1.01, 1.5, 3.0, 10.0}) {
        const double distance = radius * factor;
        const double value = (squared ? distance * distance : distance) / s.sigma;
        EXPECT_LE(coverage(d, -value + s.shift, 1.0), s.coverage_epsilon * (1 + 1e-9))
            << name(d) << (squared ? " squared" : " linear") << " at " << factor << " x radius";
      }
    }
  }
}

// The pairwise T-conorms as the literature writes them (dual of the t-norm on complements).
double pairwise(Aggregation a, double x, double y, double p) {
  switch (a) {
    case Aggregation::probabilistic:
      return x + y - x * y;
    case Aggregation::einstein:
      return (x + y) / (1 + x * y);
    case Aggregation::hamacher: {
      const double u = 1 - x, v = 1 - y;
      return 1 - u * v / (p + (1 - p) * (u + v - u * v));
    }
    case Aggregation::frank: {
      const double u = 1 - x, v = 1 - y;
      return 1 - std::log(1 + (std::pow(p, u) - 1) * (std::pow(p, v) - 1) / (p - 1)) / std::log(p);
    }
    case Aggregation::yager:
      return std::min(1.0, std::pow(std::pow(x, p) + std::pow(y, p), 1 / p));
    case Aggregation::aczel_alsina:
      return 1 - std::exp(-std::pow(std::pow(-std::log(1 - x), p) + std::pow(-std::log(1 - y), p), 1 / p));
    case Aggregation::dombi:
      return 1 - 1 / (1 + std::pow(std::pow(x / (1 - x), p) + std::pow(y / (1 - y), p), 1 / p));
    case Aggregation::schweizer_sklar:
      return 1 - std::pow(std::pow(1 - x, p) + std::pow(1 - y, p) - 1, 1 / p);
    default:
      return std::max(x, y);
  }
}

struct Parametrised {
  Aggregation aggregation;
  double p;
};

const Parametrised kArchimedean[] = {
    {Aggregation::probabilistic, 0},  {Aggregation::einstein, 0}, {Aggregation::hamacher, 0.5},
    {Aggregation::hamacher, 3.0},     {Aggregation::frank, 4.0},  {Aggregation::frank, 0.2},
    {Aggregation::yager, 2.0},        {Aggregation::yager, 0.6},  {Aggregation::aczel_alsina, 0.5},
    {Aggregation::aczel_alsina, 2.0}, {Aggregation::dombi, 1.5},  {Aggregation::schweizer_sklar, -2.0},
};

double fold(Aggregation a, const std::vector<double>& coverages, double p) {
  double state = 0;
  for (double d : coverages) state = pn_aggregate_step(int(a), state, d, p);
  return pn_aggregate_finish(int(a), state, p);
}

TEST(TConorms, GeneratorFoldEqualsThePairwiseClosedForm) {
  std::mt19937 random(3);
  std::uniform_real_distribution<double> unit(0.01, 0.95);
  for (const auto& [aggregation, p] : kArchimedean) {
    for (int trial = 0; trial < 50; ++trial) {
      const double x = unit(random), y = unit(random);
      EXPECT_NEAR(fold(aggregation, {x, y}, p), pairwise(aggregation, x, y, p), 1e-10)
          << name(aggregation) << " p=" << p << " x=" << x << " y=" << y;
    }
  }
}

TEST(TConorms, ZeroIsNeutralAndOneAbsorbs) {
  for (const auto& [aggregation, p] : kArchimedean) {
    EXPECT_EQ(fold(aggregation, {0.0}, p), 0.0) << name(aggregation);
    EXPECT_NEAR(fold(aggregation, {0.3, 0.0}, p), 0.3, 1e-14) << name(aggregation);
    EXPECT_EQ(fold(aggregation, {0.3, 1.0}, p), 1.0) << name(aggregation);
  }
}

TEST(TConorms, GradientFromFinalAlphaMatchesFiniteDifferences) {
  for (const auto& [aggregation, p] : kArchimedean) {
    std::vector<double> coverages{0.12, 0.31, 0.05, 0.22};
    if (aggregation == Aggregation::yager) coverages = {0.12, 0.21, 0.05, 0.1};  // stay below saturation
    const double alpha = fold(aggregation, coverages, p);
    for (std::size_t j = 0; j < coverages.size(); ++j) {
      auto shifted = coverages;
      const double h = 1e-7;
      shifted[j] += h;
      const double up = fold(aggregation, shifted, p);
      shifted[j] -= 2 * h;
      const double down = fold(aggregation, shifted, p);
      EXPECT_NEAR(pn_aggregate_gradient(int(aggregation), alpha, coverages[j], p), (up - down) / (2 * h),
                  1e-6)
          << name(aggregation) << " p=" << p << " face " << j;
    }
  }
}

TEST(TConorms, TinyCoveragesSurviveFloat32) {
  namespace f32 = kernels::f32;
  for (const auto& [aggregation, p] : kArchimedean) {
    float state = 0;
    for (int i = 0; i < 3; ++i) state = f32::pn_aggregate_step(int(aggregation), state, 1e-7f, float(p));
    const float alpha = f32::pn_aggregate_finish(int(aggregation), state, float(p));
    const double exact = fold(aggregation, {1e-7, 1e-7, 1e-7}, p);
    EXPECT_GT(exact, 0.0);
    EXPECT_NEAR(alpha, exact, exact * 1e-3) << name(aggregation) << " p=" << p;
  }
}

TEST(Dialect, Float32Log1pIsWithinTwoUlpOfTheExactValue) {
  // Every 4099th float from -1 to the largest, against log1p in double.
  double worst = 0;
  int checked = 0;
  for (std::uint32_t bits = 0; bits < 0xFFFFFFFFu - 4099; bits += 4099) {
    float x;
    std::memcpy(&x, &bits, sizeof x);
    if (!(x > -1.0f) || !std::isfinite(x) || x == 0.0f) continue;
    const double exact = std::log1p(double(x));
    worst = std::max(worst, std::abs(double(kernels::f32::log1p(x)) - exact) / std::abs(exact));
    ++checked;
  }
  EXPECT_GT(checked, 500000);
  EXPECT_LE(worst, 2 * std::numeric_limits<float>::epsilon());
  EXPECT_EQ(kernels::f32::log1p(-1.0f), -INFINITY);
  EXPECT_EQ(kernels::f32::log1p(INFINITY), INFINITY);
  EXPECT_EQ(kernels::f32::log1p(1e-30f), 1e-30f);
}

}  // namespace
}  // namespace penumbra::test
