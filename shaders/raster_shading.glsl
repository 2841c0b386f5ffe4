// The shading maths of engine/kernels/shading.h for the Vulkan backend, which shades unlit vertex colours
// only (the Renderer refuses lit models and textures on it): no texture is bound, so a texel reads white.
#ifndef PENUMBRA_SHADERS_RASTER_SHADING_GLSL
#define PENUMBRA_SHADERS_RASTER_SHADING_GLSL

struct PnTexels {
  int unused;
};
vec3 pn_texel(PnTexels T, int index) { return vec3(1.0); }

#include "kernels/shading.h"

#endif  // PENUMBRA_SHADERS_RASTER_SHADING_GLSL
