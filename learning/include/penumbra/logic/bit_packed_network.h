#pragma once
// Bit-packed inference of a discretised network: each 64-bit word carries one value of 64 samples, so a
// gate costs one bitwise instruction per 64 samples; GroupSum is a bit-sliced (carry-save) adder.
#include <cstdint>
#include <vector>

#include "penumbra/logic/discrete_network.h"

namespace penumbra::logic {

class BitPackedNetwork {
 public:
  /// Words per value in one block; a block holds kBlockSamples samples.
  static constexpr int kBlockWords = 4;
  static constexpr int kBlockSamples = 64 * kBlockWords;

  /// Reorders each layer's gates by kind so that evaluation runs branch-free loops.
  explicit BitPackedNetwork(const DiscreteNetwork& network);

  int inputs() const { return inputs_; }
  int classes() const { return classes_; }

  /// Packs up to kBlockSamples samples (sample-major bytes, each exactly 0 or 1, `inputs()` per sample):
  /// bit k of packed[i·kBlockWords + w] is input i of sample 64·w + k. Missing samples are zero.
  void pack_block(const std::uint8_t* bits, int count, std::uint64_t* packed) const;

  /// Size in words of a packed block (inputs() · kBlockWords).
  std::size_t block_words() const { return std::size_t(inputs_) * kBlockWords; }

  /// Group sums (class counts) of one packed block: counts[s·classes() + c] for s < kBlockSamples.
  /// `scratch` is reused between calls and must not be shared between threads.
  void evaluate_block(const std::uint64_t* packed, int* counts, std::vector<std::uint64_t>& scratch) const;

  /// Class counts of `count` samples (sample-major bytes 0/1): counts[s·classes() + c].
  std::vector<int> class_counts(const std::uint8_t* bits, int count) const;

  /// Predicted class of each sample: the arg-max count, lowest class on ties.
  std::vector<std::uint8_t> predict(const std::uint8_t* bits, int count) const;

 private:
  // One layer: neurons sorted by gate; runs[g]..runs[g+1] are the neurons computing gate g, and
  // target[k] is the original position of sorted neuron k.
  struct PackedLayer {
    std::vector<std::uint32_t> a;
    std::vector<std::uint32_t> b;
    std::vector<std::uint32_t> target;
    std::vector<std::uint32_t> runs;  // kGateCount + 1 offsets
  };

  int inputs_ = 0;
  int classes_ = 0;
  int width_ = 0;         // widest layer
  int group_size_ = 0;    // last-layer neurons per class
  int count_planes_ = 0;  // bits of a group sum
  std::vector<PackedLayer> layers_;
};

/// Index of the largest count (lowest index on ties), the prediction rule shared by all inference paths.
int argmax_class(const int* counts, int classes);

}  // namespace penumbra::logic
