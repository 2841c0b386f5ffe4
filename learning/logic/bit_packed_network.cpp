#include "penumbra/logic/bit_packed_network.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <utility>

#include "penumbra/error.h"

namespace penumbra::logic {
namespace {

constexpr int W = BitPackedNetwork::kBlockWords;
static_assert(std::endian::native == std::endian::little, "pack_block writes words byte by byte");
using Block = std::array<std::uint64_t, W>;

// One gate kind over a run of neurons; the gate is a template constant so the loop has no branch.
template <int Id>
void run_gate(const std::uint32_t* a, const std::uint32_t* b, const std::uint32_t* target, std::size_t count,
              const std::uint64_t* in, std::uint64_t* out) {
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t* x = in + std::size_t(a[k]) * W;
    const std::uint64_t* y = in + std::size_t(b[k]) * W;
    std::uint64_t* z = out + std::size_t(target[k]) * W;
    for (int w = 0; w < W; ++w) z[w] = bitwise_gate<std::uint64_t>(Id, x[w], y[w]);
  }
}

using RunFunction = void (*)(const std::uint32_t*, const std::uint32_t*, const std::uint32_t*, std::size_t,
                             const std::uint64_t*, std::uint64_t*);

template <std::size_t... Ids>
constexpr std::array<RunFunction, kGateCount> make_run_table(std::index_sequence<Ids...>) {
  return {&run_gate<int(Ids)>...};
}
constexpr auto kRunTable = make_run_table(std::make_index_sequence<kGateCount>{});

// Carry-save adder on W words: (high, low) = two-bit sum of x, y, z per lane.
inline void carry_save(Block& high, Block& low, const Block& x, const std::uint64_t* y,
                       const std::uint64_t* z) {
  for (int w = 0; w < W; ++w) {
    const std::uint64_t u = x[w] ^ y[w];
    high[w] = (x[w] & y[w]) | (u & z[w]);
    low[w] = u ^ z[w];
  }
}

// Adds one bit per lane (x) into the bit-sliced number planes[from..).
inline void ripple_add(std::uint64_t* planes, int from, int plane_count, Block x) {
  for (int p = from; p < plane_count; ++p) {
    for (int w = 0; w < W; ++w) {
      const std::uint64_t carry = planes[p * W + w] & x[w];
      planes[p * W + w] ^= x[w];
      x[w] = carry;
    }
  }
}

// Bit-sliced count of the set bits of `count` rows (W words each) per lane, Harley–Seal style: eight rows
// are reduced by carry-save adders into the ones, twos and fours planes and one carry into the eights.
void bit_sliced_count(const std::uint64_t* rows, int count, std::uint64_t* planes, int plane_count) {
  std::fill(planes, planes + std::size_t(plane_count) * W, 0);
  Block ones{}, twos{}, fours{};
  int row = 0;
  for (; row + 8 <= count; row += 8) {
    const std::uint64_t* r = rows + std::size_t(row) * W;
    Block twos_a, twos_b, fours_a, fours_b, eights;
    carry_save(twos_a, ones, ones, r + 0 * W, r + 1 * W);
    carry_save(twos_b, ones, ones, r + 2 * W, r + 3 * W);
    carry_save(fours_a, twos, twos, twos_a.data(), twos_b.data());
    carry_save(twos_a, ones, ones, r + 4 * W, r + 5 * W);
    carry_save(twos_b, ones, ones, r + 6 * W, r + 7 * W);
    carry_save(fours_b, twos, twos, twos_a.data(), twos_b.data());
    carry_save(eights, fours, fours, fours_a.data(), fours_b.data());
    ripple_add(planes, 3, plane_count, eights);
  }
  // ones, twos and fours are single bits per lane: they are planes 0, 1 and 2 of the same number.
  for (int w = 0; w < W; ++w) {
    planes[0 * W + w] = ones[w];
    planes[1 * W + w] = twos[w];
    planes[2 * W + w] = fours[w];
  }
  for (; row < count; ++row) {
    Block x;
    std::memcpy(x.data(), rows + std::size_t(row) * W, sizeof(x));
    ripple_add(planes, 0, plane_count, x);
  }
}

}  // namespace

int argmax_class(const int* counts, int classes) {
  return int(std::max_element(counts, counts + classes) - counts);
}

BitPackedNetwork::BitPackedNetwork(const DiscreteNetwork& network)
    : inputs_(network.inputs), classes_(network.classes) {
  if (network.layers.empty() || classes_ < 1 || network.output_width() % classes_ != 0) {
    throw Error("cannot pack a network without layers or with a last layer not divisible by the classes",
                "BitPackedNetwork", "discretise a trained LogicNetwork");
  }
  width_ = 0;
  for (const auto& layer : network.layers) {
    PackedLayer packed;
    const std::size_t count = layer.gates.size();
    width_ = std::max(width_, int(count));
    std::vector<std::uint32_t> order(count);
    for (std::size_t j = 0; j < count; ++j) order[j] = std::uint32_t(j);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t x, std::uint32_t y) { return layer.gates[x] < layer.gates[y]; });
    packed.runs.assign(kGateCount + 1, 0);
    for (std::uint8_t gate : layer.gates) ++packed.runs[std::size_t(gate) + 1];
    for (int g = 0; g < kGateCount; ++g) packed.runs[std::size_t(g) + 1] += packed.runs[std::size_t(g)];
    for (std::uint32_t j : order) {
      packed.a.push_back(layer.a[j]);
      packed.b.push_back(layer.b[j]);
      packed.target.push_back(j);
    }
    layers_.push_back(std::move(packed));
  }
  group_size_ = network.output_width() / classes_;
  // Planes 0..2 always exist (the carry-save adder fills them); more for larger groups.
  count_planes_ = 3;
  while ((1 << count_planes_) <= group_size_) ++count_planes_;
}

// Packs 8 samples × 8 inputs at a time: the 8 input bytes of sample k, shifted left by k and OR-ed, give
// one byte per input whose bit k is sample k; that byte is the sample group's byte of the input's word.
void BitPackedNetwork::pack_block(const std::uint8_t* bits, int count, std::uint64_t* packed) const {
  std::fill(packed, packed + block_words(), 0);
  auto* packed_bytes = reinterpret_cast<unsigned char*>(packed);
  const int samples = std::min(count, kBlockSamples);
  const std::size_t row = std::size_t(inputs_);
  for (int first = 0; first < samples; first += 8) {
    const int group = std::min(8, samples - first);
    const std::size_t word = std::size_t(first / 64);
    const std::size_t byte_in_word = std::size_t(first % 64) / 8;
    for (int i = 0; i < inputs_; i += 8) {
      const std::size_t span = std::size_t(std::min(8, inputs_ - i));
      std::uint64_t gathered = 0;
      for (int k = 0; k < group; ++k) {
        const std::uint8_t* source = bits + std::size_t(first + k) * row + std::size_t(i);
        std::uint64_t eight = 0;
        if (span == 8) {
          std::memcpy(&eight, source, 8);
        } else {
          std::memcpy(&eight, source, span);
        }
        gathered |= eight << k;
      }
      for (std::size_t b = 0; b < span; ++b) {
        packed_bytes[((std::size_t(i) + b) * W + word) * 8 + byte_in_word] =
            std::uint8_t(gathered >> (8 * b));
      }
    }
  }
}

void BitPackedNetwork::evaluate_block(const std::uint64_t* packed, int* counts,
                                      std::vector<std::uint64_t>& scratch) const {
  const std::size_t layer_words = std::size_t(width_) * W;
  const std::size_t plane_words = std::size_t(count_planes_) * W;
  scratch.resize(2 * layer_words + plane_words);
  std::uint64_t* buffers[2] = {scratch.data(), scratch.data() + layer_words};
  std::uint64_t* planes = scratch.data() + 2 * layer_words;

  const std::uint64_t* in = packed;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const PackedLayer& layer = layers_[l];
    std::uint64_t* out = buffers[l % 2];
    for (int g = 0; g < kGateCount; ++g) {
      const std::size_t begin = layer.runs[std::size_t(g)];
      const std::size_t end = layer.runs[std::size_t(g) + 1];
      if (begin == end) continue;
      kRunTable[std::size_t(g)](layer.a.data() + begin, layer.b.data() + begin, layer.target.data() + begin,
                                end - begin, in, out);
    }
    in = out;
  }

  for (int c = 0; c < classes_; ++c) {
    bit_sliced_count(in + std::size_t(c) * std::size_t(group_size_) * W, group_size_, planes, count_planes_);
    for (int s = 0; s < kBlockSamples; ++s) {
      const int w = s / 64;
      const int k = s % 64;
      int total = 0;
      for (int p = 0; p < count_planes_; ++p) total |= int((planes[p * W + w] >> k) & 1u) << p;
      counts[std::size_t(s) * std::size_t(classes_) + std::size_t(c)] = total;
    }
  }
}

std::vector<int> BitPackedNetwork::class_counts(const std::uint8_t* bits, int count) const {
  std::vector<int> counts(std::size_t(count) * std::size_t(classes_));
  std::vector<std::uint64_t> packed(block_words());
  std::vector<std::uint64_t> scratch;
  std::vector<int> block_counts(std::size_t(kBlockSamples) * std::size_t(classes_));
  for (int first = 0; first < count; first += kBlockSamples) {
    const int samples = std::min(kBlockSamples, count - first);
    pack_block(bits + std::size_t(first) * std::size_t(inputs_), samples, packed.data());
    evaluate_block(packed.data(), block_counts.data(), scratch);
    std::copy(block_counts.begin(), block_counts.begin() + std::ptrdiff_t(samples) * classes_,
              counts.begin() + std::ptrdiff_t(first) * classes_);
  }
  return counts;
}

std::vector<std::uint8_t> BitPackedNetwork::predict(const std::uint8_t* bits, int count) const {
  const auto counts = class_counts(bits, count);
  std::vector<std::uint8_t> predicted(static_cast<std::size_t>(count));
  for (int s = 0; s < count; ++s) {
    const int* sample_counts = counts.data() + std::size_t(s) * std::size_t(classes_);
    predicted[std::size_t(s)] = std::uint8_t(argmax_class(sample_counts, classes_));
  }
  return predicted;
}

}  // namespace penumbra::logic
