// Image losses: values on small worked cases and gradients against central finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "penumbra/learning/losses.h"
#include "penumbra/error.h"

namespace penumbra::test {

using namespace learning;

namespace {

Images random_images(std::uint32_t seed, float low, float high) {
  Images images(2, 3, 4);
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> uniform(low, high);
  for (float& v : images.rgba) v = uniform(random);
  return images;
}

// Central differences of `loss` w.r.t. every pred value against the analytic gradient; the losses return the
// unweighted value and add `weight` times its gradient.
void expect_matches_finite_differences(const std::function<double(const Images&, Images*)>& loss, Images pred,
                                       double weight) {
  Images analytic(pred.views, pred.height, pred.width);
  loss(pred, &analytic);
  const float h = 1e-3f;
  for (std::size_t i = 0; i < pred.rgba.size(); ++i) {
    const float original = pred.rgba[i];
    pred.rgba[i] = original + h;
    const double plus = loss(pred, nullptr);
    pred.rgba[i] = original - h;
    const double minus = loss(pred, nullptr);
    pred.rgba[i] = original;
    const double numeric = weight * (plus - minus) / (double(original + h) - double(original - h));
    EXPECT_NEAR(analytic.rgba[i], numeric, 2e-4 + 1e-3 * std::abs(numeric)) << "value " << i;
  }
}

TEST(Losses, IouOfIdenticalMasksIsZeroAndOfDisjointIsOne) {
  Images a(1, 1, 2), b(1, 1, 2);
  a.at(0, 0, 0, 3) = 1.0f;
  b.at(0, 0, 1, 3) = 1.0f;
  EXPECT_NEAR(silhouette_iou_loss(a, a, nullptr), 0.0, 1e-5);
  EXPECT_NEAR(silhouette_iou_loss(a, b, nullptr), 1.0, 1e-6);
}

TEST(Losses, IouGradientMatchesFiniteDifferences) {
  const Images target = random_images(1, 0.0f, 1.0f);
  expect_matches_finite_differences(
      [&](const Images& p, Images* g) { return silhouette_iou_loss(p, target, g, 1.7); },
      random_images(2, 0.0f, 1.0f), 1.7);
}

TEST(Losses, L2GradientMatchesFiniteDifferencesForEachChannelSet) {
  const Images target = random_images(3, 0.0f, 1.0f);
  for (Channels channels : {Channels::rgb, Channels::alpha, Channels::rgba}) {
    expect_matches_finite_differences(
        [&](const Images& p, Images* g) { return l2_loss(p, target, channels, g, 0.5); },
        random_images(4, 0.0f, 1.0f), 0.5);
  }
}

TEST(Losses, L1GradientMatchesFiniteDifferencesAwayFromTheKink) {
  // Targets in [0, 0.4] and predictions in [0.6, 1] keep every difference away from 0.
  const Images target = random_images(5, 0.0f, 0.4f);
  for (Channels channels : {Channels::rgb, Channels::alpha, Channels::rgba}) {
    expect_matches_finite_differences(
        [&](const Images& p, Images* g) { return l1_loss(p, target, channels, g, 2.0); },
        random_images(6, 0.6f, 1.0f), 2.0);
  }
}

TEST(Losses, MismatchedShapesThrow) {
  EXPECT_THROW(l2_loss(Images(1, 2, 2), Images(1, 2, 3), Channels::rgb, nullptr), Error);
}

}  // namespace
}  // namespace penumbra::test
