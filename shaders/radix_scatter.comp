#version 460
// Stable LSD radix sort, per digit: move kRadixBlock consecutive pairs, in order, to the slots the scanned
// histogram gives their (digit, block). Values are pair indices (the first pass makes them up).
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

const int kDigits = 1 << kRadixBits;
layout(local_size_x = kGroupSize) in;

void main() {
  uint block = linear_invocation();
  if (block >= args.blocks) return;
  uint pairs = binned_pairs();
  uint cursor[kDigits];
  for (int d = 0; d < kDigits; ++d) cursor[d] = args.histogram.v[uint(d) * args.blocks + block];
  uint begin = block * uint(kRadixBlock);
  uint end = min(begin + uint(kRadixBlock), pairs);
  for (uint i = begin; i < end; ++i) {
    uint key = args.in_keys.v[i];
    uint value = i;
    if (args.first_pass == 0u) value = args.in_values.v[i];
    uint slot = cursor[(key >> args.shift) & uint(kDigits - 1)]++;
    args.out_keys.v[slot] = key;
    args.out_values.v[slot] = value;
  }
}
