#pragma once
/// Sorting networks as layers of comparators: odd-even transposition and two bitonic layouts, for any n >= 2.
#include <string>
#include <string_view>
#include <vector>

namespace penumbra::sort {

/// The networks. odd_even: odd-even transposition, n layers. bitonic: diffsort's bitonic network, comparator
/// for comparator, so the same input and relaxation give diffsort's values and P; for a size that is not a
/// power of two it does not always sort (n = 22, 38, 42-46, 54, ... in the hard limit; docs/sorting.md).
/// bitonic_mirror: a bitonic layout that sorts every n; for powers of two it gives the same values and P as
/// bitonic.
enum class NetworkKind { odd_even, bitonic, bitonic_mirror };

/// Parses "odd_even", "bitonic" or "bitonic_mirror"; throws penumbra::Error naming the accepted names
/// otherwise.
NetworkKind parse_network_kind(std::string_view name);

/// The name that parse_network_kind accepts.
std::string_view network_kind_name(NetworkKind kind);

/// One conditional swap: afterwards the smaller value sits on `min_wire`, the larger on `max_wire`.
/// min_wire > max_wire is a descending comparator (diffsort's bitonic layout has them).
struct Comparator {
  int min_wire = 0;  ///< wire in [0, n) that receives the minimum
  int max_wire = 0;  ///< wire in [0, n) that receives the maximum; never equal to min_wire
};

/// Comparators that act at the same time; no wire appears twice in one layer. A layer may be empty
/// (odd-even on 2 wires: its shifted second layer pairs nothing), which leaves every wire as it is.
using ComparatorLayer = std::vector<Comparator>;

/// A comparator network on `wire_count` wires: after all layers, wire j holds the value of rank j
/// (ascending), except for diffsort's bitonic layout at the sizes where it does not sort (see NetworkKind).
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
