// CUDA backend: ms per forward and forward+backward for Spot (4 views at 256^2, 512^2, 1024^2) and icospheres of
// 5k, 20k, 80k and 320k faces (4 views at 512^2), through the Renderer (host projection and transfers included)
// and through the raster backend alone. Counters: `pairs/s`, pixel-face pairs inside culling boxes per second;
// `fp32_peak` (forward only), the fraction of the GPU's FP32 instruction rate that those pairs take at
// kInstructionsPerPair (docs/cuda.md). Every benchmark skips, saying why, without a CUDA device.
#include <string>

#include "cuda/cuda_backend.h"
#include "cuda/cuda_device.h"
#include "render_workloads.h"

namespace penumbra::bench {
namespace {

/// FP32-pipe instructions of one forward (pixel, face) pair: distance, coverage, depth, softmax.
constexpr double kInstructionsPerPair = 70.0;

bool skip_without_device(benchmark::State& state) {
  const std::string reason = detail::cuda_unavailable_reason();
  if (reason.empty()) return false;
  state.SkipWithError(("no CUDA device: " + reason).c_str());
  return true;
}

/// The fraction of the GPU's FP32 instruction rate that a forward's pairs take (forward only).
void add_fp32_peak(benchmark::State& state, const Mesh& mesh, const std::vector<Camera>& cameras,
                   const RasterSettings& s, bool with_backward) {
  if (with_backward || state.error_occurred()) return;
  const double peak_instructions = detail::cuda_device_info().fp32_peak_flops() / 2.0;
  state.counters["fp32_peak"] =
      benchmark::Counter(candidate_pairs(mesh, cameras, s) * kInstructionsPerPair / peak_instructions,
                         benchmark::Counter::kIsIterationInvariantRate);
}

// Through the Renderer: what a caller sees, including projection on the host and the transfers.
void run_cuda_renderer(benchmark::State& state, const Mesh& mesh, const std::vector<Camera>& cameras,
                       const RasterSettings& s, bool with_backward) {
  if (skip_without_device(state)) return;
  run_renderer(state, Backend::cuda, {}, mesh, cameras, s, with_backward);
  add_fp32_peak(state, mesh, cameras, s, with_backward);
}

// Arguments: image size, with backward (0/1), GenDR's uniform instead of SoftRas's logistic (0/1).
void BM_CudaSpot4Views(benchmark::State& state) {
  const RasterSettings s = workload_settings(state.range(2) != 0, int(state.range(0)));
  run_cuda_renderer(state, spot(), ring(4), s, state.range(1) != 0);
}
BENCHMARK(BM_CudaSpot4Views)
    ->ArgNames({"size", "backward", "uniform"})
    ->ArgsProduct({{256, 512, 1024}, {0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Arguments: icosphere level (4: 5,120 faces ... 7: 327,680), with backward. Four views at 512^2.
void BM_CudaIcosphere4x512(benchmark::State& state) {
  const Mesh mesh = colored_icosphere(int(state.range(0)));
  run_cuda_renderer(state, mesh, ring(4), workload_settings(false, 512), state.range(1) != 0);
}
BENCHMARK(BM_CudaIcosphere4x512)
    ->ArgNames({"level", "backward"})
    ->ArgsProduct({{4, 5, 6, 7}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The raster backend alone on Spot, 4 views: the GPU pipeline with its transfers, without the host projection.
// Arguments: image size, with backward.
void BM_CudaRasterOnlySpot4Views(benchmark::State& state) {
  if (skip_without_device(state)) return;
  const Mesh& mesh = spot();
  const RasterSettings s = workload_settings(false, int(state.range(0)));
  const std::vector<Camera> cameras = ring(4);
  const std::size_t vertices = mesh.positions.size();
  std::vector<glm::vec3> screen(vertices * cameras.size());
  std::vector<glm::vec2> depth_range;
  for (std::size_t view = 0; view < cameras.size(); ++view) {
    detail::project<float>(mesh.positions, detail::CameraT<float>(cameras[view]), float(s.width) / s.height,
                           std::span(screen).subspan(view * vertices, vertices));
    depth_range.push_back({cameras[view].near, cameras[view].far});
  }
  detail::RasterScene<float> scene;
  scene.views = int(cameras.size());
  scene.screen = screen;
  scene.triangles = mesh.triangles;
  scene.colors = mesh.colors;
  scene.depth_range = depth_range;
  std::string reason;
  const std::unique_ptr<detail::RasterBackend> backend = detail::make_cuda_backend(reason);
  std::vector<float> images(cameras.size() * s.width * s.height * 4), upstream(images.size(), 1.0f);
  std::vector<glm::vec3> dL_dscreen(screen.size()), dL_dcolors(vertices);
  const bool with_backward = state.range(1) != 0;
  for (auto _ : state) {
    backend->forward(scene, s, images);
    if (with_backward) backend->backward(upstream, dL_dscreen, dL_dcolors);
    benchmark::DoNotOptimize(images.data());
  }
  state.counters["pairs/s"] =
      benchmark::Counter(candidate_pairs(mesh, cameras, s), benchmark::Counter::kIsIterationInvariantRate);
  add_fp32_peak(state, mesh, cameras, s, with_backward);
}
BENCHMARK(BM_CudaRasterOnlySpot4Views)
    ->ArgNames({"size", "backward"})
    ->ArgsProduct({{256, 512, 1024}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The first forward of a new renderer: device buffers allocated, the CUDA context already up.
void BM_CudaFirstForwardSpot4x512(benchmark::State& state) {
  if (skip_without_device(state)) return;
  const RasterSettings s = workload_settings(false, 512);
  const std::vector<Camera> cameras = ring(4);
  for (auto _ : state) {
    Renderer renderer(Backend::cuda);
    benchmark::DoNotOptimize(renderer.forward(spot(), cameras, s).rgba.data());
  }
}
BENCHMARK(BM_CudaFirstForwardSpot4x512)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace penumbra::bench

BENCHMARK_MAIN();
