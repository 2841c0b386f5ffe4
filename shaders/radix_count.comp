#version 460
// Stable LSD radix sort of the pairs by tile key, per digit: count the digits of kRadixBlock consecutive
// pairs. The histogram is digit-major, so its exclusive scan gives every (digit, block) its first slot.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

const int kDigits = 1 << kRadixBits;
layout(local_size_x = kGroupSize) in;

void main() {
  uint block = linear_invocation();
  if (block >= args.blocks) return;
  uint pairs = binned_pairs();
  uint counts[kDigits];
  for (int d = 0; d < kDigits; ++d) counts[d] = 0;
  uint begin = block * uint(kRadixBlock);
  uint end = min(begin + uint(kRadixBlock), pairs);
  for (uint i = begin; i < end; ++i) ++counts[(args.in_keys.v[i] >> args.shift) & uint(kDigits - 1)];
  for (int d = 0; d < kDigits; ++d) args.histogram.v[uint(d) * args.blocks + block] = counts[d];
}
