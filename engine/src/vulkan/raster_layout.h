#pragma once
// The host's view of shaders/raster_io.glsl, with the std430 sizes and offsets that the shaders assume.
#include <cstddef>

#include "raster_io.glsl"

namespace penumbra::detail::vulkan::io {

static_assert(sizeof(PnFace) == 56 && offsetof(PnFace, z0) == 24 && offsetof(PnFace, colored) == 36 &&
                  offsetof(PnFace, x0) == 40 && offsetof(PnFace, y1) == 52,
              "PnFace must match its std430 layout in shaders/raster_io.glsl");
static_assert(sizeof(PnRasterParams) == 22 * 4 && offsetof(PnRasterParams, sigma) == 8 * 4 &&
                  offsetof(PnRasterParams, reach2) == 20 * 4,
              "PnRasterParams must be 4-byte fields only, as std430 lays them out");
static_assert(offsetof(Scene, dL_dcolors) == 18 * 8 && offsetof(Scene, width) == 19 * 8 &&
                  offsetof(Scene, params) == 19 * 8 + 32 && sizeof(Scene) == 19 * 8 + 32 + 22 * 4,
              "Scene must match its std430 layout in shaders/raster_io.glsl");
static_assert(offsetof(PushArgs, count) == 48 && sizeof(PushArgs) == 64 && sizeof(PushArgs) <= 128,
              "PushArgs must match shaders/raster_io.glsl and fit the 128 bytes every device offers");

}  // namespace penumbra::detail::vulkan::io
