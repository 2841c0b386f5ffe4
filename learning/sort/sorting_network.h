#pragma once
/// Sorting networks as layers of comparators: odd-even transposition and bitonic, for any n >= 2.
#include <string>
#include <string_view>
#include <vector>

namespace penumbra::sort {

/// The two sorting networks of diffsort.
enum class NetworkKind { odd_even, bitonic };

/// Parses "odd_even" or "bitonic"; throws penumbra::Error naming the accepted names otherwise.
NetworkKind parse_network_kind(std::string_view name);

/// The name that parse_network_kind accepts.
std::string_view network_kind_name(NetworkKind kind);

/// One conditional swap: afterwards the smaller value sits on `min_wire`, the larger on `max_wire`.
struct Comparator {
  int min_wire = 0;  ///< wire in [0, n) that receives the minimum
  int max_wire = 0;  ///< wire in [0, n) that receives the maximum; never equal to min_wire
};

/// Comparators that act at the same time; no wire appears twice in one layer. A layer may be empty
/// (odd-even on 2 wires: its shifted second layer pairs nothing), which leaves every wire as it is.
using ComparatorLayer = std::vector<Comparator>;

/// A sorting network on `wire_count` wires: after all layers, wire j holds the value of rank j (ascending).
class SortingNetwork {
 public:
  /// Builds the network of `kind` on n wires; throws penumbra::Error when n < 2.
  static SortingNetwork create(NetworkKind kind, int n);

  NetworkKind kind() const { return kind_; }
  int wire_count() const { return wire_count_; }
  /// Layers in execution order; a viewer draws layer l as column l.
  const std::vector<ComparatorLayer>& layers() const { return layers_; }
  /// Total number of comparators over all layers.
  int comparator_count() const { return comparator_count_; }

 private:
  SortingNetwork(NetworkKind kind, int wire_count, std::vector<ComparatorLayer> layers);

  NetworkKind kind_;
  int wire_count_;
  std::vector<ComparatorLayer> layers_;
  int comparator_count_;
};

}  // namespace penumbra::sort
