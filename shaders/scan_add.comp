#version 460
// Exclusive prefix sum, last step: adds each block's scanned offset to its elements.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

const int kThreads = 256;
layout(local_size_x = kThreads) in;

void main() {
  uint block = linear_workgroup();
  if (block * uint(kScanBlock) >= args.count) return;  // padding workgroup of the two-dimensional launch
  uint offset = args.in_values.v[block];
  uint first = block * uint(kScanBlock) + gl_LocalInvocationID.x;
  for (int k = 0; k < kScanBlock / kThreads; ++k) {
    uint index = first + uint(k * kThreads);
    if (index < args.count) args.in_keys.v[index] += offset;
  }
}
