#pragma once
/// First-order optimisers over one flat float array of parameters: Adam and SGD with momentum.
/// The state is plain floats so a checkpoint can store it and a resumed run continues bit for bit.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace penumbra::core {

enum class OptimiserKind { adam, sgd };

struct OptimiserSettings {
  OptimiserKind kind = OptimiserKind::adam;
  double beta1 = 0.9;     ///< Adam: first-moment decay
  double beta2 = 0.999;   ///< Adam: second-moment decay
  double epsilon = 1e-8;  ///< Adam: added to the root of the bias-corrected second moment
  double momentum = 0.9;  ///< SGD: heavy-ball momentum (0 = plain gradient descent)
};

class Optimiser {
 public:
  Optimiser(OptimiserSettings settings, std::size_t parameters);

  /// One update of `parameters` (size fixed at construction) from `gradients` with step size `learning_rate`,
  /// on up to `threads` threads (the result does not depend on the count). Adam (Kingma & Ba, Algorithm 1):
  /// m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g², p -= lr m̂ / (√v̂ + ε) with m̂, v̂ bias-corrected.
  /// SGD: u = momentum u + g, p -= lr u. Throws penumbra::Error on a size mismatch.
  void step(std::span<float> parameters, std::span<const float> gradients, double learning_rate,
            int threads = 1);

  const OptimiserSettings& settings() const { return settings_; }
  /// Updates taken so far (Adam's bias correction depends on it).
  std::int64_t steps() const { return steps_; }

  /// Moment buffers (Adam: m then v; SGD: velocity), for checkpoints.
  const std::vector<float>& state() const { return state_; }
  /// Restores what state() and steps() returned; throws penumbra::Error if the size does not match.
  void restore(std::vector<float> state, std::int64_t steps);

 private:
  OptimiserSettings settings_;
  std::size_t parameters_;
  std::vector<float> state_;
  std::int64_t steps_ = 0;
};

std::string_view name(OptimiserKind kind);
/// Parses "adam" or "sgd"; throws penumbra::Error otherwise.
OptimiserKind parse_optimiser_kind(std::string_view text);

}  // namespace penumbra::core
