// The records every backend's per-pixel passes share: the raster parameters (derived once on the host from
// penumbra::RasterSettings by engine/src/raster_params.h), one face of one view after setup, and one face's
// gradient. Only 4-byte scalars and 2-vectors, so each struct has the same layout as a C++ float struct, a
// CUDA kernel argument and a GLSL std430 member (engine/src/vulkan/raster_layout.h checks the offsets).
// Types only: included before the functions of this folder, once per dialect and scalar type.

/// Raster settings as the per-pixel passes read them.
struct PnRasterParams {
  int distribution;           // PN_DIST_* (GLSL specialises on it instead; see pn_distribution_of)
  int aggregation;            // PN_AGG_*
  int squared;                // 1: coverage of sign * d^2 instead of d
  int softmax;                // 1: softmax colour over depth; 0: hard z-buffer colour
  int double_sided;           // 1: back faces take part in the colour blend
  int clipped_barycentrics;   // 1: outside a face, the pixel's barycentrics clipped and renormalised (GenDR);
                              // 0: the closest boundary point's
  int screen_space_colors;    // 1: colours interpolated in screen space (GenDR); 0: perspective-correct
  int colors_in_depth_range;  // 1: a face gives no colour where its depth lies outside [near, far] (GenDR)
  real sigma;                 // coverage argument s = value / sigma + shift
  real shift;
  real shape;             // gamma distributions' shape
  real log_gamma_shape;   // lgamma(shape)
  real p;                 // T-conorm parameter
  real coverage_epsilon;  // coverages <= this are skipped (GenDR's 1e-6)
  real gamma;             // softmax temperature
  real background_logit;  // epsilon / gamma: the background's softmax logit
  real background_r;      // background colour, linear RGB
  real background_g;
  real background_b;
  real radius;            // culling radius, NDC: how far outside a face its coverage can exceed the epsilon
  real reach2;            // squared radius with a margin: pixels farther outside a face skip it
  real gamma_saturation;  // gamma CDFs are 1 (gamma_rev 0) beyond this argument (GenDR's 15); 0: exact
};

/// One face of one view after setup.
struct PnFace {
  real2 v0;  // screen positions, NDC
  real2 v1;
  real2 v2;
  real z0;  // camera depths
  real z1;
  real z2;
  int colored;  // 1: takes part in the colour blend (front-facing or double-sided)
  int x0;       // inclusive pixel box the culling radius reaches; x1 < x0 when the face is not drawn
  int x1;
  int y0;
  int y1;
};

/// dL/d(one face's corners), summed over the pixels it reaches.
struct PnFaceGradient {
  real3 position0;  // dL/d(NDC x, NDC y, camera depth) of each corner
  real3 position1;
  real3 position2;
  real3 color0;  // dL/d(linear rgb) of each corner
  real3 color1;
  real3 color2;
};
