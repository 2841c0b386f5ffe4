// Mesh fitting: wall time per MeshFit::step (forward + loss + backward + regularisers + Adam) on the CPU
// backend, icosphere level 2..4 templates fitted to Spot silhouettes at 64² and 128², 4 views per step.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "penumbra/learning/mesh_fit.h"
#include "penumbra/error.h"

namespace {

using namespace penumbra;

void BM_MeshFitStep(benchmark::State& state) {
  const std::filesystem::path spot = std::filesystem::path(PENUMBRA_SOURCE_DIR) / ".." / "shared" / "assets" /
                                     "spot" / "spot_triangulated.obj";
  learning::MeshFitConfig config;
  config.template_mesh = icosphere(int(state.range(0)));
  try {
    Mesh target = load_mesh(spot);
    normalize_to_unit_sphere(target);
    config.target_mesh = std::move(target);
  } catch (const Error& error) {
    state.SkipWithError(error.what());
    return;
  }
  config.raster.width = config.raster.height = int(state.range(1));
  config.raster.distribution = Distribution::uniform;
  config.raster.squared = false;
  config.sigma = learning::Schedule::constant(0.02);
  learning::MeshFit fit(config);
  for (auto _ : state) benchmark::DoNotOptimize(fit.step().loss);
  state.counters["faces"] = double(config.template_mesh.triangles.size());
}
BENCHMARK(BM_MeshFitStep)
    ->ArgsProduct({{2, 3, 4}, {64, 128}})
    ->ArgNames({"ico", "size"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
