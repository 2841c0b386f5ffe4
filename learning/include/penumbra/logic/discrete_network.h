#pragma once
// The network after discretisation: one Boolean gate per neuron, the arg-max of its logits.
#include <array>
#include <cstdint>
#include <vector>

#include "penumbra/logic/gates.h"
#include "penumbra/logic/logic_network.h"

namespace penumbra::logic {

/// One layer of hard gates: neuron j computes gate gates[j] of inputs a[j] and b[j].
struct DiscreteLayer {
  int inputs = 0;
  std::vector<std::uint32_t> a;
  std::vector<std::uint32_t> b;
  std::vector<std::uint8_t> gates;  ///< gate ids, see Gate
};

/// Hard-gate network; the last layer's neurons split into `classes` equal contiguous groups.
struct DiscreteNetwork {
  int inputs = 0;
  int classes = 0;
  std::vector<DiscreteLayer> layers;

  int output_width() const { return layers.empty() ? 0 : int(layers.back().gates.size()); }
  long long gate_count() const;
};

/// Takes each neuron's arg-max gate.
DiscreteNetwork discretize(const LogicNetwork& network);

/// Gate usage per layer: histograms[l][id] = how many neurons of layer l compute gate id.
std::vector<std::array<long long, kGateCount>> gate_histograms(const DiscreteNetwork& network);

}  // namespace penumbra::logic
