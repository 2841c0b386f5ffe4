// Creates the CUDA backend where a device can run it; compiled by the C++ compiler, no CUDA headers.
#include "cuda/cuda_backend.h"

#include "cuda/cuda_device.h"
#include "cuda/cuda_rasterizer.h"
#include "penumbra/error.h"

namespace penumbra::detail {

std::unique_ptr<RasterBackend> make_cuda_backend(std::string& reason) {
  const std::string unavailable = cuda_unavailable_reason();
  if (!unavailable.empty()) {
    throw Error("the CUDA backend cannot run: " + unavailable, "backend",
                "use --backend vulkan, cpu or auto");
  }
  reason = "CUDA device " + cuda_device_info().description();
  return std::make_unique<cuda::CudaRasterizer>();
}

}  // namespace penumbra::detail
