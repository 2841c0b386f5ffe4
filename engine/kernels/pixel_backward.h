// The backward pass of one (pixel, face) pair: the exact derivative of pn_fold_face, recomputing the face's
// terms from what the forward saved per pixel (docs/rendering-maths.md). dA/dD needs only
// the final alpha (Archimedean T-conorms), dI/dweight only the softmax's maximum and normaliser. The backend
// owns only the loop and how it sums a face's pairs (in a fixed order, so that gradients are deterministic).

/// What the backward pass of a pixel reads: the upstream gradient and what its forward saved.
struct PnPixelUpstream {
  real3 dL_dcolor;   // upstream gradient of the pixel's rgb
  real dL_dalpha;    // upstream gradient of its alpha
  real3 color;       // the forward's rgb
  real alpha;        // the forward's alpha
  real max_logit;    // the forward's softmax maximum
  real sum;          // the forward's softmax normaliser
  int nearest_face;  // the forward's z-buffer winner (hard colour), or -1
  int max_face;      // the forward's max T-conorm winner, or -1
};

PN_FN PnFaceGradient pn_gradient_zero() {
  PnFaceGradient g;
  g.position0 = real3(real(0));
  g.position1 = real3(real(0));
  g.position2 = real3(real(0));
  g.color0 = real3(real(0));
  g.color1 = real3(real(0));
  g.color2 = real3(real(0));
  return g;
}

PN_FN void pn_gradient_add(PN_INOUT(PnFaceGradient) total, PnFaceGradient part) {
  total.position0 += part.position0;
  total.position1 += part.position1;
  total.position2 += part.position2;
  total.color0 += part.color0;
  total.color1 += part.color1;
  total.color2 += part.color2;
}

// Backward of pn_interpolate: the position terms through the weights and the depth, given dL/dw0..2 (of the
// weights that interpolate the face's attributes) and dL/ddepth.
PN_FN void pn_interpolation_backward(PnRasterParams P, PnFaceSample s, real2 pixel, PnFace face, real depth,
                                     real w0, real w1, real w2, real dL_dw0, real dL_dw1, real dL_dw2,
                                     real dL_ddepth, PN_INOUT(PnFaceGradient) g, PN_INOUT(real2) g0,
                                     PN_INOUT(real2) g1, PN_INOUT(real2) g2) {
  bool screen = P.screen_space_colors != 0;
  // Screen space: the weights are the barycentrics, and only the depth goes through the perspective division.
  real dL_dpw0 = screen ? real(0) : dL_dw0;
  real dL_dpw1 = screen ? real(0) : dL_dw1;
  real dL_dpw2 = screen ? real(0) : dL_dw2;
  real pw0 = w0;
  real pw1 = w1;
  real pw2 = w2;
  if (screen) pn_perspective(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, pw0, pw1, pw2);
  real dL_db0;
  real dL_db1;
  real dL_db2;
  real dL_dz0;
  real dL_dz1;
  real dL_dz2;
  pn_perspective_backward(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, depth, pw0, pw1, pw2, dL_ddepth,
                          dL_dpw0, dL_dpw1, dL_dpw2, dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2);
  if (screen) {
    dL_db0 += dL_dw0;
    dL_db1 += dL_dw1;
    dL_db2 += dL_dw2;
  }
  g.position0.z += dL_dz0;
  g.position1.z += dL_dz1;
  g.position2.z += dL_dz2;
  pn_barycentric_backward(s, pixel, face.v0, face.v1, face.v2, P.clipped_barycentrics != 0, dL_db0, dL_db1,
                          dL_db2, g0, g1, g2);
}

// Adds dL/d(corners of `face`) from one pixel that the face reaches (pn_reach_face) to `g` (screen positions,
// colours) and `sg` (normals, world positions, UVs), dL/d(shading parameters) to `lg`; `tg` receives the
// texture sample's gradient when the face's colour sampled the texture.
PN_FN void pn_pair_gradient(PnRasterParams P, PnPixelUpstream up, PnFaceSample s, real2 pixel, PnFace face,
                            int face_id, real near, real far, PN_IN(PnShading) S, PnTexels T,
                            PN_IN(PnSurface) a, PN_INOUT(PnFaceGradient) g, PN_INOUT(PnSurfaceGradient) sg,
                            PN_INOUT(PnShadingGradient) lg, PN_INOUT(PnTexelGradient) tg) {
  bool softmax = P.softmax != 0;
  real2 g0 = real2(real(0));
  real2 g1 = real2(real(0));
  real2 g2 = real2(real(0));
  // Hard colour: the z-buffer winner's interpolated colour, differentiable inside the face through the corner
  // colours, the barycentrics and the perspective-correct weights.
  if (!softmax && face_id == up.nearest_face) {
    real w0;
    real w1;
    real w2;
    real depth = pn_interpolate(P, s, face, w0, w1, w2);
    real dL_dw0;
    real dL_dw1;
    real dL_dw2;
    pn_shade_backward(S, T, a, pn_back_facing(face), w0, w1, w2, up.dL_dcolor, dL_dw0, dL_dw1, dL_dw2, g, sg,
                      lg, tg);
    pn_interpolation_backward(P, s, pixel, face, depth, w0, w1, w2, dL_dw0, dL_dw1, dL_dw2, real(0), g, g0,
                              g1, g2);
  }
  real argument = pn_coverage_argument(P, s);
  real coverage = pn_raster_coverage(P, argument, s.inside);
  if (coverage > P.coverage_epsilon) {
    real dL_dcoverage = up.dL_dalpha * pn_aggregate_gradient(P.aggregation, up.alpha, coverage, P.p);
    if (P.aggregation == PN_AGG_MAX && face_id == up.max_face) dL_dcoverage += up.dL_dalpha;
    // Silhouette-only losses skip the colour path.
    if (softmax && face.colored != 0 && up.dL_dcolor != real3(real(0))) {
      real w0;
      real w1;
      real w2;
      real depth = pn_interpolate(P, s, face, w0, w1, w2);
      if (pn_colors_at_depth(P, depth, near, far)) {
        real exponential = exp(pn_depth_logit(depth, near, far, P.gamma) - up.max_logit);
        real weight = coverage * exponential;
        real dL_dw0;
        real dL_dw1;
        real dL_dw2;
        real3 face_color =
            pn_shade_backward(S, T, a, pn_back_facing(face), w0, w1, w2, up.dL_dcolor * (weight / up.sum),
                              dL_dw0, dL_dw1, dL_dw2, g, sg, lg, tg);
        // I = sum(weight_j c_j) / sum  =>  dI/dweight_j = (c_j - I) / sum.
        real dL_dweight = dot(up.dL_dcolor, face_color - up.color) / up.sum;
        dL_dcoverage += dL_dweight * exponential;
        real dlogit_ddepth = real(-1) / ((far - near) * P.gamma);
        pn_interpolation_backward(P, s, pixel, face, depth, w0, w1, w2, dL_dw0, dL_dw1, dL_dw2,
                                  dL_dweight * weight * dlogit_ddepth, g, g0, g1, g2);
      }
    }
    if (dL_dcoverage != real(0)) {
      real dL_dvalue = dL_dcoverage * pn_raster_coverage_density(P, argument) / P.sigma;
      pn_value_backward(s, pixel, P.squared != 0, dL_dvalue, g0, g1, g2);
    }
  }
  g.position0 += real3(g0, real(0));
  g.position1 += real3(g1, real(0));
  g.position2 += real3(g2, real(0));
}
