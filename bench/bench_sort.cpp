// Differentiable sorting: forward + backward of the relaxed permutation matrix P (bitonic, cauchy, float,
// batch 100, n = 4 ... 1024), and steps per second of ranking supervision on four-digit Fashion-MNIST.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <vector>

#include "penumbra/data/idx.h"
#include "penumbra/sort/conv_tile_scorer.h"
#include "penumbra/sort/ranking_training.h"
#include "penumbra/sort/soft_sort.h"

namespace {

using penumbra::sort::NetworkKind;

void BM_PermutationForwardBackward(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int batch = 100;
  penumbra::sort::SoftSorter<float> sorter(penumbra::sort::SortingNetwork::create(NetworkKind::bitonic, n),
                                           penumbra::sort::Relaxation{});
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> values(static_cast<std::size_t>(batch) * n);
  for (float& value : values) value = normal(rng);
  std::vector<float> dL_dpermutation(values.size() * n);
  for (float& gradient : dL_dpermutation) gradient = normal(rng);
  std::vector<float> dL_dvalues(values.size());
  penumbra::sort::SoftSortResult<float> result;
  for (auto _ : state) {
    sorter.forward(values, batch, true, result);
    sorter.backward(result, {}, dL_dpermutation, dL_dvalues);
    benchmark::DoNotOptimize(dL_dvalues.data());
  }
  state.counters["sets_per_second"] =
      benchmark::Counter(batch, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_PermutationForwardBackward)
    ->RangeMultiplier(2)
    ->Range(4, 1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One training step of the default CNN scorer alone (forward and backward of batch 100 x n = 5 four-tile
// elements); range(0) is the thread count.
void BM_ConvScorerStep(benchmark::State& state) {
  const int elements = 100 * 5;
  penumbra::sort::ConvTileScorer<float> scorer({}, 1, static_cast<int>(state.range(0)));
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> pixels(static_cast<std::size_t>(elements) * scorer.element_size());
  for (float& pixel : pixels) pixel = uniform(rng);
  std::vector<float> scores(elements);
  std::vector<float> dL_dscores(elements);
  for (float& gradient : dL_dscores) gradient = uniform(rng) - 0.5f;
  for (auto _ : state) {
    scorer.forward(pixels, elements, scores);
    scorer.backward(dL_dscores);
    benchmark::DoNotOptimize(scorer.gradients().data());
  }
  state.counters["steps_per_second"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ConvScorerStep)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RankingTrainingSteps(benchmark::State& state) {
  const std::filesystem::path folder = penumbra::data::default_fashion_mnist_folder();
  if (!std::filesystem::exists(folder / "train-images-idx3-ubyte.gz")) {
    state.SkipWithError("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
    return;
  }
  penumbra::sort::RankTrainingConfig config;
  config.n = static_cast<int>(state.range(0));
  config.steps = 200;
  config.eval_every = config.steps;
  config.validation_sets = 10;
  config.test_sets = 10;
  config.data_folder = folder;
  double steps_per_second = 0;
  for (auto _ : state) steps_per_second = penumbra::sort::train_ranking(config).steps_per_second;
  state.counters["steps_per_second"] = steps_per_second;
}
BENCHMARK(BM_RankingTrainingSteps)->Arg(5)->Arg(32)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
