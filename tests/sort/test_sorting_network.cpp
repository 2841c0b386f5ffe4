// Oracles: the 0-1 principle (a comparator network sorts every input iff it sorts every 0/1 input), the
// layer counts of diffsort's networks (spec A4), and the structural rule that a layer uses each wire once.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "penumbra/error.h"
#include "sort/sorting_network.h"

using penumbra::sort::NetworkKind;
using penumbra::sort::SortingNetwork;

namespace {

std::vector<int> hard_sort(const SortingNetwork& network, std::vector<int> values) {
  for (const auto& layer : network.layers()) {
    for (const auto& swap : layer) {
      const int low = std::min(values[swap.min_wire], values[swap.max_wire]);
      const int high = std::max(values[swap.min_wire], values[swap.max_wire]);
      values[swap.min_wire] = low;
      values[swap.max_wire] = high;
    }
  }
  return values;
}

}  // namespace

TEST(SortingNetwork, SortsEveryZeroOneInput) {
  for (NetworkKind kind : {NetworkKind::odd_even, NetworkKind::bitonic}) {
    for (int n = 2; n <= 13; ++n) {
      const SortingNetwork network = SortingNetwork::create(kind, n);
      for (unsigned bits = 0; bits < (1u << n); ++bits) {
        std::vector<int> values(n);
        for (int wire = 0; wire < n; ++wire) values[wire] = (bits >> wire) & 1u;
        const std::vector<int> sorted = hard_sort(network, values);
        ASSERT_TRUE(std::is_sorted(sorted.begin(), sorted.end())) << "n=" << n << " input bits " << bits;
      }
    }
  }
}

TEST(SortingNetwork, LayerCountsMatchDiffsort) {
  const std::vector<std::pair<int, int>> bitonic = {{2, 1}, {3, 3}, {5, 6}, {7, 6}, {8, 6},
                                                    {9, 10}, {15, 10}, {16, 10}, {32, 15}, {1024, 55}};
  for (const auto& [n, layers] : bitonic) {
    EXPECT_EQ(SortingNetwork::create(NetworkKind::bitonic, n).layers().size(), static_cast<std::size_t>(layers))
        << "n=" << n;
  }
  for (int n : {2, 3, 5, 9, 32}) {
    EXPECT_EQ(SortingNetwork::create(NetworkKind::odd_even, n).layers().size(), static_cast<std::size_t>(n));
  }
}

TEST(SortingNetwork, EachLayerUsesAWireAtMostOnce) {
  for (NetworkKind kind : {NetworkKind::odd_even, NetworkKind::bitonic}) {
    for (int n = 2; n <= 70; ++n) {
      const SortingNetwork network = SortingNetwork::create(kind, n);
      int comparators = 0;
      for (const auto& layer : network.layers()) {
        // Only odd-even on 2 wires has an empty layer: its second, shifted layer pairs no wires.
        EXPECT_TRUE(!layer.empty() || (kind == NetworkKind::odd_even && n == 2));
        std::vector<int> uses(n, 0);
        for (const auto& swap : layer) {
          ASSERT_GE(swap.min_wire, 0);
          ASSERT_LT(swap.max_wire, n);
          ASSERT_NE(swap.min_wire, swap.max_wire);
          ++uses[swap.min_wire];
          ++uses[swap.max_wire];
          ++comparators;
        }
        EXPECT_LE(*std::max_element(uses.begin(), uses.end()), 1);
      }
      EXPECT_EQ(network.comparator_count(), comparators);
    }
  }
}

TEST(SortingNetwork, RejectsFewerThanTwoWiresAndUnknownNames) {
  EXPECT_THROW(SortingNetwork::create(NetworkKind::odd_even, 1), penumbra::Error);
  EXPECT_THROW(SortingNetwork::create(NetworkKind::bitonic, 0), penumbra::Error);
  EXPECT_THROW(penumbra::sort::parse_network_kind("bubble"), penumbra::Error);
  EXPECT_EQ(penumbra::sort::parse_network_kind("bitonic"), NetworkKind::bitonic);
}
