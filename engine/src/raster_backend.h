#pragma once
// The interface every backend implements: screen-space rasterisation forward and backward in float32.
// Projection and the camera chain run on the host (engine/src/projection.h) for every backend.
#include <memory>
#include <span>

#include <glm/glm.hpp>

#include "penumbra/settings.h"
#include "raster_scene.h"

namespace penumbra::detail {

class RasterBackend {
 public:
  virtual ~RasterBackend() = default;
  /// Renders `scene` into `images` ([views][height][width][4]).
  virtual void forward(const RasterScene<float>& scene, const RasterSettings& settings,
                       std::span<float> images) = 0;
  /// Gradients for the inputs of the last forward: dL/dscreen [views][vertices], dL/dcolors [vertices].
  virtual void backward(std::span<const float> dL_dimages, std::span<glm::vec3> dL_dscreen,
                        std::span<glm::vec3> dL_dcolors) = 0;
  /// Whether forward evaluates RasterScene's shading (lit models, textures); the others draw unlit colours.
  virtual bool shades() const { return false; }
  /// dL/d(the appearance inputs) of the last backward, on backends that shade; nullptr on the others.
  virtual const SurfaceGradients<float>* surface_gradients() const { return nullptr; }
};

std::unique_ptr<RasterBackend> make_cpu_backend(int threads);

}  // namespace penumbra::detail
