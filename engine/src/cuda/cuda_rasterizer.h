#pragma once
// The CUDA rasteriser: the CPU rasteriser's pipeline (face setup, exact tile binning, forward per tile,
// backward over the same lists, deterministic gathers) on one GPU. Device buffers live as long as the object
// and only grow; a forward reads back one number (the binning total) before its images, a backward nothing
// before its gradients. Plain C++ interface: the CUDA types stay inside the .cu files.
#include <cstdint>
#include <memory>
#include <span>

#include <glm/glm.hpp>

#include "penumbra/settings.h"
#include "raster_backend.h"
#include "raster_scene.h"

namespace penumbra::detail::cuda {

class CudaRasterizer final : public RasterBackend {
 public:
  /// Uses the current CUDA device; throws penumbra::Error if it cannot create its stream.
  CudaRasterizer();
  ~CudaRasterizer() override;
  CudaRasterizer(const CudaRasterizer&) = delete;
  CudaRasterizer& operator=(const CudaRasterizer&) = delete;

  /// Renders into `images` ([views][height][width][4]: rgb, alpha).
  void forward(const RasterScene<float>& scene, const RasterSettings& settings,
               std::span<float> images) override;

  /// Given dL/dimages of the last forward, writes dL/dscreen ([views][vertices]) and dL/dcolors ([vertices]).
  void backward(std::span<const float> dL_dimages, std::span<glm::vec3> dL_dscreen,
                std::span<glm::vec3> dL_dcolors) override;

  /// (tile, face) entries of the last forward's binning.
  std::uint32_t tile_entries() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace penumbra::detail::cuda
