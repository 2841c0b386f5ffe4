// The renderer on the CPU backend and, where built, the Vulkan backend: forward and forward+backward for Spot
// (4 views of 256^2) in SoftRas's and GenDR's settings (the CPU on 1 and 2 threads), and scaling over
// icosphere levels and image sizes; the cost of shading (Lambert with Spot's texture against unlit vertex
// colours). Counter `pairs/s`: pixel-face pairs inside culling boxes per second.
// Without a GPU, Vulkan runs on Mesa lavapipe (a CPU driver): those numbers measure the driver, not a GPU.
#include "render_workloads.h"

namespace penumbra::bench {
namespace {

// Arguments: backend (Backend's value), uniform (0/1), CPU threads, with backward (0/1).
void BM_Spot4x256(benchmark::State& state) {
  run_renderer(state, Backend(state.range(0)), {int(state.range(2))}, spot(), ring(4),
               workload_settings(state.range(1) != 0, 256), state.range(3) != 0);
}

// Arguments: backend, icosphere level, image size, with backward.
void BM_IcosphereScaling(benchmark::State& state) {
  run_renderer(state, Backend(state.range(0)), {}, colored_icosphere(int(state.range(1))), ring(4),
               workload_settings(false, int(state.range(2))), state.range(3) != 0);
}

// Arguments: lambert (0: unlit, 1: Lambert with one directional light), texture (0: vertex colours, 1: times
// Spot's 1024^2 texture), with backward. One CPU thread, SoftRas's setting.
void BM_SpotShading(benchmark::State& state) {
  RasterSettings s = workload_settings(false, 256);
  if (state.range(0) != 0) {
    s.shading.model = ShadingModel::lambert;
    s.shading.ambient = glm::vec3(0.3f);
    s.shading.lights = {{LightKind::directional, {0.3f, -0.8f, -0.5f}, glm::vec3(0.8f)}};
  }
  s.shading.use_texture = state.range(1) != 0;
  run_renderer(state, Backend::cpu, {1}, spot(), ring(4), s, state.range(2) != 0);
}

void register_benchmarks() {
  std::vector<std::int64_t> gpus;
#ifdef PENUMBRA_HAVE_VULKAN
  gpus.push_back(std::int64_t(Backend::vulkan));
#endif
  const std::int64_t cpu = std::int64_t(Backend::cpu);
  auto spot = benchmark::RegisterBenchmark("BM_Spot4x256", BM_Spot4x256)
                  ->ArgNames({"backend", "uniform", "threads", "backward"})
                  ->ArgsProduct({{cpu}, {0, 1}, {1, 2}, {0, 1}});
  auto scaling = benchmark::RegisterBenchmark("BM_IcosphereScaling", BM_IcosphereScaling)
                     ->ArgNames({"backend", "level", "size", "backward"});
  std::vector<std::int64_t> backends = gpus;
  backends.insert(backends.begin(), cpu);
  scaling->ArgsProduct({backends, {3, 4, 5, 6}, {256}, {0, 1}})
      ->ArgsProduct({backends, {4}, {64, 128, 512, 1024}, {0, 1}});
  if (!gpus.empty()) spot->ArgsProduct({gpus, {0, 1}, {0}, {0, 1}});
  auto shading = benchmark::RegisterBenchmark("BM_SpotShading", BM_SpotShading)
                     ->ArgNames({"lambert", "texture", "backward"})
                     ->ArgsProduct({{0, 1}, {0, 1}, {0, 1}});
  for (auto* benchmark : {spot, scaling, shading}) benchmark->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace
}  // namespace penumbra::bench

int main(int argc, char** argv) {
  penumbra::bench::register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
