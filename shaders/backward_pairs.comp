#version 460
// Backward, one invocation per (face, tile) pair: the face's gradient summed over the tile's pixels in
// row-major order (kernels/pixel_backward.h per pixel, from what forward saved). Pairs are visited in face
// order (before the sort), so gather_faces.comp reads each face's tiles contiguously and in order.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"
#include "raster_variant.glsl"
#include "raster_shading.glsl"
#include "kernels/pixel_forward.h"
#include "kernels/pixel_backward.h"

layout(local_size_x = kGroupSize) in;

void main() {
  uint pair = linear_invocation();
  if (pair >= binned_pairs()) return;
  uint tiles_per_view = uint(scene.tiles_x * scene.tiles_y);
  uint key = scene.pair_keys.v[pair];
  uint face_id = scene.pair_faces.v[pair];
  uint view = key / tiles_per_view, tile = key % tiles_per_view;
  int tx = int(tile) % scene.tiles_x, ty = int(tile) / scene.tiles_x;
  PnFace face = scene.faces.v[view * uint(scene.face_count) + face_id];
  uvec4 tri = scene.triangles.v[face_id];
  vec3 c0 = scene.colors.v[tri.x].rgb, c1 = scene.colors.v[tri.y].rgb, c2 = scene.colors.v[tri.z].rgb;
  float near = scene.depth_range.v[view].x, far = scene.depth_range.v[view].y;

  PnSurface surface = pn_surface_of_colors(c0, c1, c2);
  PnShading unlit = pn_shading_unlit();
  PnTexels no_texture;
  no_texture.unused = 0;
  // Unlit and untextured: the surface and shading gradients stay zero.
  PnSurfaceGradient surface_gradient = pn_surface_gradient_zero();
  PnShadingGradient shading_gradient = pn_shading_gradient_zero();
  PnTexelGradient texel_gradient;
  PnFaceGradient g = pn_gradient_zero();
  int row_end = min(min((ty + 1) * kTileSize, scene.height) - 1, face.y1);
  int col_end = min(min((tx + 1) * kTileSize, scene.width) - 1, face.x1);
  for (int row = max(ty * kTileSize, face.y0); row <= row_end; ++row) {
    for (int col = max(tx * kTileSize, face.x0); col <= col_end; ++col) {
      uint pixel_id = (view * uint(scene.height) + uint(row)) * uint(scene.width) + uint(col);
      vec4 upstream = scene.dL_dimages.v[pixel_id];
      if (upstream == vec4(0.0)) continue;
      vec4 image = scene.images.v[pixel_id];
      vec4 saved = scene.pixel_state.v[pixel_id];
      PnPixelUpstream up;
      up.dL_dcolor = upstream.rgb;
      up.dL_dalpha = upstream.a;
      up.color = image.rgb;
      up.alpha = image.a;
      up.max_logit = saved.x;
      up.sum = saved.y;
      up.nearest_face = floatBitsToInt(saved.z);
      up.max_face = floatBitsToInt(saved.w);
      vec2 pixel = pn_pixel_center(col, row, scene.width, scene.height);
      PnFaceSample s;
      if (!pn_reach_face(scene.params, pixel, face, s)) continue;
      pn_pair_gradient(scene.params, up, s, pixel, face, int(face_id), near, far, unlit, no_texture, surface, g,
                       surface_gradient, shading_gradient, texel_gradient);
    }
  }
  uint out_base = pair * uint(kGradientFloats);
  float gradient[kGradientFloats] = float[](
      g.position0.x, g.position0.y, g.position0.z, g.position1.x, g.position1.y, g.position1.z,
      g.position2.x, g.position2.y, g.position2.z, g.color0.r, g.color0.g, g.color0.b,
      g.color1.r, g.color1.g, g.color1.b, g.color2.r, g.color2.g, g.color2.b);
  for (int k = 0; k < kGradientFloats; ++k) scene.pair_gradients.v[out_base + uint(k)] = gradient[k];
}
