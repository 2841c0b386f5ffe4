#pragma once
// A layer of two-input logic neurons with fixed wiring; each neuron is a softmax mixture of the 16
// relaxed gates during training and its arg-max gate after discretisation.
#include <cstdint>
#include <span>
#include <vector>

#include "penumbra/logic/wiring.h"

namespace penumbra::logic {

/// How the 16 gate logits of each neuron start.
enum class GateInit {
  Gaussian,  ///< logits ~ N(0, 1) (difflogic, NeurIPS 2022); good up to about 6 layers
  Residual,  ///< logit of gate 'A' = residual_logit, others 0 (ConvLGN, NeurIPS 2024); for deeper nets
};

/// Which gate function a neuron computes in forward().
enum class GateChoice {
  Relaxed,   ///< Σ softmax(logits)_i · relaxed_gate_i(a, b)
  Discrete,  ///< relaxed_gate_argmax(a, b): equals the Boolean gate on inputs in {0, 1}
};

/// Activations are feature-major: value i of sample s lives at x[i·batch + s]. Forward and backward cost
/// O(1) per neuron and sample because prepare() folds the 16 gates into 4 coefficients of {1, a, b, ab}.
class LogicLayer {
 public:
  /// A layer of `outputs` neurons over `inputs` values, wiring and initial logits drawn from `seed`.
  LogicLayer(int inputs, int outputs, WiringScheme scheme, GateInit init, std::uint64_t seed,
             float residual_logit = 5.0f);
  /// A layer from stored parts (model loading); `logits` holds 16 per neuron.
  LogicLayer(int inputs, Wiring wiring, std::vector<float> logits);

  int inputs() const { return inputs_; }
  int outputs() const { return static_cast<int>(wiring_.a.size()); }
  const Wiring& wiring() const { return wiring_; }

  /// Gate logits, 16 per neuron (outputs × 16, neuron-major); trainable parameters.
  std::span<float> logits() { return logits_; }
  std::span<const float> logits() const { return logits_; }
  /// Gradient of the loss with respect to logits(), written by backward().
  std::span<const float> dL_dlogits() const { return dL_dlogits_; }

  /// Folds each neuron's gates into coefficients (c0, c1, c2, c3) of {1, a, b, ab}; call after every
  /// change of the logits and before forward()/backward().
  void prepare(GateChoice choice, int threads);

  /// y[j·batch + s] = neuron j on sample s, for x of inputs() × batch and y of outputs() × batch.
  void forward(const float* x, float* y, int batch, int threads) const;

  /// From dL_dy (outputs × batch) writes dL_dlogits() and, when dL_dx is not null, dL_dx (inputs × batch).
  /// Needs prepare(GateChoice::Relaxed) on the same logits.
  void backward(const float* x, const float* dL_dy, float* dL_dx, int batch, int threads);

  /// The most probable gate of `neuron` (lowest id on ties): the gate it keeps after discretisation.
  int argmax_gate(int neuron) const;

 private:
  int inputs_ = 0;
  Wiring wiring_;
  std::vector<float> logits_;         // outputs × 16
  std::vector<float> dL_dlogits_;     // outputs × 16
  std::vector<float> probabilities_;  // outputs × 16, softmax of logits_ from the last prepare()
  std::vector<float> coefficients_;   // outputs × 4, (c0, c1, c2, c3) from the last prepare()
};

}  // namespace penumbra::logic
