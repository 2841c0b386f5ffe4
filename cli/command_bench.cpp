// `penumbra bench`: median forward and forward+backward time, pixel-face pair throughput and peak memory
// for a mesh and view set, on any backend. For quick checks; bench/ holds the Google Benchmark programs.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "number_checks.h"
#include "cli_support.h"
#include "commands.h"
#include "scene_options.h"
#include "threads_option.h"

namespace penumbra::cli {
namespace {

struct BenchOptions {
  std::string mesh = "icosphere:4";
  int repetitions = 5;
  RasterOptions raster{"256x256"};
  int threads = 0;
  CameraOptions camera;
};

double median_ms(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

double peak_resident_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // Linux reports kilobytes
}

void run(const BenchOptions& options) {
  if (options.repetitions < 1 || options.repetitions > 1000) {
    throw UsageError{"--repetitions " + std::to_string(options.repetitions) +
                     " is out of range; use 1 to 1000"};
  }
  const RasterSettings settings = options.raster.settings();
  const std::vector<Camera> cameras = options.camera.cameras();
  Mesh mesh = load_mesh_argument(options.mesh, true);
  ensure_colors(mesh);
  const double baseline_mb = peak_resident_mb();

  Renderer renderer(options.raster.parsed_backend(), RendererOptions{.threads = options.threads});
  Images upstream(int(cameras.size()), settings.height, settings.width, 1.0f);
  std::vector<double> forward, forward_backward;
  using clock = std::chrono::steady_clock;
  for (int repetition = 0; repetition <= options.repetitions; ++repetition) {
    const auto start = clock::now();
    renderer.forward(mesh, cameras, settings);
    const auto middle = clock::now();
    renderer.backward(upstream);
    const auto end = clock::now();
    if (repetition == 0) continue;  // the first run allocates and warms up
    forward.push_back(std::chrono::duration<double, std::milli>(middle - start).count());
    forward_backward.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::printf("backend %s (%s)\n", std::string(name(renderer.backend())).c_str(),
              renderer.backend_reason().c_str());
  std::printf("%zu faces, %zu views of %dx%d, %s%s sigma %g, %s\n", mesh.triangles.size(), cameras.size(),
              settings.width, settings.height, std::string(name(settings.distribution)).c_str(),
              settings.squared ? " squared" : "", settings.sigma,
              std::string(name(settings.aggregation)).c_str());
  std::printf("median of %d: forward %.2f ms, forward+backward %.2f ms\n", options.repetitions,
              median_ms(forward), median_ms(forward_backward));
  std::printf("peak memory: %.1f MB for the process, %.1f MB above the mesh and program\n",
              peak_resident_mb(), peak_resident_mb() - baseline_mb);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* command = app.add_subcommand("bench", "Time forward and forward+backward and report peak memory");
  command->add_option("--mesh", options->mesh, "Mesh file (OBJ, OFF, STL) or icosphere:LEVEL")
      ->capture_default_str();
  command->add_option("--repetitions", options->repetitions, "Timed repetitions (median reported)")
      ->capture_default_str()
      ->check(in_range(1, 1000));
  options->raster.add_to(*command);
  add_threads_option(*command, options->threads);
  options->camera.add_to(*command);
  command->callback([options] { run(*options); });
}

}  // namespace penumbra::cli
