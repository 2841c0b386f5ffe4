// The CPU backend: the reference rasteriser in float32 on all cores.
#include "cpu/cpu_rasterizer.h"
#include "raster_backend.h"

namespace penumbra::detail {
namespace {

class CpuBackend final : public RasterBackend {
 public:
  explicit CpuBackend(int threads) : rasterizer_(threads) {}

  void forward(const RasterScene<float>& scene, const RasterSettings& settings,
               std::span<float> images) override {
    rasterizer_.forward(scene, settings, images);
  }

  void backward(std::span<const float> dL_dimages, std::span<glm::vec3> dL_dscreen,
                std::span<glm::vec3> dL_dcolors) override {
    rasterizer_.backward(dL_dimages, dL_dscreen, dL_dcolors);
  }

  bool shades() const override { return true; }
  const SurfaceGradients<float>* surface_gradients() const override {
    return &rasterizer_.surface_gradients();
  }

 private:
  cpu::CpuRasterizer<float> rasterizer_;
};

}  // namespace

std::unique_ptr<RasterBackend> make_cpu_backend(int threads) { return std::make_unique<CpuBackend>(threads); }

template class cpu::CpuRasterizer<float>;

}  // namespace penumbra::detail
