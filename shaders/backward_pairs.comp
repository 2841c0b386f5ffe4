#version 460
// Backward, one invocation per (face, tile) pair: the face's gradient summed over the tile's pixels in
// row-major order, recomputing the per-face terms from what forward saved per pixel. Pairs are visited in
// face order (before the sort), so gather_faces.comp reads each face's tiles contiguously and in order.
#extension GL_GOOGLE_include_directive : require
#include "raster_common.glsl"
#include "raster_variant.glsl"

layout(local_size_x = kGroupSize) in;

void main() {
  uint pair = linear_invocation();
  if (pair >= binned_pairs()) return;
  uint tiles_per_view = uint(scene.tiles_x * scene.tiles_y);
  uint key = scene.pair_keys.v[pair];
  uint face_id = scene.pair_faces.v[pair];
  uint view = key / tiles_per_view, tile = key % tiles_per_view;
  int tx = int(tile) % scene.tiles_x, ty = int(tile) / scene.tiles_x;
  Face face = scene.faces.v[view * uint(scene.face_count) + face_id];
  uvec4 tri = scene.triangles.v[face_id];
  vec3 c0 = scene.colors.v[tri.x].rgb, c1 = scene.colors.v[tri.y].rgb, c2 = scene.colors.v[tri.z].rgb;
  const int distribution = kDistribution;
  int aggregation = scene.aggregation;
  bool squared = scene.squared != 0, softmax = scene.softmax != 0;
  float near = scene.depth_range.v[view].x, far = scene.depth_range.v[view].y;
  float dlogit_ddepth = -1.0 / ((far - near) * scene.gamma);

  vec3 dL_dposition0 = vec3(0.0), dL_dposition1 = vec3(0.0), dL_dposition2 = vec3(0.0);
  vec3 dL_dcolor0 = vec3(0.0), dL_dcolor1 = vec3(0.0), dL_dcolor2 = vec3(0.0);
  int row_end = min(min((ty + 1) * kTileSize, scene.height) - 1, face.y1);
  int col_end = min(min((tx + 1) * kTileSize, scene.width) - 1, face.x1);
  for (int row = max(ty * kTileSize, face.y0); row <= row_end; ++row) {
    for (int col = max(tx * kTileSize, face.x0); col <= col_end; ++col) {
      uint pixel_id = (view * uint(scene.height) + uint(row)) * uint(scene.width) + uint(col);
      vec4 upstream = scene.dL_dimages.v[pixel_id];
      vec3 dL_dcolor = upstream.rgb;
      float dL_dalpha = upstream.a;
      if (dL_dalpha == 0.0 && dL_dcolor == vec3(0.0)) continue;
      vec4 image = scene.images.v[pixel_id];
      vec4 saved = scene.pixel_state.v[pixel_id];
      float max_logit = saved.x, sum = saved.y;
      vec2 pixel = pixel_center(col, row, scene.width, scene.height);
      PnFaceSample s = pn_locate_face(pixel, face.v0, face.v1, face.v2);
      if (!s.inside && s.dist2 > scene.reach2) continue;  // beyond the culling radius: D <= epsilon
      pn_finish_face(s, pixel, face.v0, face.v1, face.v2, squared);
      vec2 g0 = vec2(0.0), g1 = vec2(0.0), g2 = vec2(0.0);
      if (!softmax && floatBitsToInt(saved.z) == int(face_id)) {
        // Hard colour: the z-buffer winner's interpolated colour, differentiable inside the face through
        // the vertex colours, the barycentrics and the perspective-correct weights.
        float w0, w1, w2;
        float depth = pn_perspective(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, w0, w1, w2);
        dL_dcolor0 += w0 * dL_dcolor;
        dL_dcolor1 += w1 * dL_dcolor;
        dL_dcolor2 += w2 * dL_dcolor;
        float dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2;
        pn_perspective_backward(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, depth, w0, w1, w2, 0.0,
                                dot(dL_dcolor, c0), dot(dL_dcolor, c1), dot(dL_dcolor, c2), dL_db0, dL_db1,
                                dL_db2, dL_dz0, dL_dz1, dL_dz2);
        dL_dposition0.z += dL_dz0;
        dL_dposition1.z += dL_dz1;
        dL_dposition2.z += dL_dz2;
        pn_barycentric_backward(s, pixel, face.v0, face.v1, face.v2, dL_db0, dL_db1, dL_db2, g0, g1, g2);
      }
      float argument = s.value / scene.sigma + scene.shift;
      float coverage = pn_coverage(distribution, argument, s.inside, scene.shape, scene.log_gamma_shape);
      if (coverage <= scene.coverage_epsilon) {
        dL_dposition0.xy += g0;
        dL_dposition1.xy += g1;
        dL_dposition2.xy += g2;
        continue;
      }

      float dL_dcoverage = dL_dalpha * pn_aggregate_gradient(aggregation, image.a, coverage, scene.p);
      if (aggregation == PN_AGG_MAX && floatBitsToInt(saved.w) == int(face_id)) dL_dcoverage += dL_dalpha;
      if (softmax && face.colored != 0u) {
        float w0, w1, w2;
        float depth = pn_perspective(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, w0, w1, w2);
        vec3 face_color = w0 * c0 + w1 * c1 + w2 * c2;
        float exponential = exp(pn_depth_logit(depth, near, far, scene.gamma) - max_logit);
        float weight = coverage * exponential;
        // I = sum(weight_j c_j) / sum  =>  dI/dweight_j = (c_j - I) / sum.
        float dL_dweight = dot(dL_dcolor, face_color - image.rgb) / sum;
        dL_dcoverage += dL_dweight * exponential;
        float dL_ddepth = dL_dweight * weight * dlogit_ddepth;
        vec3 dL_dface_color = dL_dcolor * (weight / sum);
        dL_dcolor0 += w0 * dL_dface_color;
        dL_dcolor1 += w1 * dL_dface_color;
        dL_dcolor2 += w2 * dL_dface_color;
        float dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2;
        pn_perspective_backward(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, depth, w0, w1, w2, dL_ddepth,
                                dot(dL_dface_color, c0), dot(dL_dface_color, c1), dot(dL_dface_color, c2),
                                dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2);
        dL_dposition0.z += dL_dz0;
        dL_dposition1.z += dL_dz1;
        dL_dposition2.z += dL_dz2;
        pn_barycentric_backward(s, pixel, face.v0, face.v1, face.v2, dL_db0, dL_db1, dL_db2, g0, g1, g2);
      }
      if (dL_dcoverage != 0.0) {
        float dL_dvalue =
            dL_dcoverage * pn_coverage_density(distribution, argument, scene.shape, scene.log_gamma_shape) /
            scene.sigma;
        pn_value_backward(s, pixel, squared, dL_dvalue, g0, g1, g2);
      }
      dL_dposition0.xy += g0;
      dL_dposition1.xy += g1;
      dL_dposition2.xy += g2;
    }
  }
  uint out_base = pair * uint(kGradientFloats);
  float gradient[kGradientFloats] = float[](
      dL_dposition0.x, dL_dposition0.y, dL_dposition0.z, dL_dposition1.x, dL_dposition1.y, dL_dposition1.z,
      dL_dposition2.x, dL_dposition2.y, dL_dposition2.z, dL_dcolor0.r, dL_dcolor0.g, dL_dcolor0.b,
      dL_dcolor1.r, dL_dcolor1.g, dL_dcolor1.b, dL_dcolor2.r, dL_dcolor2.g, dL_dcolor2.b);
  for (int k = 0; k < kGradientFloats; ++k) scene.pair_gradients.v[out_base + uint(k)] = gradient[k];
}
