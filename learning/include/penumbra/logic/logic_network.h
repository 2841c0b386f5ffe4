#pragma once
// A straight logic gate network: L logic layers of equal width, then GroupSum into class scores.
#include <cstdint>
#include <vector>

#include "penumbra/logic/logic_layer.h"

namespace penumbra::logic {

/// Shape and initialisation of a network.
struct NetworkSpec {
  int inputs = 0;    ///< input bits per sample
  int layers = 0;    ///< number of logic layers
  int width = 0;     ///< neurons per layer; the last layer's width must be divisible by classes
  int classes = 0;   ///< GroupSum outputs
  float tau = 1.0f;  ///< GroupSum temperature: scores are group sums / tau
  WiringScheme wiring = WiringScheme::Random;
  GateInit init = GateInit::Gaussian;
  float residual_logit = 5.0f;  ///< logit of gate 'A' under GateInit::Residual
  std::uint64_t seed = 1;       ///< wiring and initial logits
};

/// Per-batch scratch memory, sized once by LogicNetwork::make_workspace so that steps never allocate.
struct NetworkWorkspace {
  int batch = 0;
  std::vector<std::vector<float>> activations;  ///< per layer, width × batch (feature-major)
  std::vector<float> scores;                    ///< batch × classes
  std::vector<float> dL_dscores;                ///< batch × classes
  std::vector<float> dL_dy;                     ///< width × batch, gradient at a layer's output
  std::vector<float> dL_dx;                     ///< width × batch, gradient at a layer's input
};

class LogicNetwork {
 public:
  /// Builds the layers; each layer's wiring and logits come from its own seed derived from spec.seed.
  /// Throws penumbra::Error on a bad shape.
  explicit LogicNetwork(const NetworkSpec& spec);
  /// A network from stored layers (model loading); checks that they chain and fit the spec.
  LogicNetwork(const NetworkSpec& spec, std::vector<LogicLayer> layers);

  const NetworkSpec& spec() const { return spec_; }
  std::vector<LogicLayer>& layers() { return layers_; }
  const std::vector<LogicLayer>& layers() const { return layers_; }
  /// Number of logic gates (neurons), GroupSum excluded.
  long long gate_count() const;

  NetworkWorkspace make_workspace(int batch) const;

  /// Folds every layer's logits into gate coefficients; call after each optimiser step.
  void prepare(GateChoice choice, int threads);

  /// Class scores of a batch (x: inputs × batch, feature-major) into workspace.scores (batch × classes).
  /// Keeps every layer's activations for backward().
  void forward(const float* x, NetworkWorkspace& workspace, int threads) const;

  /// Mean cross-entropy of the last forward() against labels; writes every layer's dL_dlogits() and,
  /// when dL_dx is not null, the gradient at the network input (inputs × batch). Needs GateChoice::Relaxed.
  double backward(const float* x, const std::uint8_t* labels, NetworkWorkspace& workspace, int threads,
                  float* dL_dx = nullptr);

 private:
  NetworkSpec spec_;
  std::vector<LogicLayer> layers_;
};

/// Throws penumbra::Error naming the problem when spec cannot make a network.
void validate_spec(const NetworkSpec& spec);

}  // namespace penumbra::logic
