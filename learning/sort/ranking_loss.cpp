#include "penumbra/sort/ranking_loss.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "penumbra/error.h"

namespace penumbra::sort {
namespace {

constexpr double kProbabilityFloor = 1e-7;

// rank_of[i] = rank of element i of the set by ascending key, ties by index.
template <typename Key>
void ranks_of(const Key* keys, int n, std::vector<int>& order, std::vector<int>& rank_of) {
  order.resize(n);
  rank_of.resize(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return keys[a] < keys[b]; });
  for (int rank = 0; rank < n; ++rank) rank_of[order[rank]] = rank;
}

}  // namespace

void true_permutation(std::span<const int> values, int sets, int n, std::span<double> permutation) {
  const std::size_t entries = static_cast<std::size_t>(sets) * n;
  if (values.size() != entries || permutation.size() != entries * n) {
    throw Error("true_permutation needs [sets][n] values and [sets][n][n] outputs", "true_permutation",
                "size the buffers from sets and n");
  }
  std::vector<int> order;
  std::vector<int> rank_of;
  std::fill(permutation.begin(), permutation.end(), 0.0);
  for (int set = 0; set < sets; ++set) {
    ranks_of(values.data() + static_cast<std::size_t>(set) * n, n, order, rank_of);
    double* matrix = permutation.data() + static_cast<std::size_t>(set) * n * n;
    for (int input = 0; input < n; ++input) matrix[input * n + rank_of[input]] = 1.0;
  }
}

double permutation_bce(std::span<const double> relaxed, std::span<const double> truth,
                       std::span<double> dL_dpermutation) {
  if (relaxed.size() != truth.size() || relaxed.size() != dL_dpermutation.size() || relaxed.empty()) {
    throw Error("BCE needs P, Q and dL/dP of one non-zero size", "permutation_bce", "pass [sets][n][n] each");
  }
  const double scale = 1.0 / static_cast<double>(relaxed.size());
  double loss = 0;
  for (std::size_t i = 0; i < relaxed.size(); ++i) {
    const double p = std::clamp(relaxed[i], kProbabilityFloor, 1 - kProbabilityFloor);
    const double q = truth[i];
    loss -= q * std::log(p) + (1 - q) * std::log1p(-p);
    // At the clamped P so that a confidently wrong entry still pulls, as in torch.nn.BCELoss.
    dL_dpermutation[i] = scale * (p - q) / (p * (1 - p));
  }
  return loss * scale;
}

RankingAccuracy ranking_accuracy(std::span<const float> scores, std::span<const int> values, int sets,
                                 int n) {
  if (sets < 1 || scores.size() != static_cast<std::size_t>(sets) * n || values.size() != scores.size()) {
    throw Error("ranking accuracy needs [sets][n] scores and values", "ranking_accuracy",
                "size both as sets * n");
  }
  std::vector<int> order;
  std::vector<int> predicted_rank;
  std::vector<int> true_rank;
  int exact = 0;
  long correct = 0;
  for (int set = 0; set < sets; ++set) {
    const std::size_t offset = static_cast<std::size_t>(set) * n;
    ranks_of(scores.data() + offset, n, order, predicted_rank);
    ranks_of(values.data() + offset, n, order, true_rank);
    int matches = 0;
    for (int i = 0; i < n; ++i) matches += predicted_rank[i] == true_rank[i];
    correct += matches;
    exact += matches == n;
  }
  return {static_cast<double>(exact) / sets, static_cast<double>(correct) / (static_cast<double>(sets) * n)};
}

}  // namespace penumbra::sort
