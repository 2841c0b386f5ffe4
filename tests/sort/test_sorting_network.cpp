// Oracles: the 0-1 principle (a comparator network sorts every input iff it sorts every 0/1 input), the
// layer counts of diffsort's networks, diffsort's bitonic comparators worked out by hand from its
// construction rules, and the structural rule that a layer uses each wire once.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "penumbra/error.h"
#include "penumbra/sort/sorting_network.h"

namespace penumbra::test {

using penumbra::sort::NetworkKind;
using penumbra::sort::SortingNetwork;

namespace {

const NetworkKind kAllNetworks[] = {NetworkKind::odd_even, NetworkKind::bitonic, NetworkKind::bitonic_mirror};

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
  for (NetworkKind kind : kAllNetworks) {
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
  const std::vector<std::pair<int, int>> bitonic = {{2, 1},  {3, 3},   {5, 6},   {7, 6},   {8, 6},
                                                    {9, 10}, {15, 10}, {16, 10}, {32, 15}, {1024, 55}};
  for (const auto& [n, layers] : bitonic) {
    for (NetworkKind kind : {NetworkKind::bitonic, NetworkKind::bitonic_mirror}) {
      EXPECT_EQ(SortingNetwork::create(kind, n).layers().size(), static_cast<std::size_t>(layers))
          << "n=" << n;
    }
  }
  for (int n : {2, 3, 5, 9, 32}) {
    EXPECT_EQ(SortingNetwork::create(NetworkKind::odd_even, n).layers().size(), static_cast<std::size_t>(n));
  }
}

TEST(SortingNetwork, EachLayerUsesAWireAtMostOnce) {
  for (NetworkKind kind : kAllNetworks) {
    for (int n = 2; n <= 70; ++n) {
      const SortingNetwork network = SortingNetwork::create(kind, n);
      int comparators = 0;
      for (const auto& layer : network.layers()) {
        // Only odd-even on 2 wires has an empty layer: its second, shifted layer pairs no wires.
        EXPECT_TRUE(!layer.empty() || (kind == NetworkKind::odd_even && n == 2));
        std::vector<int> uses(n, 0);
        for (const auto& swap : layer) {
          ASSERT_GE(std::min(swap.min_wire, swap.max_wire), 0);
          ASSERT_LT(std::max(swap.min_wire, swap.max_wire), n);
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

// diffsort's bitonic network, worked out by hand from its construction: pad n to 2^K wires; block b sorts
// runs of 2^(b+1) wires (ascending for even-numbered runs, descending for odd ones) in steps comparing wires
// 2^b, 2^(b-1), ..., 1 apart; every comparator touching one of the lowest 2^K - n wires is dropped and the
// other wires move down by 2^K - n. Pairs are {min_wire, max_wire}: {2, 1} is a descending comparator.
TEST(SortingNetwork, BitonicIsDiffsortsConstructionForSizesThatAreNotPowersOfTwo) {
  using Layers = std::vector<std::vector<std::pair<int, int>>>;
  const std::vector<std::pair<int, Layers>> expected = {
      {3, {{{2, 1}}, {{0, 2}}, {{1, 2}}}},
      {5,
       {{{1, 2}, {4, 3}}, {{3, 1}, {4, 2}}, {{2, 1}, {4, 3}}, {{0, 4}}, {{1, 3}, {2, 4}}, {{1, 2}, {3, 4}}}},
      {6,
       {{{1, 0}, {2, 3}, {5, 4}},
        {{4, 2}, {5, 3}},
        {{0, 1}, {3, 2}, {5, 4}},
        {{0, 4}, {1, 5}},
        {{2, 4}, {3, 5}},
        {{0, 1}, {2, 3}, {4, 5}}}},
      {7,
       {{{2, 1}, {3, 4}, {6, 5}},
        {{0, 2}, {5, 3}, {6, 4}},
        {{1, 2}, {4, 3}, {6, 5}},
        {{0, 4}, {1, 5}, {2, 6}},
        {{0, 2}, {3, 5}, {4, 6}},
        {{1, 2}, {3, 4}, {5, 6}}}},
      {12,
       {{{0, 1}, {3, 2}, {4, 5}, {7, 6}, {8, 9}, {11, 10}},
        {{2, 0}, {3, 1}, {4, 6}, {5, 7}, {10, 8}, {11, 9}},
        {{1, 0}, {3, 2}, {4, 5}, {6, 7}, {9, 8}, {11, 10}},
        {{8, 4}, {9, 5}, {10, 6}, {11, 7}},
        {{0, 2}, {1, 3}, {6, 4}, {7, 5}, {10, 8}, {11, 9}},
        {{0, 1}, {2, 3}, {5, 4}, {7, 6}, {9, 8}, {11, 10}},
        {{0, 8}, {1, 9}, {2, 10}, {3, 11}},
        {{4, 8}, {5, 9}, {6, 10}, {7, 11}},
        {{0, 2}, {1, 3}, {4, 6}, {5, 7}, {8, 10}, {9, 11}},
        {{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}, {10, 11}}}},
  };
  for (const auto& [n, layers] : expected) {
    const SortingNetwork network = SortingNetwork::create(NetworkKind::bitonic, n);
    ASSERT_EQ(network.layers().size(), layers.size()) << "n=" << n;
    for (std::size_t layer = 0; layer < layers.size(); ++layer) {
      Layers::value_type actual;
      for (const auto& swap : network.layers()[layer]) actual.emplace_back(swap.min_wire, swap.max_wire);
      EXPECT_EQ(actual, layers[layer]) << "n=" << n << " layer " << layer;
    }
  }
}

// Removing the padded wires is not exact where a descending comparator touches one, and for these sizes
// (all of them up to 64) some 0-1 input stays unsorted; bitonic_mirror sorts the same input.
TEST(SortingNetwork, DiffsortsBitonicLeavesSomeSizesUnsortedUnlikeTheMirrorLayout) {
  std::mt19937 rng(7);
  for (int n : {22, 38, 42, 43, 44, 45, 46, 54}) {
    const SortingNetwork diffsort = SortingNetwork::create(NetworkKind::bitonic, n);
    const SortingNetwork mirror = SortingNetwork::create(NetworkKind::bitonic_mirror, n);
    bool found = false;
    for (int trial = 0; trial < 200000 && !found; ++trial) {
      std::vector<int> values(n);
      for (int& value : values) value = static_cast<int>(rng() & 1u);
      const std::vector<int> sorted = hard_sort(diffsort, values);
      if (std::is_sorted(sorted.begin(), sorted.end())) continue;
      found = true;
      const std::vector<int> mirrored = hard_sort(mirror, values);
      EXPECT_TRUE(std::is_sorted(mirrored.begin(), mirrored.end())) << "n=" << n;
    }
    EXPECT_TRUE(found) << "no unsorted 0-1 input found for n=" << n;
  }
}

TEST(SortingNetwork, RejectsFewerThanTwoWiresAndUnknownNames) {
  EXPECT_THROW(SortingNetwork::create(NetworkKind::odd_even, 1), penumbra::Error);
  EXPECT_THROW(SortingNetwork::create(NetworkKind::bitonic, 0), penumbra::Error);
  EXPECT_THROW(penumbra::sort::parse_network_kind("bubble"), penumbra::Error);
  EXPECT_EQ(penumbra::sort::parse_network_kind("bitonic"), NetworkKind::bitonic);
  EXPECT_EQ(penumbra::sort::parse_network_kind("bitonic_mirror"), NetworkKind::bitonic_mirror);
}

}  // namespace penumbra::test
