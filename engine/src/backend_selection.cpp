#include "backend_selection.h"

#include "cpu/parallel_for.h"
#include "penumbra/error.h"

namespace penumbra::detail {

BackendChoice create_backend(Backend requested, const RendererOptions& options) {
  const int threads = options.threads > 0 ? options.threads : hardware_threads();
  BackendChoice choice;
  switch (requested) {
    case Backend::cpu:
      choice.reason = "requested";
      break;
    case Backend::automatic:
      choice.reason = "no GPU backend is built in; using the CPU";
      break;
    case Backend::vulkan:
    case Backend::cuda:
      throw Error("the " + std::string(name(requested)) + " backend is not built into this Penumbra",
                  "backend", "use --backend cpu or auto");
  }
  choice.backend = Backend::cpu;
  choice.raster = make_cpu_backend(threads);
  return choice;
}

}  // namespace penumbra::detail
