// One face seen from one pixel: signed distance to its boundary, the closest boundary feature,
// barycentrics and perspective-correct interpolation weights, and the exact derivatives of each.
// Screen space is NDC (x right, y up); z is camera-space depth (> near > 0).

// Never fused into a multiply-add, so that every backend decides inside tests the same way and collinear
// points give exactly zero.
PN_FN real pn_cross(real2 a, real2 b) { return pn_sub(pn_mul(a.x, b.y), pn_mul(a.y, b.x)); }

PN_FN real2 pn_pick(int k, real2 v0, real2 v1, real2 v2) { return k == 0 ? v0 : (k == 1 ? v1 : v2); }

PN_FN void pn_add_to(int k, real2 value, PN_INOUT(real2) g0, PN_INOUT(real2) g1, PN_INOUT(real2) g2) {
  if (k == 0)
    g0 += value;
  else if (k == 1)
    g1 += value;
  else
    g2 += value;
}

struct PnFaceSample {
  bool inside;      // p lies in the closed triangle (never for a zero-area face)
  real dist2;       // squared Euclidean distance from p to the boundary
  real dist;        // Euclidean distance from p to the boundary
  real2 q;          // closest boundary point
  int edge;         // the closest feature lies on the edge from vertex `edge` to vertex `edge + 1 (mod 3)`
  real t;           // ... at q = (1 - t) v_edge + t v_next
  real value;       // signed distance: +inside, -outside; sign * dist^2 when squared
  real b0, b1, b2;  // screen-space barycentrics: of p inside, of q outside (continuous at the boundary)
};

// Distance from p to the segment a-b; writes the clamped parameter of the closest point.
PN_FN real pn_segment_distance2(real2 p, real2 a, real2 b, PN_OUT(real) t) {
  real2 e = b - a;
  real ee = dot(e, e);
  t = ee > real(0) ? clamp(dot(p - a, e) / ee, real(0), real(1)) : real(0);
  real2 d = a + t * e - p;
  return dot(d, d);
}

// Sets the closest feature of a pixel outside the face from the signs of edge projections (the Voronoi
// regions of corners and edges), not by comparing distances: next to a corner those differ by (t |e|)^2, below
// float32's resolution of d^2 for far pixels and small faces. Returns false where the signs put p inside
// (rounding on the boundary); the caller then compares distances.
PN_FN bool pn_voronoi_feature(real2 p, real2 v0, real2 v1, real2 v2, PN_INOUT(PnFaceSample) s) {
  real2 e01 = v1 - v0;
  real2 e02 = v2 - v0;
  real d1 = dot(e01, p - v0);
  real d2 = dot(e02, p - v0);
  if (d1 <= real(0) && d2 <= real(0)) {  // corner 0
    s.edge = 0;
    s.t = real(0);
    return true;
  }
  real d3 = dot(e01, p - v1);
  real d4 = dot(e02, p - v1);
  if (d3 >= real(0) && d4 <= d3) {  // corner 1
    s.edge = 1;
    s.t = real(0);
    return true;
  }
  real d5 = dot(e01, p - v2);
  real d6 = dot(e02, p - v2);
  if (d6 >= real(0) && d5 <= d6) {  // corner 2
    s.edge = 2;
    s.t = real(0);
    return true;
  }
  if (d1 * d4 - d3 * d2 <= real(0) && d1 >= real(0) && d3 <= real(0)) {  // edge 0 -> 1
    s.edge = 0;
    s.t = clamp(d1 / (d1 - d3), real(0), real(1));
    return true;
  }
  if (d5 * d2 - d1 * d6 <= real(0) && d2 >= real(0) && d6 <= real(0)) {  // edge 2 -> 0
    s.edge = 2;
    s.t = clamp(real(1) - d2 / (d2 - d6), real(0), real(1));
    return true;
  }
  if (d3 * d6 - d5 * d4 <= real(0) && d4 - d3 >= real(0) && d5 - d6 >= real(0)) {  // edge 1 -> 2
    s.edge = 1;
    s.t = clamp((d4 - d3) / ((d4 - d3) + (d5 - d6)), real(0), real(1));
    return true;
  }
  return false;
}

// First half of sampling a face: the closest boundary feature, the squared distance to it and the inside
// test. Cheap enough to run before deciding whether the face reaches the pixel at all.
PN_FN PnFaceSample pn_locate_face(real2 p, real2 v0, real2 v1, real2 v2) {
  PnFaceSample s;
  // Inside test by the sub-triangle areas n_k opposite each vertex; their sum is twice the signed area.
  s.b0 = pn_cross(v1 - p, v2 - p);
  s.b1 = pn_cross(v2 - p, v0 - p);
  s.b2 = pn_cross(v0 - p, v1 - p);
  real area2 = s.b0 + s.b1 + s.b2;
  bool all_non_negative = s.b0 >= real(0) && s.b1 >= real(0) && s.b2 >= real(0);
  bool all_non_positive = s.b0 <= real(0) && s.b1 <= real(0) && s.b2 <= real(0);
  s.inside = area2 != real(0) && (all_non_negative || all_non_positive);
  if (!s.inside && area2 != real(0) && pn_voronoi_feature(p, v0, v1, v2, s)) {
    real2 a = pn_pick(s.edge, v0, v1, v2);
    real2 b = pn_pick((s.edge + 1) % 3, v0, v1, v2);
    real2 d = a + s.t * (b - a) - p;
    s.dist2 = dot(d, d);
    return s;
  }
  // Inside (the nearest edge line; distances there differ at first order) or a degenerate face: the nearest
  // of the three clamped edge projections, the first on a tie.
  real t0;
  real t1;
  real t2;
  real d0 = pn_segment_distance2(p, v0, v1, t0);
  real d1 = pn_segment_distance2(p, v1, v2, t1);
  real d2 = pn_segment_distance2(p, v2, v0, t2);
  s.edge = 0;
  s.t = t0;
  s.dist2 = d0;
  if (d1 < s.dist2) {
    s.dist2 = d1;
    s.edge = 1;
    s.t = t1;
  }
  if (d2 < s.dist2) {
    s.dist2 = d2;
    s.edge = 2;
    s.t = t2;
  }
  return s;
}

// Second half: the closest point, the signed distance value and the barycentrics. Outside the face the
// barycentrics are the closest point's or, with `clipped`, the pixel's own clipped to [0, 1] and renormalised
// (GenDR's and SoftRas's choice); both are continuous with the inside at the boundary.
PN_FN void pn_finish_face(PN_INOUT(PnFaceSample) s, real2 p, real2 v0, real2 v1, real2 v2, bool squared,
                          bool clipped) {
  real2 a = pn_pick(s.edge, v0, v1, v2);
  real2 b = pn_pick((s.edge + 1) % 3, v0, v1, v2);
  s.q = a + s.t * (b - a);
  s.dist = length(s.q - p);
  real magnitude = squared ? s.dist2 : s.dist;
  s.value = s.inside ? magnitude : -magnitude;
  real area2 = s.b0 + s.b1 + s.b2;
  if (s.inside) {
    s.b0 /= area2;
    s.b1 /= area2;
    s.b2 /= area2;
  } else if (clipped && area2 != real(0)) {
    real c0 = clamp(s.b0 / area2, real(0), real(1));
    real c1 = clamp(s.b1 / area2, real(0), real(1));
    real c2 = clamp(s.b2 / area2, real(0), real(1));
    real total = max(c0 + c1 + c2, real(1e-5));
    s.b0 = c0 / total;
    s.b1 = c1 / total;
    s.b2 = c2 / total;
  } else {
    s.b0 = real(0);
    s.b1 = real(0);
    s.b2 = real(0);
    real wa = real(1) - s.t;
    if (s.edge == 0) {
      s.b0 = wa;
      s.b1 = s.t;
    } else if (s.edge == 1) {
      s.b1 = wa;
      s.b2 = s.t;
    } else {
      s.b2 = wa;
      s.b0 = s.t;
    }
  }
}

PN_FN PnFaceSample pn_sample_face(real2 p, real2 v0, real2 v1, real2 v2, bool squared, bool clipped) {
  PnFaceSample s = pn_locate_face(p, v0, v1, v2);
  pn_finish_face(s, p, v0, v1, v2, squared, clipped);
  return s;
}

// d(value)/d(vertices) by the envelope theorem (the closest point's parameter held fixed), times dL/dvalue.
PN_FN void pn_value_backward(PnFaceSample s, real2 p, bool squared, real dL_dvalue, PN_INOUT(real2) g0,
                             PN_INOUT(real2) g1, PN_INOUT(real2) g2) {
  real sign = s.inside ? real(1) : real(-1);
  real2 direction = s.q - p;  // gradient of |q - p| w.r.t. q, before normalisation
  if (squared) {
    direction *= real(2);
  } else {
    if (s.dist <= real(0)) return;  // on the boundary: the linear distance has no gradient
    direction /= s.dist;
  }
  real2 g = (sign * dL_dvalue) * direction;
  pn_add_to(s.edge, (real(1) - s.t) * g, g0, g1, g2);
  pn_add_to((s.edge + 1) % 3, s.t * g, g0, g1, g2);
}

// dL/dn_k of the sub-areas n_k (b_k = n_k / sum n) applied to the vertices: n_k = cross(c, d) with
// c = v_{k+1} - p, d = v_{k+2} - p, so dn/dc = (d.y, -d.x) and dn/dd = (-c.y, c.x).
PN_FN void pn_subarea_backward(real2 p, real2 v0, real2 v1, real2 v2, real G0, real G1, real G2,
                               PN_INOUT(real2) g0, PN_INOUT(real2) g1, PN_INOUT(real2) g2) {
  real2 c;
  real2 d;
  c = v1 - p;
  d = v2 - p;
  g1 += G0 * real2(d.y, -d.x);
  g2 += G0 * real2(-c.y, c.x);
  c = v2 - p;
  d = v0 - p;
  g2 += G1 * real2(d.y, -d.x);
  g0 += G1 * real2(-c.y, c.x);
  c = v0 - p;
  d = v1 - p;
  g0 += G2 * real2(d.y, -d.x);
  g1 += G2 * real2(-c.y, c.x);
}

// Barycentrics' derivatives w.r.t. the vertices, applied to dL/db (the same `clipped` as pn_finish_face).
PN_FN void pn_barycentric_backward(PnFaceSample s, real2 p, real2 v0, real2 v1, real2 v2, bool clipped,
                                   real dL_db0, real dL_db1, real dL_db2, PN_INOUT(real2) g0,
                                   PN_INOUT(real2) g1, PN_INOUT(real2) g2) {
  real area2 = pn_cross(v1 - p, v2 - p) + pn_cross(v2 - p, v0 - p) + pn_cross(v0 - p, v1 - p);
  if (s.inside || (clipped && area2 != real(0))) {
    // The pixel's own barycentrics u_k = n_k / area2; outside, b = clip(u) / sum(clip(u)) first. One
    // division: the gradient tolerates the extra rounding of a reciprocal, and divisions are the slow part.
    real inverse_area2 = real(1) / area2;
    real u0 = pn_cross(v1 - p, v2 - p) * inverse_area2;
    real u1 = pn_cross(v2 - p, v0 - p) * inverse_area2;
    real u2 = pn_cross(v0 - p, v1 - p) * inverse_area2;
    real dL_du0 = dL_db0;
    real dL_du1 = dL_db1;
    real dL_du2 = dL_db2;
    if (!s.inside) {
      real c0 = clamp(u0, real(0), real(1));
      real c1 = clamp(u1, real(0), real(1));
      real c2 = clamp(u2, real(0), real(1));
      real total = c0 + c1 + c2;
      // Below the floor the normaliser is a constant.
      real mean = total > real(1e-5) ? dL_db0 * s.b0 + dL_db1 * s.b1 + dL_db2 * s.b2 : real(0);
      real scale = real(1) / max(total, real(1e-5));
      dL_du0 = u0 > real(0) && u0 < real(1) ? (dL_db0 - mean) * scale : real(0);
      dL_du1 = u1 > real(0) && u1 < real(1) ? (dL_db1 - mean) * scale : real(0);
      dL_du2 = u2 > real(0) && u2 < real(1) ? (dL_db2 - mean) * scale : real(0);
    }
    // u_k = n_k / (n0 + n1 + n2), so dL/dn_k = (dL/du_k - sum_i dL/du_i u_i) / area2.
    real mean_u = dL_du0 * u0 + dL_du1 * u1 + dL_du2 * u2;
    pn_subarea_backward(p, v0, v1, v2, (dL_du0 - mean_u) * inverse_area2, (dL_du1 - mean_u) * inverse_area2,
                        (dL_du2 - mean_u) * inverse_area2, g0, g1, g2);
    return;
  }
  // Outside: b = (1 - t, t) on the closest edge; t moves only strictly inside the segment.
  if (s.t <= real(0) || s.t >= real(1)) return;
  int ia = s.edge;
  int ib = (s.edge + 1) % 3;
  real2 a = pn_pick(ia, v0, v1, v2);
  real2 b = pn_pick(ib, v0, v1, v2);
  real2 e = b - a;
  real ee = dot(e, e);
  real dL_dba = ia == 0 ? dL_db0 : (ia == 1 ? dL_db1 : dL_db2);
  real dL_dbb = ib == 0 ? dL_db0 : (ib == 1 ? dL_db1 : dL_db2);
  real dL_dt = dL_dbb - dL_dba;
  // t = dot(p - a, e) / ee.
  real2 dt_db = (p - a - real(2) * s.t * e) / ee;
  real2 dt_da = -e / ee - dt_db;
  pn_add_to(ia, dL_dt * dt_da, g0, g1, g2);
  pn_add_to(ib, dL_dt * dt_db, g0, g1, g2);
}

// Perspective-correct interpolation: depth = 1 / sum(b_k / z_k), weights w_k = depth * b_k / z_k.
PN_FN real pn_perspective(real b0, real b1, real b2, real z0, real z1, real z2, PN_OUT(real) w0,
                          PN_OUT(real) w1, PN_OUT(real) w2) {
  real q0 = b0 / z0;
  real q1 = b1 / z1;
  real q2 = b2 / z2;
  real depth = real(1) / (q0 + q1 + q2);
  w0 = q0 * depth;
  w1 = q1 * depth;
  w2 = q2 * depth;
  return depth;
}

// Backward of pn_perspective: from dL/ddepth and dL/dw_k to dL/db_k and dL/dz_k.
PN_FN void pn_perspective_backward(real b0, real b1, real b2, real z0, real z1, real z2, real depth, real w0,
                                   real w1, real w2, real dL_ddepth, real dL_dw0, real dL_dw1, real dL_dw2,
                                   PN_OUT(real) dL_db0, PN_OUT(real) dL_db1, PN_OUT(real) dL_db2,
                                   PN_OUT(real) dL_dz0, PN_OUT(real) dL_dz1, PN_OUT(real) dL_dz2) {
  real mean = dL_dw0 * w0 + dL_dw1 * w1 + dL_dw2 * w2;
  real base = -depth * depth * dL_ddepth;
  real dL_dq0 = depth * (dL_dw0 - mean) + base;
  real dL_dq1 = depth * (dL_dw1 - mean) + base;
  real dL_dq2 = depth * (dL_dw2 - mean) + base;
  // q_k = b_k / z_k: one reciprocal per corner serves both derivatives.
  real inverse_z0 = real(1) / z0;
  real inverse_z1 = real(1) / z1;
  real inverse_z2 = real(1) / z2;
  dL_db0 = dL_dq0 * inverse_z0;
  dL_db1 = dL_dq1 * inverse_z1;
  dL_db2 = dL_dq2 * inverse_z2;
  dL_dz0 = -dL_db0 * b0 * inverse_z0;
  dL_dz1 = -dL_db1 * b1 * inverse_z1;
  dL_dz2 = -dL_db2 * b2 * inverse_z2;
}

// The softmax logit of a depth: normalised inverse depth (1 at near, 0 at far) over gamma.
PN_FN real pn_depth_logit(real depth, real near, real far, real gamma) {
  return (far - depth) / ((far - near) * gamma);
}
