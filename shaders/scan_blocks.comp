#version 460
// Exclusive prefix sum, first step: each workgroup scans its block of kScanBlock elements in place and
// writes the block's total to the sums array (scanned next, then added back by scan_add.comp).
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

const int kThreads = 256;
const int kPerThread = kScanBlock / kThreads;
layout(local_size_x = kThreads) in;

shared uint partial[kThreads];

void main() {
  Uints data = args.in_keys;
  uint count = args.count;
  uint block = linear_workgroup();
  if (block * uint(kScanBlock) >= count) return;  // padding workgroup of the two-dimensional launch
  uint first = block * uint(kScanBlock) + gl_LocalInvocationID.x * uint(kPerThread);
  // Each invocation scans its own run of consecutive elements.
  uint values[kPerThread];
  uint running = 0;
  for (int k = 0; k < kPerThread; ++k) {
    uint index = first + uint(k);
    uint value = 0;
    if (index < count) value = data.v[index];  // a branch, not a select: never load past the end
    values[k] = running;
    running += value;
  }
  partial[gl_LocalInvocationID.x] = running;
  barrier();
  // Hillis-Steele inclusive scan of the invocations' totals.
  for (uint stride = 1; stride < uint(kThreads); stride *= 2) {
    uint add = gl_LocalInvocationID.x >= stride ? partial[gl_LocalInvocationID.x - stride] : 0u;
    barrier();
    partial[gl_LocalInvocationID.x] += add;
    barrier();
  }
  uint offset = partial[gl_LocalInvocationID.x] - running;
  for (int k = 0; k < kPerThread; ++k) {
    uint index = first + uint(k);
    if (index < count) data.v[index] = values[k] + offset;
  }
  if (gl_LocalInvocationID.x == uint(kThreads - 1)) args.in_values.v[block] = partial[kThreads - 1];
}
