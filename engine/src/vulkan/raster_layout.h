#pragma once
// The host's view of shaders/raster_io.glsl, with the std430 sizes and offsets that the shaders assume.
#include <cstddef>

#include "raster_io.glsl"

namespace penumbra::vulkan::io {

static_assert(sizeof(Face) == 56 && offsetof(Face, z0) == 24 && offsetof(Face, colored) == 36 &&
                  offsetof(Face, x0) == 40 && offsetof(Face, y1) == 52,
              "Face must match its std430 layout in shaders/raster_io.glsl");
static_assert(offsetof(Scene, dL_dcolors) == 18 * 8 && offsetof(Scene, width) == 19 * 8 &&
                  offsetof(Scene, aggregation) == 19 * 8 + 32 && offsetof(Scene, sigma) == 19 * 8 + 48 &&
                  offsetof(Scene, radius) == 19 * 8 + 80 && offsetof(Scene, background_b) == 19 * 8 + 96 &&
                  sizeof(Scene) == 19 * 8 + 104,
              "Scene must match its std430 layout in shaders/raster_io.glsl");
static_assert(offsetof(PushArgs, count) == 48 && sizeof(PushArgs) == 64 && sizeof(PushArgs) <= 128,
              "PushArgs must match shaders/raster_io.glsl and fit the 128 bytes every device offers");

}  // namespace penumbra::vulkan::io
