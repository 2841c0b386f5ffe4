#include "sort/sorting_network.h"

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

// Batcher's bitonic sorter on 2^K wires in the form whose comparators all put the minimum on the lower
// wire: the first step of every merge compares mirrored wires, the later steps halve the distance.
// Padding values would be +inf on the top wires, so a comparator that touches a padded wire never moves
// anything and dropping it (and the padded wires) leaves an exact sorter of n wires.
std::vector<ComparatorLayer> bitonic_layers(int n) {
  int padded = 1;
  while (padded < n) padded *= 2;
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
  if (name == "odd_even") return NetworkKind::odd_even;
  if (name == "bitonic") return NetworkKind::bitonic;
  throw Error("unknown sorting network '" + std::string(name) + "'", "network", "use odd_even or bitonic");
}

std::string_view network_kind_name(NetworkKind kind) {
  return kind == NetworkKind::odd_even ? "odd_even" : "bitonic";
}

SortingNetwork SortingNetwork::create(NetworkKind kind, int n) {
  if (n < 2) {
    throw Error("a sorting network needs at least 2 wires, got " + std::to_string(n), "n",
                "pass two or more values");
  }
  return SortingNetwork(kind, n, kind == NetworkKind::odd_even ? odd_even_layers(n) : bitonic_layers(n));
}

SortingNetwork::SortingNetwork(NetworkKind kind, int wire_count, std::vector<ComparatorLayer> layers)
    : kind_(kind), wire_count_(wire_count), layers_(std::move(layers)), comparator_count_(0) {
  for (const ComparatorLayer& layer : layers_) comparator_count_ += static_cast<int>(layer.size());
}

}  // namespace penumbra::sort
