#version 460
// Face setup, one invocation per (face, view): screen triangle, depths, colour flag, the pixel box its
// culling radius can reach, and how many tiles that box touches (binning's first count).
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

layout(local_size_x = kGroupSize) in;

// Pixel index of an NDC coordinate, clamped the way the CPU backend does before its own [0, size) clamp.
int clamp_index(float value, int size) { return int(clamp(value, -1.0, float(size))); }

void main() {
  uint face_id = linear_invocation();
  uint view = gl_WorkGroupID.z;
  if (face_id == 0 && view == 0) scene.pair_offsets.v[uint(scene.views * scene.face_count)] = 0;
  if (face_id >= uint(scene.face_count)) return;
  uvec4 tri = scene.triangles.v[face_id];
  uint base = view * uint(scene.vertex_count);
  vec3 a = scene.screen.v[base + tri.x].xyz;
  vec3 b = scene.screen.v[base + tri.y].xyz;
  vec3 c = scene.screen.v[base + tri.z].xyz;
  float near = scene.depth_range.v[view].x;
  int width = scene.width, height = scene.height;

  Face face;
  face.v0 = a.xy;
  face.v1 = b.xy;
  face.v2 = c.xy;
  face.z0 = a.z;
  face.z1 = b.z;
  face.z2 = c.z;
  vec2 e1 = face.v1 - face.v0, e2 = face.v2 - face.v0;
  float signed_area = e1.x * e2.y - e1.y * e2.x;
  face.colored = (scene.cull_back_faces == 0 || signed_area > 0.0) ? 1u : 0u;
  // A face with a corner at or behind the near plane (or not finite) is not drawn: its projection is invalid.
  float coordinate_sum = a.x + a.y + b.x + b.y + c.x + c.y;
  bool drawable = min(min(a.z, b.z), c.z) >= near && !isinf(coordinate_sum) && !isnan(coordinate_sum);
  float r = scene.radius;
  float xmin = min(min(a.x, b.x), c.x) - r, xmax = max(max(a.x, b.x), c.x) + r;
  float ymin = min(min(a.y, b.y), c.y) - r, ymax = max(max(a.y, b.y), c.y) + r;
  // Pixel centre x = (2i + 1 - W) / W, so i = (x W + W - 1) / 2; rows run downwards from y = 1.
  face.x0 = max(clamp_index(ceil((xmin * float(width) + float(width) - 1.0) / 2.0), width), 0);
  face.x1 = min(clamp_index(floor((xmax * float(width) + float(width) - 1.0) / 2.0), width), width - 1);
  face.y0 = max(clamp_index(ceil((float(height) - 1.0 - ymax * float(height)) / 2.0), height), 0);
  face.y1 = min(clamp_index(floor((float(height) - 1.0 - ymin * float(height)) / 2.0), height), height - 1);
  if (!drawable) face.x1 = -1;  // an empty box: binned nowhere

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
