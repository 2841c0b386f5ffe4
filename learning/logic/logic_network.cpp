#include "penumbra/logic/logic_network.h"

#include <algorithm>
#include <string>

#include "penumbra/logic/group_sum.h"
#include "penumbra/error.h"

namespace penumbra::logic {

void validate_spec(const NetworkSpec& spec) {
  const auto fail = [](const std::string& what, const std::string& hint) {
    throw Error(what, "logic network spec", hint);
  };
  if (spec.inputs < 1) fail("the network needs at least one input", "check the dataset");
  if (spec.layers < 1) fail("the network needs at least one layer", "pass --layers 1 or more");
  if (spec.classes < 2) fail("the network needs at least two classes", "check the dataset labels");
  if (spec.width < spec.classes || spec.width % spec.classes != 0) {
    fail("layer width " + std::to_string(spec.width) + " is not a multiple of the " +
             std::to_string(spec.classes) + " classes",
         "GroupSum splits the last layer into equal groups; pick a multiple of the class count");
  }
  if (!(spec.tau > 0.0f)) fail("GroupSum temperature tau must be positive", "pass --tau > 0");
}

LogicNetwork::LogicNetwork(const NetworkSpec& spec) : spec_(spec) {
  validate_spec(spec);
  layers_.reserve(std::size_t(spec.layers));
  for (int l = 0; l < spec.layers; ++l) {
    const int inputs = l == 0 ? spec.inputs : spec.width;
    const std::uint64_t layer_seed = spec.seed * 0x100000001b3ull + std::uint64_t(l) * 0x9e3779b97f4a7c15ull;
    layers_.emplace_back(inputs, spec.width, spec.wiring, spec.init, layer_seed, spec.residual_logit);
  }
}

LogicNetwork::LogicNetwork(const NetworkSpec& spec, std::vector<LogicLayer> layers)
    : spec_(spec), layers_(std::move(layers)) {
  validate_spec(spec);
  if (int(layers_.size()) != spec.layers) {
    throw Error("layer count differs from the spec", "logic network", "store one layer per spec.layers");
  }
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const int inputs = l == 0 ? spec.inputs : spec.width;
    if (layers_[l].inputs() != inputs || layers_[l].outputs() != spec.width) {
      throw Error("layers do not chain: sizes differ from the spec", "layer " + std::to_string(l),
                  "each layer must read the previous layer's width");
    }
  }
}

long long LogicNetwork::gate_count() const {
  long long count = 0;
  for (const auto& layer : layers_) count += layer.outputs();
  return count;
}

NetworkWorkspace LogicNetwork::make_workspace(int batch) const {
  NetworkWorkspace workspace;
  workspace.batch = batch;
  const std::size_t rows = std::size_t(spec_.width) * std::size_t(batch);
  workspace.activations.assign(layers_.size(), std::vector<float>(rows));
  workspace.scores.resize(std::size_t(batch) * std::size_t(spec_.classes));
  workspace.dL_dscores.resize(workspace.scores.size());
  workspace.dL_dy.resize(rows);
  workspace.dL_dx.resize(rows);
  return workspace;
}

void LogicNetwork::prepare(GateChoice choice, int threads) {
  for (auto& layer : layers_) layer.prepare(choice, threads);
}

void LogicNetwork::forward(const float* x, NetworkWorkspace& workspace, int threads) const {
  const float* input = x;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    layers_[l].forward(input, workspace.activations[l].data(), workspace.batch, threads);
    input = workspace.activations[l].data();
  }
  group_sum_forward(input, spec_.width, workspace.batch, spec_.classes, spec_.tau, workspace.scores.data());
}

double LogicNetwork::backward(const float* x, const std::uint8_t* labels, NetworkWorkspace& workspace,
                              int threads, float* dL_dx) {
  const int batch = workspace.batch;
  const double loss = softmax_cross_entropy(workspace.scores.data(), labels, batch, spec_.classes,
                                            workspace.dL_dscores.data());
  group_sum_backward(workspace.dL_dscores.data(), spec_.width, batch, spec_.classes, spec_.tau,
                     workspace.dL_dy.data());
  for (std::size_t l = layers_.size(); l-- > 0;) {
    const float* input = l == 0 ? x : workspace.activations[l - 1].data();
    float* dL_dinput = l == 0 ? dL_dx : workspace.dL_dx.data();
    layers_[l].backward(input, workspace.dL_dy.data(), dL_dinput, batch, threads);
    if (l > 0) std::swap(workspace.dL_dy, workspace.dL_dx);
  }
  return loss;
}

}  // namespace penumbra::logic
