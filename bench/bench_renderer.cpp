// CPU backend: forward and forward+backward for Spot (4 views of 256^2) in SoftRas's and GenDR's settings on
// 1 and 2 threads, and scaling over icosphere levels and image sizes. Counter `pairs/s`: pixel-face pairs
// inside culling boxes per second.
#include <benchmark/benchmark.h>

#include "render_workloads.h"

namespace penumbra::bench {
namespace {

void run(benchmark::State& state, const Mesh& mesh, const std::vector<Camera>& cameras, const RasterSettings& s,
         int threads, bool with_backward) {
  Renderer renderer(Backend::cpu, {threads});
  Images upstream(int(cameras.size()), s.height, s.width, 1.0f);
  for (auto _ : state) {
    const Images& images = renderer.forward(mesh, cameras, s);
    benchmark::DoNotOptimize(images.rgba.data());
    if (with_backward) benchmark::DoNotOptimize(renderer.backward(upstream).dL_dpositions.data());
  }
  state.counters["pairs/s"] = benchmark::Counter(candidate_pairs(mesh, cameras, s), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["faces"] = double(mesh.triangles.size());
}

// Arguments: uniform (0/1), threads, with backward (0/1).
void BM_Spot4x256(benchmark::State& state) {
  static const std::optional<Mesh> spot = load_spot();
  if (!spot) {
    state.SkipWithError("Spot not found at ../shared/assets/spot beside the repository");
    return;
  }
  run(state, *spot, ring(4), workload_settings(state.range(0) != 0, 256), int(state.range(1)), state.range(2) != 0);
}
BENCHMARK(BM_Spot4x256)
    ->ArgNames({"uniform", "threads", "backward"})
    ->ArgsProduct({{0, 1}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Arguments: icosphere level, image size, with backward.
void BM_IcosphereScaling(benchmark::State& state) {
  const Mesh mesh = colored_icosphere(int(state.range(0)));
  run(state, mesh, ring(4), workload_settings(false, int(state.range(1))), 0, state.range(2) != 0);
}
BENCHMARK(BM_IcosphereScaling)
    ->ArgNames({"level", "size", "backward"})
    ->ArgsProduct({{3, 4, 5, 6}, {256}, {0, 1}})
    ->ArgsProduct({{4}, {64, 128, 512, 1024}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace penumbra::bench

BENCHMARK_MAIN();
