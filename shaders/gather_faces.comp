#version 460
// Backward: each face's gradient, the sum of its pairs' partial gradients in tile order (deterministic).
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

layout(local_size_x = kGroupSize) in;

void main() {
  uint face_id = linear_invocation();
  if (face_id >= uint(scene.face_count)) return;
  uint index = gl_WorkGroupID.z * uint(scene.face_count) + face_id;
  uint begin = scene.pair_offsets.v[index], end = scene.pair_offsets.v[index + 1];
  float total[kGradientFloats];
  for (int k = 0; k < kGradientFloats; ++k) total[k] = 0.0;
  for (uint pair = begin; pair < end; ++pair) {
    for (int k = 0; k < kGradientFloats; ++k) total[k] += scene.pair_gradients.v[pair * uint(kGradientFloats) + uint(k)];
  }
  for (int k = 0; k < kGradientFloats; ++k) scene.face_gradients.v[index * uint(kGradientFloats) + uint(k)] = total[k];
}
