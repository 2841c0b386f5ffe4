#pragma once
/// Ranking supervision: the true permutation of a set, BCE between relaxed and true P, and ranking accuracy.
#include <span>

namespace penumbra::sort {

/// Writes Q ([set][input][rank], the convention of soft_sort.h) with Q[i][j] = 1 iff element i of the set
/// has rank j by ascending value (ties by index), for `values` [set][n].
void true_permutation(std::span<const int> values, int sets, int n, std::span<double> permutation);

/// Mean binary cross-entropy over all entries between relaxed P and true Q (diffsort's loss), with its
/// gradient dL/dP written to `dL_dpermutation`. P is clamped to [1e-7, 1 - 1e-7] so that log stays finite.
double permutation_bce(std::span<const double> relaxed, std::span<const double> truth,
                       std::span<double> dL_dpermutation);

/// Exact match: the share of sets whose every element gets its true rank from the scores. Element-wise: the
/// share of elements that get their true rank.
struct RankingAccuracy {
  double exact_match = 0;
  double element_wise = 0;
};

/// Ranks each set of `scores` ([set][n]) and compares with the ranks of `values`.
RankingAccuracy ranking_accuracy(std::span<const float> scores, std::span<const int> values, int sets, int n);

}  // namespace penumbra::sort
