// What every raster compute shader includes: the shared layout, the per-pixel maths of engine/kernels
// (the same source as the other backends') and small indexing helpers. The per-pixel passes add
// raster_variant.glsl and the pixel algorithm (kernels/pixel_forward.h, pixel_backward.h).
#ifndef PENUMBRA_SHADERS_RASTER_COMMON_GLSL
#define PENUMBRA_SHADERS_RASTER_COMMON_GLSL
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_buffer_reference : require

#include "raster_io.glsl"

#include "kernels/dialect.h"
#include "kernels/distributions.h"
#include "kernels/face_geometry.h"
#include "kernels/tconorms.h"
#include "kernels/face_setup.h"

// The scene block, read in place: a local copy would hold buffer references in a function variable, which
// SPIR-V allows only with aliasing decorations that glslang does not emit for structs.
#define scene (args.scene.s)

// Workgroups of one-dimensional passes (kGroupSize invocations each) are laid out in two dimensions so
// that more than 65535 fit. (gl_WorkGroupSize is avoided: lavapipe reads it as 1 when the size is a constant.)
uint linear_invocation() {
  uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
  return group * uint(kGroupSize) + gl_LocalInvocationID.x;
}

uint linear_workgroup() { return gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x; }

// Number of pairs binned by the last setup, capped by the capacity the host allocated.
uint binned_pairs() {
  return min(scene.pair_offsets.v[uint(scene.views * scene.face_count)], uint(scene.pair_capacity));
}

#endif  // PENUMBRA_SHADERS_RASTER_COMMON_GLSL
