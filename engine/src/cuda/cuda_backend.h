#pragma once
// The CUDA backend behind the RasterBackend interface (built only with PENUMBRA_HAVE_CUDA).
#include <memory>
#include <string>

#include "raster_backend.h"

namespace penumbra::detail {

/// The CUDA backend on the current device; `reason` receives a description of the device. Throws
/// penumbra::Error saying why when no CUDA device can run it.
std::unique_ptr<RasterBackend> make_cuda_backend(std::string& reason);

}  // namespace penumbra::detail
