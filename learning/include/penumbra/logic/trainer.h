#pragma once
// Minibatch training of a LogicNetwork with Adam, one step at a time, plus evaluation helpers. A viewer
// or CLI drives it: call step() in a loop and evaluate() whenever it wants a curve point.
#include <cstdint>
#include <vector>

#include "penumbra/logic/binary_dataset.h"
#include "penumbra/logic/logic_network.h"
#include "penumbra/core/optimiser.h"
#include "penumbra/core/random.h"

namespace penumbra::logic {

/// Training settings; difflogic's recipe is Adam lr 0.01 and batches of 100–128.
struct TrainSettings {
  int batch = 128;
  double learning_rate = 0.01;
  core::OptimiserSettings optimiser;  ///< Adam with Kingma & Ba's decay rates
  int threads = 1;                    ///< worker threads of every step; results do not depend on it
  std::uint64_t seed = 1;             ///< minibatch sampling
};

/// Accuracies of one evaluation, in [0, 1].
struct Accuracy {
  double relaxed = 0.0;   ///< softmax-mixture gates on the binary inputs
  double discrete = 0.0;  ///< arg-max gates, bit-packed inference
};

/// Owns the optimiser state and the scratch memory of training `network` on `data`. The minibatch order
/// depends only on the seed and every sum runs in a fixed order, so a run gives the same bits for any
/// thread count.
class Trainer {
 public:
  /// Keeps references: `network` and `data` must outlive the trainer. Throws penumbra::Error when the
  /// data does not fit the network.
  Trainer(LogicNetwork& network, const BinaryDataset& data, const TrainSettings& settings);

  /// One Adam step on a fresh minibatch; returns its mean cross-entropy.
  double step();
  long long steps_done() const { return steps_done_; }

  /// The minibatch generator's state and each layer's Adam, for checkpoints.
  std::uint64_t sampler_state() const { return sampler_.state; }
  const std::vector<core::Optimiser>& optimisers() const { return optimisers_; }
  /// Continues from a checkpoint whose logits the caller has put back into the network: the steps done, the
  /// generator's state and each layer's Adam state. Throws penumbra::Error when the layer count or a size does
  /// not match.
  void restore(long long steps_done, std::uint64_t sampler_state,
               std::vector<std::vector<float>> optimiser_states);

 private:
  LogicNetwork& network_;
  const BinaryDataset& data_;
  TrainSettings settings_;
  std::vector<core::Optimiser> optimisers_;  // one per layer
  NetworkWorkspace workspace_;
  std::vector<float> batch_inputs_;  // inputs × batch, feature-major
  std::vector<std::uint8_t> batch_labels_;
  std::vector<int> sample_indices_;
  core::SplitMix64 sampler_;
  long long steps_done_ = 0;
};

/// Relaxed and discretised accuracy of `network` on `data` (all samples). Leaves the network prepared
/// for GateChoice::Relaxed.
Accuracy evaluate(LogicNetwork& network, const BinaryDataset& data, int threads);

/// Throws penumbra::Error when `data` does not have the network's input count or classes.
void check_dataset_fits(const NetworkSpec& spec, const BinaryDataset& data);

}  // namespace penumbra::logic
