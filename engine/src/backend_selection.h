#pragma once
// Creates the raster backend a Renderer asked for, or the best available one for Backend::automatic.
#include <memory>
#include <string>

#include "penumbra/renderer.h"
#include "raster_backend.h"

namespace penumbra::detail {

struct BackendChoice {
  std::unique_ptr<RasterBackend> raster;
  Backend backend = Backend::cpu;
  std::string reason;  ///< why this backend, e.g. "no Vulkan GPU found, using the CPU"
};

/// Throws penumbra::Error when an explicitly requested backend is unavailable, saying why.
BackendChoice create_backend(Backend requested, const RendererOptions& options);

}  // namespace penumbra::detail
