// The forward pass of one pixel: every backend folds the faces of the pixel's tile into it in ascending face
// order (so results do not depend on the backend's loop shape): locate the face, skip it beyond the culling
// radius, keep the hard z-buffer winner, fold the coverage into the T-conorm state and the colour into a
// softmax over depth with a running maximum. The backend owns only the loop: which faces, which pixels.

#ifdef PN_GLSL
// GLSL specialises each pipeline on the distribution (kDistribution, declared before this file), so that
// the driver drops every other distribution's formulas.
#define pn_distribution_of(P) kDistribution
#else
#define pn_distribution_of(P) (P).distribution
#endif

/// What a pixel carries from face to face.
struct PnPixelFold {
  real state;           // T-conorm state: generator sum, running maximum, or hard 0/1
  real max_logit;       // softmax: running maximum of the logits, the background's to start
  real sum;             // softmax: normaliser relative to max_logit
  real3 accumulated;    // softmax: colour numerator relative to max_logit
  real nearest_depth;   // hard colour: depth of the z-buffer winner so far
  int nearest_face;     // hard colour: the z-buffer winner, or -1
  real3 nearest_color;  // hard colour: its interpolated colour (the background without one)
  int max_face;         // max T-conorm: the first face that reaches the maximum, or -1
};

PN_FN PnPixelFold pn_fold_begin(PnRasterParams P) {
  PnPixelFold f;
  real3 background = real3(P.background_r, P.background_g, P.background_b);
  f.state = real(0);
  f.max_logit = P.background_logit;
  f.sum = real(1);
  f.accumulated = background;
  f.nearest_depth = pn_real_max;
  f.nearest_face = -1;
  f.nearest_color = background;
  f.max_face = -1;
  return f;
}

// Locates `face` from `pixel`; false when the pixel lies beyond the culling radius (coverage <= epsilon),
// otherwise `s` is complete.
PN_FN bool pn_reach_face(PnRasterParams P, real2 pixel, PnFace face, PN_OUT(PnFaceSample) s) {
  s = pn_locate_face(pixel, face.v0, face.v1, face.v2);
  if (!s.inside && s.dist2 > P.reach2) return false;
  pn_finish_face(s, pixel, face.v0, face.v1, face.v2, P.squared != 0, P.clipped_barycentrics != 0);
  return true;
}

// The distribution's argument s = value / sigma + shift.
PN_FN real pn_coverage_argument(PnRasterParams P, PnFaceSample s) { return s.value / P.sigma + P.shift; }

// Whether the gamma distributions saturate at this argument (GenDR's cut-off), and to which coverage.
PN_FN bool pn_gamma_saturated(PnRasterParams P, real argument, PN_OUT(real) coverage) {
  int distribution = pn_distribution_of(P);
  bool mirrored = pn_is_mirrored(distribution);
  coverage = mirrored ? real(0) : real(1);
  if (P.gamma_saturation <= real(0) || pn_base_of(distribution) != PN_DIST_GAMMA) return false;
  return (mirrored ? -argument : argument) > P.gamma_saturation;
}

// Coverage D = F(argument) and dD/dargument under the raster parameters.
PN_FN real pn_raster_coverage(PnRasterParams P, real argument, bool inside) {
  real saturated;
  if (pn_gamma_saturated(P, argument, saturated)) return saturated;
  return pn_coverage(pn_distribution_of(P), argument, inside, P.shape, P.log_gamma_shape);
}
PN_FN real pn_raster_coverage_density(PnRasterParams P, real argument) {
  real saturated;
  if (pn_gamma_saturated(P, argument, saturated)) return real(0);
  return pn_coverage_density(pn_distribution_of(P), argument, P.shape, P.log_gamma_shape);
}

// The face's depth at the pixel (perspective-correct) and the weights that interpolate its corner colours:
// the perspective-correct ones, or the barycentrics themselves (screen space).
PN_FN real pn_interpolate(PnRasterParams P, PnFaceSample s, PnFace face, PN_OUT(real) w0, PN_OUT(real) w1,
                          PN_OUT(real) w2) {
  real depth = pn_perspective(s.b0, s.b1, s.b2, face.z0, face.z1, face.z2, w0, w1, w2);
  if (P.screen_space_colors != 0) {
    w0 = s.b0;
    w1 = s.b1;
    w2 = s.b2;
  }
  return depth;
}

// Whether a face at this depth takes part in the colour blend. The edge a near-plane clip leaves lies at depth
// near, which interpolation reproduces only up to rounding: near counts with a relative slack of 1e-5.
PN_FN bool pn_colors_at_depth(PnRasterParams P, real depth, real near, real far) {
  return P.colors_in_depth_range == 0 || (depth >= near * real(0.99999) && depth <= far);
}

// Whether the face is seen from behind (clockwise on screen): shading flips its normals.
PN_FN bool pn_back_facing(PnFace face) { return pn_cross(face.v1 - face.v0, face.v2 - face.v0) < real(0); }

// Folds a face that reaches the pixel; `a` holds its corner attributes, shaded by S (kernels/shading.h), near
// and far are the view's planes.
PN_FN void pn_fold_face(PN_INOUT(PnPixelFold) f, PnRasterParams P, PnFaceSample s, PnFace face, int face_id,
                        real near, real far, PN_IN(PnShading) S, PnTexels T, PN_IN(PnSurface) a) {
  bool softmax = P.softmax != 0;
  if (!softmax && s.inside && face.colored != 0) {
    real w0;
    real w1;
    real w2;
    real depth = pn_interpolate(P, s, face, w0, w1, w2);
    if (depth < f.nearest_depth) {
      f.nearest_depth = depth;
      f.nearest_face = face_id;
      f.nearest_color = pn_shade(S, T, a, pn_back_facing(face), w0, w1, w2);
    }
  }
  real coverage = pn_raster_coverage(P, pn_coverage_argument(P, s), s.inside);
  if (coverage <= P.coverage_epsilon) return;
  if (P.aggregation == PN_AGG_MAX && coverage > f.state) f.max_face = face_id;
  f.state = pn_aggregate_step(P.aggregation, f.state, coverage, P.p);
  if (!softmax || face.colored == 0) return;
  real w0;
  real w1;
  real w2;
  real depth = pn_interpolate(P, s, face, w0, w1, w2);
  if (!pn_colors_at_depth(P, depth, near, far)) return;
  real logit = pn_depth_logit(depth, near, far, P.gamma);
  if (logit > f.max_logit) {
    real rescale = exp(f.max_logit - logit);
    f.sum *= rescale;
    f.accumulated *= rescale;
    f.max_logit = logit;
  }
  real weight = coverage * exp(logit - f.max_logit);
  f.sum += weight;
  f.accumulated += weight * pn_shade(S, T, a, pn_back_facing(face), w0, w1, w2);
}

// The pixel's colour and alpha once every face is folded.
PN_FN void pn_fold_finish(PnPixelFold f, PnRasterParams P, PN_OUT(real3) rgb, PN_OUT(real) alpha) {
  rgb = P.softmax != 0 ? f.accumulated / f.sum : f.nearest_color;
  alpha = pn_aggregate_finish(P.aggregation, f.state, P.p);
}
