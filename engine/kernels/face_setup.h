// Face setup, the first step of every backend's pipeline: one face of one view as the per-pixel passes read
// it, with the box of pixels its culling radius reaches (what binning sorts into tiles). The box arithmetic
// uses unfused operations so that every backend bins every face into the same tiles.

// Centre of pixel (col, row) in NDC; row 0 is the top of the image: x = (2 col + 1 - W) / W, y = (H - 1 -
// 2 row) / H.
PN_FN real2 pn_pixel_center(int col, int row, int width, int height) {
  return real2(real(2 * col + 1 - width) / real(width), real(height - 1 - 2 * row) / real(height));
}

// Pixel index of a (possibly infinite) pixel coordinate, clamped to [-1, size] before the conversion.
PN_FN int pn_clamp_index(real value, int size) { return int(clamp(value, real(-1), real(size))); }

// a, b, c: the corners' NDC x, NDC y and camera depth; near: the camera's near plane.
PN_FN PnFace pn_setup_face(real3 a, real3 b, real3 c, real near, PnRasterParams P, int width, int height) {
  PnFace face;
  face.v0 = real2(a.x, a.y);
  face.v1 = real2(b.x, b.y);
  face.v2 = real2(c.x, c.y);
  face.z0 = a.z;
  face.z1 = b.z;
  face.z2 = c.z;
  // Counter-clockwise on screen is front-facing.
  real signed_area = pn_cross(face.v1 - face.v0, face.v2 - face.v0);
  face.colored = (P.double_sided != 0 || signed_area > real(0)) ? 1 : 0;
  // A corner at or behind the near plane (or not finite) makes the projection invalid: the face is not drawn.
  real corner_sum = pn_add(pn_add(pn_add(pn_add(pn_add(a.x, a.y), b.x), b.y), c.x), c.y);
  if (!(min(min(a.z, b.z), c.z) >= near) || !pn_isfinite(corner_sum)) {
    face.x0 = 0;
    face.x1 = -1;
    face.y0 = 0;
    face.y1 = -1;
    return face;
  }
  real xmin = pn_sub(min(min(a.x, b.x), c.x), P.radius);
  real xmax = pn_add(max(max(a.x, b.x), c.x), P.radius);
  real ymin = pn_sub(min(min(a.y, b.y), c.y), P.radius);
  real ymax = pn_add(max(max(a.y, b.y), c.y), P.radius);
  // Inverting the pixel centre: col = (x W + W - 1) / 2; rows run downwards from y = 1.
  real w = real(width);
  real h = real(height);
  real h_minus_1 = real(height - 1);
  face.x0 = max(pn_clamp_index(ceil(pn_sub(pn_add(pn_mul(xmin, w), w), real(1)) * real(0.5)), width), 0);
  face.x1 =
      min(pn_clamp_index(floor(pn_sub(pn_add(pn_mul(xmax, w), w), real(1)) * real(0.5)), width), width - 1);
  face.y0 = max(pn_clamp_index(ceil(pn_sub(h_minus_1, pn_mul(ymax, h)) * real(0.5)), height), 0);
  face.y1 = min(pn_clamp_index(floor(pn_sub(h_minus_1, pn_mul(ymin, h)) * real(0.5)), height), height - 1);
  return face;
}
