#version 460
// Face setup, one invocation per (face, view): kernels/face_setup.h's record, and how many tiles its box
// touches (binning's first count).
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

layout(local_size_x = kGroupSize) in;

void main() {
  uint face_id = linear_invocation();
  uint view = gl_WorkGroupID.z;
  if (face_id == 0 && view == 0) scene.pair_offsets.v[uint(scene.views * scene.face_count)] = 0;
  if (face_id >= uint(scene.face_count)) return;
  uvec4 tri = scene.triangles.v[face_id];
  uint base = view * uint(scene.vertex_count);
  PnFace face = pn_setup_face(scene.screen.v[base + tri.x].xyz, scene.screen.v[base + tri.y].xyz,
                              scene.screen.v[base + tri.z].xyz, scene.depth_range.v[view].x, scene.params,
                              scene.width, scene.height);
  uint index = view * uint(scene.face_count) + face_id;
  scene.faces.v[index] = face;
  uint tiles = 0;
  if (face.x1 >= face.x0 && face.y1 >= face.y0) {
    uint columns = uint(face.x1 / kTileSize - face.x0 / kTileSize + 1);
    uint rows = uint(face.y1 / kTileSize - face.y0 / kTileSize + 1);
    tiles = columns * rows;
  }
  scene.pair_offsets.v[index] = tiles;
}
