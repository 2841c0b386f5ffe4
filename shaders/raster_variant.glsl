// The per-pixel passes are specialised per coverage distribution (ids of engine/kernels/distributions.h): the
// driver then drops every other distribution's formulas, which keeps registers low on GPUs and the code short
// on lavapipe. The T-conorms stay a runtime choice: their formulas are short. Included before the pixel
// algorithm, which reads kDistribution (pn_distribution_of).
#ifndef PENUMBRA_SHADERS_RASTER_VARIANT_GLSL
#define PENUMBRA_SHADERS_RASTER_VARIANT_GLSL

layout(constant_id = 0) const int kDistribution = 0;

#endif  // PENUMBRA_SHADERS_RASTER_VARIANT_GLSL
