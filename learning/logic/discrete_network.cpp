#include "penumbra/logic/discrete_network.h"

namespace penumbra::logic {

long long DiscreteNetwork::gate_count() const {
  long long count = 0;
  for (const auto& layer : layers) count += static_cast<long long>(layer.gates.size());
  return count;
}

DiscreteNetwork discretize(const LogicNetwork& network) {
  DiscreteNetwork out;
  out.inputs = network.spec().inputs;
  out.classes = network.spec().classes;
  for (const auto& layer : network.layers()) {
    DiscreteLayer hard;
    hard.inputs = layer.inputs();
    hard.a = layer.wiring().a;
    hard.b = layer.wiring().b;
    hard.gates.resize(std::size_t(layer.outputs()));
    for (int j = 0; j < layer.outputs(); ++j) hard.gates[std::size_t(j)] = std::uint8_t(layer.argmax_gate(j));
    out.layers.push_back(std::move(hard));
  }
  return out;
}

std::vector<std::array<long long, kGateCount>> gate_histograms(const DiscreteNetwork& network) {
  std::vector<std::array<long long, kGateCount>> histograms(network.layers.size());
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    histograms[l].fill(0);
    for (std::uint8_t gate : network.layers[l].gates) ++histograms[l][gate];
  }
  return histograms;
}

}  // namespace penumbra::logic
