#version 460
// Backward: each vertex gathers its faces' corner gradients through the vertex -> face adjacency (faces
// ascending, views in order), so no atomics are needed and the sums have the same bits on every run.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"

layout(local_size_x = kGroupSize) in;

void main() {
  uint vertex = linear_invocation();
  if (vertex >= uint(scene.vertex_count)) return;
  uint begin = scene.adjacency_offsets.v[vertex], end = scene.adjacency_offsets.v[vertex + 1];
  vec3 dL_dcolor = vec3(0.0);
  for (int view = 0; view < scene.views; ++view) {
    vec3 dL_dscreen = vec3(0.0);
    for (uint entry = begin; entry < end; ++entry) {
      uint corner = scene.adjacency.v[entry];
      uint face_base = (uint(view * scene.face_count) + corner / 3u) * uint(kGradientFloats);
      uint position = face_base + (corner % 3u) * 3u;
      uint color = position + 9u;
      Floats g = scene.face_gradients;
      dL_dscreen += vec3(g.v[position], g.v[position + 1u], g.v[position + 2u]);
      dL_dcolor += vec3(g.v[color], g.v[color + 1u], g.v[color + 2u]);
    }
    scene.dL_dscreen.v[uint(view * scene.vertex_count) + vertex] = vec4(dL_dscreen, 0.0);
  }
  scene.dL_dcolors.v[vertex] = vec4(dL_dcolor, 0.0);
}
