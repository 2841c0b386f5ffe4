#include "backend_selection.h"

#include "penumbra/core/parallel_for.h"
#include "penumbra/error.h"
#ifdef PENUMBRA_HAVE_VULKAN
#include "vulkan/vulkan_backend.h"
#endif
#ifdef PENUMBRA_HAVE_CUDA
#include "cuda/cuda_backend.h"
#include "cuda/cuda_device.h"
#endif

namespace penumbra::detail {

BackendChoice create_backend(Backend requested, const RendererOptions& options) {
  BackendChoice choice;
  switch (requested) {
    case Backend::cpu:
      choice.reason = "requested";
      break;
    case Backend::automatic: {
#ifdef PENUMBRA_HAVE_CUDA
      // An NVIDIA GPU runs the CUDA backend first; without a usable CUDA device auto goes on to Vulkan and the CPU.
      std::string cuda_note = cuda_unavailable_reason();
      if (cuda_note.empty()) {
        try {
          choice.raster = make_cuda_backend(choice.reason);
          choice.backend = Backend::cuda;
          choice.reason = "auto: " + choice.reason;
          return choice;
        } catch (const Error& error) {
          cuda_note = error.problem();
        }
      }
#endif
#ifdef PENUMBRA_HAVE_VULKAN
      // A Vulkan GPU beats the CPU backend; a CPU Vulkan driver (lavapipe) does not.
      const VulkanProbe probe = probe_vulkan();
      if (probe.gpu) {
        try {
          choice.raster = make_vulkan_backend(choice.reason);
          choice.backend = Backend::vulkan;
          choice.reason = "auto: " + choice.reason;
          return choice;
        } catch (const Error& error) {
          choice.reason = "auto: the Vulkan GPU " + probe.description + " failed (" + error.problem() +
                          "); using the CPU";
        }
      } else {
        choice.reason = "auto: no Vulkan GPU (" + probe.description + "); using the CPU";
      }
#else
      choice.reason = "auto: no GPU backend is built in; using the CPU";
#endif
#ifdef PENUMBRA_HAVE_CUDA
      choice.reason += " (CUDA: " + cuda_note + ")";
#endif
      break;
    }
    case Backend::vulkan:
#ifdef PENUMBRA_HAVE_VULKAN
      choice.raster = make_vulkan_backend(choice.reason);
      choice.backend = Backend::vulkan;
      return choice;
#endif
    case Backend::cuda:
#ifdef PENUMBRA_HAVE_CUDA
      if (requested == Backend::cuda) {
        choice.raster = make_cuda_backend(choice.reason);
        choice.backend = Backend::cuda;
        return choice;
      }
#endif
      throw Error("the " + std::string(name(requested)) + " backend is not built into this Penumbra",
                  "backend", "use --backend cpu or auto");
  }
  choice.backend = Backend::cpu;
  const int threads = core::thread_count(options.threads);
  choice.reason += "; " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
  choice.raster = make_cpu_backend(threads);
  return choice;
}

}  // namespace penumbra::detail
