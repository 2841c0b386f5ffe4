#version 460
// Binning's fill, one invocation per (face, view): writes a (tile key, face) pair for every tile of the
// face's box, row by row, at the face's scanned offset. Pairs thus come out in face order; a stable sort
// by tile key then lists every tile's faces ascending.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

layout(local_size_x = kGroupSize) in;

void main() {
  uint face_id = linear_invocation();
  uint view = gl_WorkGroupID.z;
  if (face_id >= uint(scene.face_count)) return;
  uint index = view * uint(scene.face_count) + face_id;
  PnFace face = scene.faces.v[index];
  if (face.x1 < face.x0 || face.y1 < face.y0) return;
  uint pair = scene.pair_offsets.v[index];
  uint view_key = view * uint(scene.tiles_x * scene.tiles_y);
  // Pairs past the capacity are dropped; the host sees the total, grows the buffers and renders again.
  for (int ty = face.y0 / kTileSize; ty <= face.y1 / kTileSize; ++ty) {
    for (int tx = face.x0 / kTileSize; tx <= face.x1 / kTileSize; ++tx) {
      if (pair < uint(scene.pair_capacity)) {
        scene.pair_keys.v[pair] = view_key + uint(ty * scene.tiles_x + tx);
        scene.pair_faces.v[pair] = face_id;
      }
      ++pair;
    }
  }
}
