#version 460
// Forward, one invocation per pixel and one workgroup per 16x16 tile: folds the tile's faces, ascending, into
// the pixel (kernels/pixel_forward.h). Saves per pixel what backward needs: the softmax maximum and sum, the
// z-buffer winner and the max T-conorm's winner.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"
#include "raster_variant.glsl"
#include "raster_shading.glsl"
#include "kernels/pixel_forward.h"

layout(local_size_x = kTileSize, local_size_y = kTileSize) in;

void main() {
  int col = int(gl_GlobalInvocationID.x), row = int(gl_GlobalInvocationID.y);
  uint view = gl_WorkGroupID.z;
  if (col >= scene.width || row >= scene.height) return;
  uint tile = view * uint(scene.tiles_x * scene.tiles_y) + gl_WorkGroupID.y * uint(scene.tiles_x) + gl_WorkGroupID.x;
  uint begin = scene.tile_offsets.v[tile], end = scene.tile_offsets.v[tile + 1];
  float near = scene.depth_range.v[view].x, far = scene.depth_range.v[view].y;
  vec2 pixel = pn_pixel_center(col, row, scene.width, scene.height);
  uint face_base = view * uint(scene.face_count);

  PnPixelFold fold = pn_fold_begin(scene.params);
  PnShading unlit = pn_shading_unlit();
  PnTexels no_texture;
  no_texture.unused = 0;
  for (uint entry = begin; entry < end; ++entry) {
    uint face_id = scene.tile_faces.v[entry];
    PnFace face = scene.faces.v[face_base + face_id];
    if (col < face.x0 || col > face.x1 || row < face.y0 || row > face.y1) continue;
    PnFaceSample s;
    if (!pn_reach_face(scene.params, pixel, face, s)) continue;
    uvec4 tri = scene.triangles.v[face_id];
    pn_fold_face(fold, scene.params, s, face, int(face_id), near, far, unlit, no_texture,
                 pn_surface_of_colors(scene.colors.v[tri.x].rgb, scene.colors.v[tri.y].rgb,
                                      scene.colors.v[tri.z].rgb));
  }
  vec3 rgb;
  float alpha;
  pn_fold_finish(fold, scene.params, rgb, alpha);
  uint pixel_id = (view * uint(scene.height) + uint(row)) * uint(scene.width) + uint(col);
  scene.images.v[pixel_id] = vec4(rgb, alpha);
  scene.pixel_state.v[pixel_id] =
      vec4(fold.max_logit, fold.sum, intBitsToFloat(fold.nearest_face), intBitsToFloat(fold.max_face));
}
