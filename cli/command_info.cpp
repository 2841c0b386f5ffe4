// `penumbra info`: the default thread count, backends, distributions and aggregations with their parameters and
// defaults.
#include <cstdio>

#include "commands.h"
#include "penumbra/renderer.h"
#include "penumbra/settings.h"
#include "penumbra/core/threads.h"
#include "raster_options.h"

namespace penumbra::cli {

void add_info_command(CLI::App& app) {
  CLI::App* command =
      app.add_subcommand("info", "List the thread count, backends, coverage distributions and aggregations");
  command->callback([] {
    const RasterSettings defaults;
    const core::ThreadAllowance threads = core::thread_allowance();
    std::printf("threads: %d (%s; --threads N overrides)\n\n", threads.count, threads.source.c_str());
    std::printf("backends:\n");
    for (Backend backend : {Backend::cpu, Backend::vulkan, Backend::cuda}) {
      try {
        Renderer renderer(backend);
        std::printf("  %-8s available (%s)\n", std::string(name(backend)).c_str(),
                    renderer.backend_reason().c_str());
      } catch (const std::exception& error) {
        std::printf("  %-8s unavailable: %s\n", std::string(name(backend)).c_str(), error.what());
      }
    }
    std::printf("\ndistributions (--distribution; default %s; --sigma defaults to %g, %g with --squared):\n",
                std::string(name(defaults.distribution)).c_str(), default_sigma(false), default_sigma(true));
    for (Distribution d : all_distributions()) {
      std::printf("  %-18s %s\n", std::string(name(d)).c_str(), std::string(describe(d)).c_str());
    }
    std::printf("\naggregations (--aggregation; default %s, --p %g):\n",
                std::string(name(defaults.aggregation)).c_str(), defaults.p);
    for (Aggregation a : all_aggregations()) {
      std::printf("  %-18s %s\n", std::string(name(a)).c_str(), std::string(describe(a)).c_str());
    }
    std::printf(
        "\ncolour blend (--colors): softmax (default; --gamma %g, background epsilon %g) or hard "
        "(z-buffer)\n",
        defaults.gamma, defaults.epsilon);
  });
}

}  // namespace penumbra::cli
