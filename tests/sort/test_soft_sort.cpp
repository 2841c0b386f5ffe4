// Oracles: P is doubly stochastic and `sorted = x P`; for a large steepness P equals the permutation that
// std::sort gives (n = 2..64, every network at every size where it is a sorting network); reciprocal, cauchy
// and optimal give a Jacobian without negative entries (monotonic sort) while logistic and gaussian do not;
// every relaxation's backward matches central finite differences in double, through the values and through
// P, with and without P checkpointing; float agrees with double; bitonic at n = 5 equals a dense
// layer-by-layer product written here and diffsort's own output; the two bitonic layouts agree for powers of
// two.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "penumbra/error.h"
#include "penumbra/sort/soft_sort.h"

namespace penumbra::test {

using namespace sort;

namespace {

const RelaxationKind kAllKinds[] = {RelaxationKind::logistic, RelaxationKind::logistic_phi,
                                    RelaxationKind::gaussian, RelaxationKind::reciprocal,
                                    RelaxationKind::cauchy,   RelaxationKind::optimal};
const NetworkKind kNetworks[] = {NetworkKind::odd_even, NetworkKind::bitonic, NetworkKind::bitonic_mirror};

// The sizes up to 64 where diffsort's bitonic network does not sort (test_sorting_network shows each).
bool bitonic_leaves_unsorted(NetworkKind kind, int n) {
  const int unsorted[] = {22, 38, 42, 43, 44, 45, 46, 54};
  return kind == NetworkKind::bitonic &&
         std::find(std::begin(unsorted), std::end(unsorted), n) != std::end(unsorted);
}

using Matrix = std::vector<std::vector<double>>;

Matrix identity(int n) {
  Matrix matrix(n, std::vector<double>(n, 0.0));
  for (int i = 0; i < n; ++i) matrix[i][i] = 1.0;
  return matrix;
}

// A plain dense relaxed network with the cauchy sigmoid: each layer is an n x n matrix M, the identity but
// for a 2x2 mixing block per comparator {min wire, max wire}, and both the values (a row vector) and P
// (starting as the identity) are multiplied by M on the right.
std::pair<std::vector<double>, Matrix> dense_cauchy_sort(
    const std::vector<std::vector<std::pair<int, int>>>& layers, std::vector<double> values,
    double steepness) {
  const int n = static_cast<int>(values.size());
  Matrix permutation = identity(n);
  for (const auto& layer : layers) {
    Matrix mixing = identity(n);
    for (const auto& [low, high] : layer) {
      const double alpha = std::atan(steepness * (values[high] - values[low])) / std::numbers::pi + 0.5;
      mixing[low][low] = alpha;
      mixing[high][low] = 1 - alpha;
      mixing[low][high] = 1 - alpha;
      mixing[high][high] = alpha;
    }
    std::vector<double> mixed(n, 0.0);
    Matrix product(n, std::vector<double>(n, 0.0));
    for (int j = 0; j < n; ++j) {
      for (int k = 0; k < n; ++k) {
        mixed[j] += values[k] * mixing[k][j];
        for (int i = 0; i < n; ++i) product[i][j] += permutation[i][k] * mixing[k][j];
      }
    }
    values = mixed;
    permutation = product;
  }
  return {values, permutation};
}

std::vector<double> random_values(std::mt19937& rng, int count, double spread = 1.0) {
  std::normal_distribution<double> normal(0.0, spread);
  std::vector<double> values(count);
  for (double& value : values) value = normal(rng);
  return values;
}

// The scalar loss whose gradient the tests check: L = <w_sorted, sorted> + <w_P, P>.
double weighted_loss(SoftSorter<double>& sorter, const std::vector<double>& values, int batch,
                     const std::vector<double>& weight_sorted,
                     const std::vector<double>& weight_permutation) {
  SoftSortResult<double> result;
  sorter.forward(values, batch, true, result);
  return std::inner_product(result.sorted.begin(), result.sorted.end(), weight_sorted.begin(), 0.0) +
         std::inner_product(result.permutation.begin(), result.permutation.end(), weight_permutation.begin(),
                            0.0);
}

// Checks backward against central differences on `probes` inputs of a batch of 2.
void expect_gradient_matches_finite_differences(NetworkKind network_kind, RelaxationKind kind, int n,
                                                int probes, unsigned seed) {
  std::mt19937 rng(seed);
  const int batch = 2;
  SoftSorter<double> sorter(SortingNetwork::create(network_kind, n), Relaxation{kind, 2.0, 0.25}, 2);
  const std::vector<double> values = random_values(rng, batch * n);
  const std::vector<double> weight_sorted = random_values(rng, batch * n);
  const std::vector<double> weight_permutation = random_values(rng, batch * n * n);

  SoftSortResult<double> result;
  sorter.forward(values, batch, true, result);
  std::vector<double> dL_dvalues(batch * n);
  sorter.backward(result, weight_sorted, weight_permutation, dL_dvalues);

  const double step = 1e-6;
  std::uniform_int_distribution<int> pick(0, batch * n - 1);
  for (int probe = 0; probe < probes; ++probe) {
    const int index = probes >= batch * n ? probe : pick(rng);
    std::vector<double> shifted = values;
    shifted[index] = values[index] + step;
    const double up = weighted_loss(sorter, shifted, batch, weight_sorted, weight_permutation);
    shifted[index] = values[index] - step;
    const double down = weighted_loss(sorter, shifted, batch, weight_sorted, weight_permutation);
    const double numeric = (up - down) / (2 * step);
    EXPECT_NEAR(dL_dvalues[index], numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
        << relaxation_kind_name(kind) << " " << network_kind_name(network_kind) << " n=" << n << " input "
        << index;
  }
}

}  // namespace

TEST(SoftSort, PermutationIsDoublyStochasticAndReproducesSortedValues) {
  std::mt19937 rng(1);
  for (NetworkKind network_kind : kNetworks) {
    for (RelaxationKind kind : kAllKinds) {
      for (int n : {2, 3, 5, 8, 13}) {
        const std::vector<double> values = random_values(rng, n);
        const SoftSortResult<double> result =
            soft_sort(SortingNetwork::create(network_kind, n), Relaxation{kind, 3.0, 0.25}, values);
        for (int i = 0; i < n; ++i) {
          double row = 0;
          double column = 0;
          double mixed = 0;
          for (int j = 0; j < n; ++j) {
            EXPECT_GE(result.permutation[i * n + j], 0.0);
            row += result.permutation[i * n + j];
            column += result.permutation[j * n + i];
            mixed += values[j] * result.permutation[j * n + i];
          }
          EXPECT_NEAR(row, 1.0, 1e-12);
          EXPECT_NEAR(column, 1.0, 1e-12);
          EXPECT_NEAR(mixed, result.sorted[i], 1e-12);
        }
      }
    }
  }
}

TEST(SoftSort, LargeSteepnessGivesStdSortPermutation) {
  std::mt19937 rng(2);
  for (NetworkKind network_kind : kNetworks) {
    for (RelaxationKind kind : kAllKinds) {
      for (int n = 2; n <= 64; ++n) {
        const std::vector<double> values = random_values(rng, n);
        if (bitonic_leaves_unsorted(network_kind, n)) continue;
        std::vector<int> order(n);
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return values[a] < values[b]; });
        double smallest_gap = INFINITY;
        for (int rank = 0; rank + 1 < n; ++rank) {
          smallest_gap = std::min(smallest_gap, values[order[rank + 1]] - values[order[rank]]);
        }
        const Relaxation relaxation{kind, 1e9 / smallest_gap, 0.25};
        const SoftSortResult<double> result =
            soft_sort(SortingNetwork::create(network_kind, n), relaxation, values);
        for (int rank = 0; rank < n; ++rank) {
          for (int input = 0; input < n; ++input) {
            const double expected = input == order[rank] ? 1.0 : 0.0;
            ASSERT_NEAR(result.permutation[input * n + rank], expected, 1e-4)
                << relaxation_kind_name(kind) << " " << network_kind_name(network_kind) << " n=" << n;
          }
          EXPECT_NEAR(result.sorted[rank], values[order[rank]], 1e-4);
        }
      }
    }
  }
}

TEST(SoftSort, MonotonicRelaxationsHaveNonNegativeJacobian) {
  std::mt19937 rng(3);
  for (NetworkKind network_kind : kNetworks) {
    for (RelaxationKind kind :
         {RelaxationKind::reciprocal, RelaxationKind::cauchy, RelaxationKind::optimal}) {
      for (double steepness : {0.5, 5.0, 50.0}) {
        const int n = 9;
        SoftSorter<double> sorter(SortingNetwork::create(network_kind, n), Relaxation{kind, steepness, 0.25},
                                  1);
        for (int trial = 0; trial < 20; ++trial) {
          const std::vector<double> values = random_values(rng, n, 3.0);
          SoftSortResult<double> result;
          sorter.forward(values, 1, false, result);
          for (int rank = 0; rank < n; ++rank) {
            std::vector<double> one_hot(n, 0.0);
            one_hot[rank] = 1.0;
            std::vector<double> jacobian_row(n);
            sorter.backward(result, one_hot, {}, jacobian_row);
            for (double entry : jacobian_row) ASSERT_GE(entry, -1e-12) << relaxation_kind_name(kind);
          }
        }
      }
    }
  }
}

TEST(SoftSort, LogisticAndGaussianAreNotMonotonic) {
  // For a swap with gap -2 / steepness, d min / d a = f(x) + x f'(x) < 0 at x = -2 for these two sigmoids.
  for (RelaxationKind kind : {RelaxationKind::logistic, RelaxationKind::gaussian}) {
    SoftSorter<double> sorter(SortingNetwork::create(NetworkKind::odd_even, 2), Relaxation{kind, 1.0, 0.25},
                              1);
    SoftSortResult<double> result;
    const std::vector<double> values = {2.0, 0.0};
    sorter.forward(values, 1, false, result);
    std::vector<double> dmin_dvalues(2);
    sorter.backward(result, std::vector<double>{1.0, 0.0}, {}, dmin_dvalues);
    EXPECT_LT(dmin_dvalues[0], 0.0) << relaxation_kind_name(kind);
  }
}

TEST(SoftSort, BackwardMatchesFiniteDifferencesForEveryRelaxation) {
  unsigned seed = 10;
  for (NetworkKind network_kind : kNetworks) {
    for (RelaxationKind kind : kAllKinds) {
      for (int n : {2, 3, 6, 11})
        expect_gradient_matches_finite_differences(network_kind, kind, n, 2 * n, ++seed);
    }
  }
}

TEST(SoftSort, BackwardThroughCheckpointedPermutationMatchesFiniteDifferences) {
  // n = 128 odd-even stores P at sqrt-spaced layers only (128 layers of 128 x 128 exceed the store-all limit).
  expect_gradient_matches_finite_differences(NetworkKind::odd_even, RelaxationKind::cauchy, 128, 6, 99);
  expect_gradient_matches_finite_differences(NetworkKind::bitonic, RelaxationKind::logistic, 256, 6, 98);
}

TEST(SoftSort, FloatAgreesWithDouble) {
  std::mt19937 rng(4);
  const int n = 33;
  const int batch = 3;
  const SortingNetwork network = SortingNetwork::create(NetworkKind::bitonic, n);
  const Relaxation relaxation{RelaxationKind::cauchy, 4.0, 0.25};
  const std::vector<double> values = random_values(rng, batch * n);
  const std::vector<double> weight_permutation = random_values(rng, batch * n * n);
  SoftSorter<double> sorter_double(network, relaxation);
  SoftSorter<float> sorter_float(network, relaxation);
  SoftSortResult<double> result_double;
  SoftSortResult<float> result_float;
  sorter_double.forward(values, batch, true, result_double);
  sorter_float.forward(std::vector<float>(values.begin(), values.end()), batch, true, result_float);
  std::vector<double> grad_double(batch * n);
  std::vector<float> grad_float(batch * n);
  sorter_double.backward(result_double, {}, weight_permutation, grad_double);
  sorter_float.backward(result_float, {},
                        std::vector<float>(weight_permutation.begin(), weight_permutation.end()), grad_float);
  for (std::size_t i = 0; i < result_double.permutation.size(); ++i) {
    ASSERT_NEAR(result_float.permutation[i], result_double.permutation[i], 1e-5);
  }
  for (int i = 0; i < batch * n; ++i)
    EXPECT_NEAR(grad_float[i], grad_double[i], 1e-3 * std::max(1.0, std::abs(grad_double[i])));
}

TEST(SoftSort, BitonicOnFiveValuesEqualsADenseProductAndDiffsortsOutput) {
  // diffsort's bitonic network for n = 5 (see test_sorting_network for how it is worked out).
  const std::vector<std::vector<std::pair<int, int>>> layers = {
      {{1, 2}, {4, 3}}, {{3, 1}, {4, 2}}, {{2, 1}, {4, 3}}, {{0, 4}}, {{1, 3}, {2, 4}}, {{1, 2}, {3, 4}}};
  const std::vector<double> values = {0.3, -0.1, 0.25, 1.0, 0.8};
  const double steepness = 10.0;
  const auto [dense_sorted, dense_permutation] = dense_cauchy_sort(layers, values, steepness);
  // diffsort 0.2's bitonic_network(5) and execute_sort re-run in float64 NumPy (cauchy, steepness 10).
  const std::vector<double> diffsort_sorted = {0.02414322750302005, 0.268962187286685, 0.28328513456170923,
                                               0.8176241272183009, 0.855985323430285};
  const Matrix diffsort_permutation = {
      {0.10034833637704349, 0.30083305990375087, 0.5478953618383335, 0.0369104623249948, 0.01401277955587737},
      {0.7183533983451403, 0.13184441750615208, 0.10671143090507174, 0.01777735485216877,
       0.02531339839146711},
      {0.15180816097832658, 0.4881633713994358, 0.2762187688753198, 0.03977089117777932, 0.04403880756913861},
      {0.02164971370123852, 0.03264273631893411, 0.02596713088433168, 0.3697648394776443, 0.5499755796178515},
      {0.00784039059825109, 0.04651641487172728, 0.04320730749694331, 0.5357764521674129,
       0.36665943486566555}};

  const SoftSortResult<double> result =
      soft_sort(SortingNetwork::create(NetworkKind::bitonic, 5),
                Relaxation{RelaxationKind::cauchy, steepness, 0.25}, values);
  for (int j = 0; j < 5; ++j) {
    EXPECT_NEAR(result.sorted[j], dense_sorted[j], 1e-12) << "rank " << j;
    EXPECT_NEAR(result.sorted[j], diffsort_sorted[j], 1e-12) << "rank " << j;
    for (int i = 0; i < 5; ++i) {
      EXPECT_NEAR(result.permutation[i * 5 + j], dense_permutation[i][j], 1e-12)
          << "P[" << i << "][" << j << "]";
      EXPECT_NEAR(result.permutation[i * 5 + j], diffsort_permutation[i][j], 1e-12)
          << "P[" << i << "][" << j << "]";
    }
  }
}

TEST(SoftSort, BitonicLayoutsAgreeForPowersOfTwo) {
  // The layouts differ only by relabelling the wires of descending runs, invisible to a symmetric sigmoid.
  std::mt19937 rng(5);
  for (RelaxationKind kind : kAllKinds) {
    for (int n : {2, 4, 8, 16, 32}) {
      const std::vector<double> values = random_values(rng, n);
      const Relaxation relaxation{kind, 3.0, 0.25};
      const SoftSortResult<double> diffsort =
          soft_sort(SortingNetwork::create(NetworkKind::bitonic, n), relaxation, values);
      const SoftSortResult<double> mirror =
          soft_sort(SortingNetwork::create(NetworkKind::bitonic_mirror, n), relaxation, values);
      for (int j = 0; j < n; ++j) ASSERT_NEAR(diffsort.sorted[j], mirror.sorted[j], 1e-12);
      for (int entry = 0; entry < n * n; ++entry) {
        ASSERT_NEAR(diffsort.permutation[entry], mirror.permutation[entry], 1e-12)
            << relaxation_kind_name(kind) << " n=" << n;
      }
    }
  }
}

TEST(SoftSort, RejectsBadInput) {
  SoftSorter<double> sorter(SortingNetwork::create(NetworkKind::odd_even, 3), Relaxation{}, 1);
  SoftSortResult<double> result;
  EXPECT_THROW(sorter.forward(std::vector<double>{1.0, NAN, 2.0}, 1, true, result), penumbra::Error);
  EXPECT_THROW(sorter.forward(std::vector<double>{1.0, INFINITY, 2.0}, 1, true, result), penumbra::Error);
  EXPECT_THROW(sorter.forward(std::vector<double>{1.0, 2.0}, 1, true, result), penumbra::Error);
  sorter.forward(std::vector<double>{1.0, 3.0, 2.0}, 1, false, result);
  std::vector<double> gradient(3);
  EXPECT_THROW(sorter.backward(result, {}, std::vector<double>(9, 1.0), gradient), penumbra::Error);
  EXPECT_THROW(SoftSorter<double>(SortingNetwork::create(NetworkKind::odd_even, 3),
                                  Relaxation{RelaxationKind::cauchy, 0.0, 0.25}),
               penumbra::Error);
}

}  // namespace penumbra::test
