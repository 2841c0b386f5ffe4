// Logic gate networks: single-core bit-packed inference (the paper's "images per second on one CPU core")
// and the cost of one training step. Networks have random gates; speed does not depend on what they learnt.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "penumbra/logic/bit_packed_network.h"
#include "penumbra/logic/discrete_network.h"
#include "penumbra/logic/trainer.h"

namespace {

using namespace penumbra::logic;

constexpr int kInputs = 784;  // one threshold on 28 × 28 Fashion-MNIST
constexpr int kClasses = 10;

NetworkSpec spec_of(int layers, int width) {
  NetworkSpec spec;
  spec.inputs = kInputs;
  spec.layers = layers;
  spec.width = width;
  spec.classes = kClasses;
  spec.tau = 20.0f;
  spec.seed = 1;
  return spec;
}

BinaryDataset random_images(int count) {
  BinaryDataset data;
  data.name = "random";
  data.inputs = kInputs;
  data.classes = kClasses;
  data.count = count;
  std::mt19937 rng(5);
  data.bits.resize(std::size_t(count) * kInputs);
  for (auto& bit : data.bits) bit = std::uint8_t(rng() & 1u);
  data.labels.resize(std::size_t(count));
  for (auto& label : data.labels) label = std::uint8_t(rng() % kClasses);
  return data;
}

// Inputs already packed 64 samples per word: the network alone.
void BM_BitPackedInference(benchmark::State& state) {
  const LogicNetwork network(spec_of(int(state.range(0)), int(state.range(1))));
  const BitPackedNetwork packed(discretize(network));
  const BinaryDataset images = random_images(BitPackedNetwork::kBlockSamples);
  std::vector<std::uint64_t> block(packed.block_words());
  packed.pack_block(images.bits.data(), images.count, block.data());
  std::vector<int> counts(std::size_t(BitPackedNetwork::kBlockSamples) * kClasses);
  std::vector<std::uint64_t> scratch;
  for (auto _ : state) {
    packed.evaluate_block(block.data(), counts.data(), scratch);
    benchmark::DoNotOptimize(counts.data());
  }
  state.SetItemsProcessed(state.iterations() * BitPackedNetwork::kBlockSamples);
  state.counters["gates"] = double(network.gate_count());
}
BENCHMARK(BM_BitPackedInference)->Args({6, 8000})->Args({6, 64000})->Unit(benchmark::kMicrosecond);

// From one byte per input bit: packing included.
void BM_BitPackedInferenceWithPacking(benchmark::State& state) {
  const LogicNetwork network(spec_of(int(state.range(0)), int(state.range(1))));
  const BitPackedNetwork packed(discretize(network));
  const BinaryDataset images = random_images(BitPackedNetwork::kBlockSamples);
  std::vector<std::uint64_t> block(packed.block_words());
  std::vector<int> counts(std::size_t(BitPackedNetwork::kBlockSamples) * kClasses);
  std::vector<std::uint64_t> scratch;
  for (auto _ : state) {
    packed.pack_block(images.bits.data(), images.count, block.data());
    packed.evaluate_block(block.data(), counts.data(), scratch);
    benchmark::DoNotOptimize(counts.data());
  }
  state.SetItemsProcessed(state.iterations() * BitPackedNetwork::kBlockSamples);
}
BENCHMARK(BM_BitPackedInferenceWithPacking)->Args({6, 8000})->Unit(benchmark::kMicrosecond);

// One Adam step on a batch of 128: forward, backward and update. Args: layers, width, threads.
void BM_TrainStep(benchmark::State& state) {
  LogicNetwork network(spec_of(int(state.range(0)), int(state.range(1))));
  const BinaryDataset images = random_images(1024);
  TrainSettings settings;
  settings.threads = int(state.range(2));
  Trainer trainer(network, images, settings);
  for (auto _ : state) benchmark::DoNotOptimize(trainer.step());
  state.SetItemsProcessed(state.iterations() * settings.batch);
}
BENCHMARK(BM_TrainStep)->Args({6, 8000, 1})->Args({6, 8000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
