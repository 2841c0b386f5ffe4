#version 460
// Forward, one invocation per pixel and one workgroup per 16x16 tile: folds the tile's faces, ascending,
// into the silhouette alpha and the softmax colour (running maximum), as the CPU backend does. Saves per
// pixel what backward needs: the softmax maximum and sum, the z-buffer winner and the max T-conorm's winner.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"
#include "raster_variant.glsl"

layout(local_size_x = kTileSize, local_size_y = kTileSize) in;

void main() {
  int col = int(gl_GlobalInvocationID.x), row = int(gl_GlobalInvocationID.y);
  uint view = gl_WorkGroupID.z;
  if (col >= scene.width || row >= scene.height) return;
  uint tile = view * uint(scene.tiles_x * scene.tiles_y) + gl_WorkGroupID.y * uint(scene.tiles_x) + gl_WorkGroupID.x;
  uint begin = scene.tile_offsets.v[tile], end = scene.tile_offsets.v[tile + 1];
  const int distribution = kDistribution;
  int aggregation = scene.aggregation;
  bool squared = scene.squared != 0, softmax = scene.softmax != 0;
  float near = scene.depth_range.v[view].x, far = scene.depth_range.v[view].y;
  vec3 background = vec3(scene.background_r, scene.background_g, scene.background_b);
  vec2 pixel = pixel_center(col, row, scene.width, scene.height);
  uint face_base = view * uint(scene.face_count);

  float state = 0.0;
  // Softmax over depth with a running maximum; the background starts it.
  float max_logit = scene.background_logit, sum = 1.0;
  vec3 accumulated = background;
  float nearest_depth = 1.0 / 0.0;
  int nearest = -1, max_face = -1;
  vec3 nearest_color = background;
  for (uint entry = begin; entry < end; ++entry) {
    uint face_id = scene.tile_faces.v[entry];
    Face face = scene.faces.v[face_base + face_id];
    if (col < face.x0 || col > face.x1 || row < face.y0 || row > face.y1) continue;
    PnFaceSample s = pn_locate_face(pixel, face.v0, face.v1, face.v2);
    if (!s.inside && s.dist2 > scene.reach2) continue;  // beyond the culling radius: D <= epsilon
    pn_finish_face(s, pixel, face.v0, face.v1, face.v2, squared);
    uvec4 tri = scene.triangles.v[face_id];
    if (!softmax && s.inside && face.colored != 0u) {
      float w0, w1, w2;
      float depth = pn_perspective(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, w0, w1, w2);
      if (depth < nearest_depth) {
        nearest_depth = depth;
        nearest = int(face_id);
        nearest_color = w0 * scene.colors.v[tri.x].rgb + w1 * scene.colors.v[tri.y].rgb +
                        w2 * scene.colors.v[tri.z].rgb;
      }
    }
    float coverage = pn_coverage(distribution, s.value / scene.sigma + scene.shift, s.inside, scene.shape,
                                 scene.log_gamma_shape);
    if (coverage <= scene.coverage_epsilon) continue;
    // The first face that reaches the final maximum takes the max T-conorm's gradient.
    if (aggregation == PN_AGG_MAX && coverage > state) max_face = int(face_id);
    state = pn_aggregate_step(aggregation, state, coverage, scene.p);
    if (!softmax || face.colored == 0u) continue;
    float w0, w1, w2;
    float depth = pn_perspective(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, w0, w1, w2);
    float logit = pn_depth_logit(depth, near, far, scene.gamma);
    if (logit > max_logit) {
      float rescale = exp(max_logit - logit);
      sum *= rescale;
      accumulated *= rescale;
      max_logit = logit;
    }
    float weight = coverage * exp(logit - max_logit);
    sum += weight;
    accumulated += weight * (w0 * scene.colors.v[tri.x].rgb + w1 * scene.colors.v[tri.y].rgb +
                             w2 * scene.colors.v[tri.z].rgb);
  }
  uint pixel_id = (view * uint(scene.height) + uint(row)) * uint(scene.width) + uint(col);
  vec3 rgb = softmax ? accumulated / sum : nearest_color;
  scene.images.v[pixel_id] = vec4(rgb, pn_aggregate_finish(aggregation, state, scene.p));
  scene.pixel_state.v[pixel_id] = vec4(max_logit, sum, intBitsToFloat(nearest), intBitsToFloat(max_face));
}
