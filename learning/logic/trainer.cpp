#include "penumbra/logic/trainer.h"

#include <algorithm>
#include <string>

#include "penumbra/logic/bit_packed_network.h"
#include "penumbra/logic/discrete_network.h"
#include "penumbra/error.h"

namespace penumbra::logic {
namespace {

// Writes the given samples into x (inputs × batch, feature-major) as floats.
void gather_batch(const BinaryDataset& data, const int* samples, int batch, float* x) {
  const std::size_t n = std::size_t(batch);
  for (std::size_t s = 0; s < n; ++s) {
    const std::uint8_t* bits = data.sample(samples[s]);
    for (std::size_t i = 0; i < std::size_t(data.inputs); ++i) x[i * n + s] = float(bits[i]);
  }
}

}  // namespace

void check_dataset_fits(const NetworkSpec& spec, const BinaryDataset& data) {
  if (data.inputs != spec.inputs || data.classes != spec.classes) {
    throw Error("dataset does not fit the network: " + std::to_string(data.inputs) + " input bits and " +
                    std::to_string(data.classes) + " classes, the network expects " +
                    std::to_string(spec.inputs) + " and " + std::to_string(spec.classes),
                data.name, "use the dataset and thresholds the model was trained with");
  }
  if (data.count < 1) throw Error("dataset is empty", data.name, "check the dataset files");
}

Trainer::Trainer(LogicNetwork& network, const BinaryDataset& data, const TrainSettings& settings)
    : network_(network), data_(data), settings_(settings), sampler_{settings.seed} {
  check_dataset_fits(network.spec(), data);
  if (settings.batch < 1) throw Error("batch size must be positive", "TrainSettings", "use e.g. 128");
  for (const auto& layer : network.layers())
    optimisers_.emplace_back(settings.optimiser, layer.logits().size());
  workspace_ = network.make_workspace(settings.batch);
  batch_inputs_.resize(std::size_t(data.inputs) * std::size_t(settings.batch));
  batch_labels_.resize(std::size_t(settings.batch));
}

double Trainer::step() {
  std::vector<int>& samples = sample_indices_;
  samples.resize(std::size_t(settings_.batch));
  for (int& s : samples) s = int(sampler_.below(std::uint64_t(data_.count)));
  gather_batch(data_, samples.data(), settings_.batch, batch_inputs_.data());
  for (std::size_t s = 0; s < samples.size(); ++s) batch_labels_[s] = data_.labels[std::size_t(samples[s])];

  network_.prepare(GateChoice::Relaxed, settings_.threads);
  network_.forward(batch_inputs_.data(), workspace_, settings_.threads);
  const double loss =
      network_.backward(batch_inputs_.data(), batch_labels_.data(), workspace_, settings_.threads);
  auto& layers = network_.layers();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    optimisers_[l].step(layers[l].logits(), layers[l].dL_dlogits(), settings_.learning_rate,
                        settings_.threads);
  }
  ++steps_done_;
  return loss;
}

void Trainer::restore(long long steps_done, std::uint64_t sampler_state,
                      std::vector<std::vector<float>> optimiser_states) {
  if (optimiser_states.size() != optimisers_.size() || steps_done < 0) {
    throw Error("checkpoint holds " + std::to_string(optimiser_states.size()) +
                    " layers' optimiser state, the network has " + std::to_string(optimisers_.size()) +
                    " layers",
                "Trainer::restore", "resume with the settings the checkpoint was written with");
  }
  for (std::size_t layer = 0; layer < optimisers_.size(); ++layer)
    optimisers_[layer].restore(std::move(optimiser_states[layer]), steps_done);
  sampler_.state = sampler_state;
  steps_done_ = steps_done;
}

Accuracy evaluate(LogicNetwork& network, const BinaryDataset& data, int threads) {
  check_dataset_fits(network.spec(), data);
  constexpr int kChunk = 256;
  NetworkWorkspace workspace = network.make_workspace(kChunk);
  std::vector<float> x(std::size_t(data.inputs) * kChunk, 0.0f);
  std::vector<int> samples(kChunk);
  network.prepare(GateChoice::Relaxed, threads);
  long long relaxed_correct = 0;
  for (int first = 0; first < data.count; first += kChunk) {
    const int count = std::min(kChunk, data.count - first);
    // A short last chunk repeats its last sample; only the first `count` scores are read.
    for (int s = 0; s < kChunk; ++s) samples[std::size_t(s)] = first + std::min(s, count - 1);
    gather_batch(data, samples.data(), kChunk, x.data());
    network.forward(x.data(), workspace, threads);
    for (int s = 0; s < count; ++s) {
      const float* score = workspace.scores.data() + std::size_t(s) * std::size_t(data.classes);
      const int predicted = int(std::max_element(score, score + data.classes) - score);
      relaxed_correct += predicted == data.labels[std::size_t(first + s)];
    }
  }
  const BitPackedNetwork packed(discretize(network));
  const auto predictions = packed.predict(data.bits.data(), data.count);
  long long discrete_correct = 0;
  for (int s = 0; s < data.count; ++s)
    discrete_correct += predictions[std::size_t(s)] == data.labels[std::size_t(s)];
  return {double(relaxed_correct) / data.count, double(discrete_correct) / data.count};
}

}  // namespace penumbra::logic
