#include "penumbra/sort/sorting_network.h"

#include <algorithm>
#include <string>
#include <utility>

#include "penumbra/error.h"

namespace penumbra::sort {
namespace {

// Odd-even transposition sort: n layers alternating between the pairs (0,1),(2,3)... and (1,2),(3,4)...
std::vector<ComparatorLayer> odd_even_layers(int n) {
  std::vector<ComparatorLayer> layers(n);
  for (int layer = 0; layer < n; ++layer) {
    for (int wire = layer % 2; wire + 1 < n; wire += 2) layers[layer].push_back({wire, wire + 1});
  }
  return layers;
}

// Rounds n up to a power of two: the width of the bitonic sorter that both bitonic layouts start from.
int padded_width(int n) {
  int width = 1;
  while (width < n) width *= 2;
  return width;
}

// diffsort's bitonic network: Batcher's sorter on 2^K >= n wires in its textbook form, where block b sorts
// runs of 2^(b+1) wires, ascending and descending in turn, by comparing wires 2^(b-l) apart in its step l.
// The lowest 2^K - n wires are then removed with every comparator that touches one (diffsort keeps one with
// a single removed end as an identity on the other wire, which moves nothing and adds nothing to P), and
// wire w of the padded sorter becomes wire w - (2^K - n). Removal is exact for an ascending comparator (a
// removed wire would hold -inf, which stays put) but not for a descending one, so some n are not sorted.
std::vector<ComparatorLayer> bitonic_layers(int n) {
  const int padded = padded_width(n);
  const int removed = padded - n;
  std::vector<ComparatorLayer> layers;
  for (int run = 2; run <= padded; run *= 2) {
    for (int distance = run / 2; distance >= 1; distance /= 2) {
      ComparatorLayer layer;
      for (int start = 0; start < padded; start += 2 * distance) {
        for (int low = std::max(start, removed); low < start + distance; ++low) {
          const int a = low - removed;
          const int b = low + distance - removed;
          const bool descending = (low / run) % 2 == 1;
          layer.push_back(descending ? Comparator{b, a} : Comparator{a, b});
        }
      }
      layers.push_back(std::move(layer));
    }
  }
  return layers;
}

// Batcher's bitonic sorter on 2^K wires in the form whose comparators all put the minimum on the lower
// wire: the first step of every merge compares mirrored wires, the later steps halve the distance.
// Padding values would be +inf on the top wires, so a comparator that touches a padded wire never moves
// anything and dropping it (and the padded wires) leaves an exact sorter of n wires, for every n.
std::vector<ComparatorLayer> bitonic_mirror_layers(int n) {
  const int padded = padded_width(n);
  std::vector<ComparatorLayer> layers;
  for (int block = 2; block <= padded; block *= 2) {
    ComparatorLayer mirror;
    for (int start = 0; start < padded; start += block) {
      for (int offset = 0; offset < block / 2; ++offset) {
        const int low = start + offset;
        const int high = start + block - 1 - offset;
        if (high < n) mirror.push_back({low, high});
      }
    }
    layers.push_back(std::move(mirror));
    for (int distance = block / 4; distance >= 1; distance /= 2) {
      ComparatorLayer halving;
      for (int start = 0; start < padded; start += 2 * distance) {
        for (int offset = 0; offset < distance; ++offset) {
          const int low = start + offset;
          const int high = low + distance;
          if (high < n) halving.push_back({low, high});
        }
      }
      layers.push_back(std::move(halving));
    }
  }
  return layers;
}

}  // namespace

NetworkKind parse_network_kind(std::string_view name) {
  for (NetworkKind kind : {NetworkKind::odd_even, NetworkKind::bitonic, NetworkKind::bitonic_mirror}) {
    if (name == network_kind_name(kind)) return kind;
  }
  throw Error("unknown sorting network '" + std::string(name) + "'", "network",
              "use odd_even, bitonic or bitonic_mirror");
}

std::string_view network_kind_name(NetworkKind kind) {
  switch (kind) {
    case NetworkKind::odd_even:
      return "odd_even";
    case NetworkKind::bitonic:
      return "bitonic";
    case NetworkKind::bitonic_mirror:
      return "bitonic_mirror";
  }
  return "odd_even";
}

SortingNetwork SortingNetwork::create(NetworkKind kind, int n) {
  if (n < 2) {
    throw Error("a sorting network needs at least 2 wires, got " + std::to_string(n), "n",
                "pass two or more values");
  }
  switch (kind) {
    case NetworkKind::odd_even:
      return SortingNetwork(kind, n, odd_even_layers(n));
    case NetworkKind::bitonic:
      return SortingNetwork(kind, n, bitonic_layers(n));
    case NetworkKind::bitonic_mirror:
      return SortingNetwork(kind, n, bitonic_mirror_layers(n));
  }
  throw Error("unknown sorting network kind " + std::to_string(static_cast<int>(kind)), "network",
              "use odd_even, bitonic or bitonic_mirror");
}

SortingNetwork::SortingNetwork(NetworkKind kind, int wire_count, std::vector<ComparatorLayer> layers)
    : kind_(kind), wire_count_(wire_count), layers_(std::move(layers)), comparator_count_(0) {
  for (const ComparatorLayer& layer : layers_) comparator_count_ += static_cast<int>(layer.size());
}

}  // namespace penumbra::sort
