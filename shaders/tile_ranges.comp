#version 460
// After the sort: every tile's range of sorted pairs (the first sorted index whose key reaches the tile),
// and the face of every sorted pair. Invocation i handles the keys between sorted pairs i - 1 and i.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

layout(local_size_x = kGroupSize) in;

void main() {
  uint i = linear_invocation();
  uint pairs = binned_pairs();
  if (i > pairs) return;
  int key_count = scene.views * scene.tiles_x * scene.tiles_y;
  // Loads stay in bounds even if the compiler turns the choices below into selects.
  int previous = int(args.in_keys.v[max(i, 1u) - 1u]);
  int next = int(args.in_keys.v[min(i, max(pairs, 1u) - 1u)]);
  if (i == 0) previous = -1;
  if (i == pairs) next = key_count;
  for (int key = previous + 1; key <= next; ++key) scene.tile_offsets.v[key] = i;
  if (i < pairs) scene.tile_faces.v[i] = scene.pair_faces.v[args.in_values.v[i]];
}
