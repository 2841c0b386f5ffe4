// Oracles: hand-worked permutations and accuracies, and central finite differences of the BCE.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "penumbra/sort/ranking_loss.h"

namespace penumbra::test {

using namespace sort;

TEST(RankingLoss, TruePermutationPutsEachInputAtItsRank) {
  const std::vector<int> values = {30, 10, 20, 5, 5, 1};
  std::vector<double> permutation(2 * 9);
  true_permutation(values, 2, 3, permutation);
  // Set 0: 30 -> rank 2, 10 -> rank 0, 20 -> rank 1. Set 1: ties keep index order.
  const std::vector<double> expected = {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0};
  EXPECT_EQ(permutation, expected);
}

TEST(RankingLoss, AccuracyCountsExactAndElementWiseMatches) {
  const std::vector<int> values = {1, 2, 3, 1, 2, 3};
  const std::vector<float> scores = {0.1f, 0.2f, 0.3f, 0.3f, 0.2f, 0.1f};
  const RankingAccuracy accuracy = ranking_accuracy(scores, values, 2, 3);
  EXPECT_DOUBLE_EQ(accuracy.exact_match, 0.5);
  EXPECT_DOUBLE_EQ(accuracy.element_wise, 4.0 / 6.0);
}

TEST(RankingLoss, BceGradientMatchesFiniteDifferences) {
  const std::vector<double> truth = {1, 0, 0, 1};
  std::vector<double> relaxed = {0.7, 0.3, 0.2, 0.8};
  std::vector<double> gradient(4);
  std::vector<double> unused(4);
  const double loss = permutation_bce(relaxed, truth, gradient);
  EXPECT_NEAR(loss, -(std::log(0.7) + std::log(0.7) + std::log(0.8) + std::log(0.8)) / 4, 1e-12);
  const double step = 1e-7;
  for (std::size_t i = 0; i < relaxed.size(); ++i) {
    std::vector<double> shifted = relaxed;
    shifted[i] += step;
    const double up = permutation_bce(shifted, truth, unused);
    shifted[i] -= 2 * step;
    const double down = permutation_bce(shifted, truth, unused);
    EXPECT_NEAR(gradient[i], (up - down) / (2 * step), 1e-6);
  }
}

}  // namespace penumbra::test
