// Adapts CudaRasterizer to the RasterBackend interface; compiled by the C++ compiler, no CUDA headers.
#include "cuda/cuda_backend.h"

#include "cuda/cuda_device.h"
#include "cuda/cuda_rasterizer.h"
#include "penumbra/error.h"

namespace penumbra::detail {
namespace {

class CudaBackend final : public RasterBackend {
 public:
  void forward(const RasterScene<float>& scene, const RasterSettings& settings, std::span<float> images) override {
    rasterizer_.forward(scene, settings, images);
  }

  void backward(std::span<const float> dL_dimages, std::span<glm::vec3> dL_dscreen,
                std::span<glm::vec3> dL_dcolors) override {
    rasterizer_.backward(dL_dimages, dL_dscreen, dL_dcolors);
  }

 private:
  cuda::CudaRasterizer rasterizer_;
};

}  // namespace

std::unique_ptr<RasterBackend> make_cuda_backend(std::string& reason) {
  const std::string unavailable = cuda_unavailable_reason();
  if (!unavailable.empty()) {
    throw Error("the CUDA backend cannot run: " + unavailable, "backend", "use --backend vulkan, cpu or auto");
  }
  reason = "CUDA device " + cuda_device_info().description();
  return std::make_unique<CudaBackend>();
}

}  // namespace penumbra::detail
