// Vulkan backend: the CPU benchmark's cases (bench_renderer.cpp) on the best Vulkan device: Spot (4 views of
// 256^2) in SoftRas's and GenDR's settings, forward and forward+backward, and scaling over icosphere levels
// and image sizes. Counter `pairs/s`: pixel-face pairs inside culling boxes per second. Without a GPU this
// runs on Mesa lavapipe (a CPU driver): those numbers measure the driver, not a GPU.
#include <benchmark/benchmark.h>

#include "penumbra/error.h"
#include "render_workloads.h"

namespace penumbra::bench {
namespace {

void run(benchmark::State& state, const Mesh& mesh, const std::vector<Camera>& cameras,
         const RasterSettings& s, bool with_backward) {
  std::optional<Renderer> renderer;
  try {
    renderer.emplace(Backend::vulkan);
  } catch (const Error& error) {
    state.SkipWithError(error.what());
    return;
  }
  state.SetLabel(renderer->backend_reason());
  Images upstream(int(cameras.size()), s.height, s.width, 1.0f);
  // Untimed warm-up: builds this distribution's pipelines and sizes the device buffers.
  renderer->forward(mesh, cameras, s);
  if (with_backward) renderer->backward(upstream);
  for (auto _ : state) {
    const Images& images = renderer->forward(mesh, cameras, s);
    benchmark::DoNotOptimize(images.rgba.data());
    if (with_backward) benchmark::DoNotOptimize(renderer->backward(upstream).dL_dpositions.data());
  }
  state.counters["pairs/s"] =
      benchmark::Counter(candidate_pairs(mesh, cameras, s), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["faces"] = double(mesh.triangles.size());
}

// Arguments: uniform (0/1), with backward (0/1).
void BM_VulkanSpot4x256(benchmark::State& state) {
  static const std::optional<Mesh> spot = load_spot();
  if (!spot) {
    state.SkipWithError("Spot not found at ../shared/assets/spot beside the repository");
    return;
  }
  run(state, *spot, ring(4), workload_settings(state.range(0) != 0, 256), state.range(1) != 0);
}
BENCHMARK(BM_VulkanSpot4x256)
    ->ArgNames({"uniform", "backward"})
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Arguments: icosphere level, image size, with backward.
void BM_VulkanIcosphereScaling(benchmark::State& state) {
  const Mesh mesh = colored_icosphere(int(state.range(0)));
  run(state, mesh, ring(4), workload_settings(false, int(state.range(1))), state.range(2) != 0);
}
BENCHMARK(BM_VulkanIcosphereScaling)
    ->ArgNames({"level", "size", "backward"})
    ->ArgsProduct({{3, 4, 5, 6}, {256}, {0, 1}})
    ->ArgsProduct({{4}, {64, 128, 512, 1024}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace penumbra::bench

BENCHMARK_MAIN();
