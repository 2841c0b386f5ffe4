// Shading, evaluated per (pixel, face) inside the soft aggregation: the face's albedo at the pixel (its
// interpolated vertex colour, times a bilinear texture sample when textured) lit by one model, and the exact
// derivative of that colour. pn_fold_face and pn_pair_gradient call these, so a pixel's colour stays the
// depth-softmax blend of shaded face colours. Formulas and conventions: docs/rendering-maths.md, "Shading".

PN_CONST int PN_SHADE_UNLIT = 0;
PN_CONST int PN_SHADE_LAMBERT = 1;
PN_CONST int PN_SHADE_PHONG = 2;
PN_CONST int PN_SHADE_SH = 3;

PN_CONST int PN_LIGHT_DIRECTIONAL = 0;
PN_CONST int PN_LIGHT_POINT = 1;
PN_CONST int PN_MAX_LIGHTS = 4;

PN_CONST int PN_WRAP_REPEAT = 0;
PN_CONST int PN_WRAP_CLAMP = 1;

/// The shading model and its parameters, the same for every pixel.
struct PnShading {
  int model;                      // PN_SHADE_*
  int light_count;                // 0..PN_MAX_LIGHTS
  int textured;                   // 1: the albedo is multiplied by a bilinear texture sample
  int wrap;                       // PN_WRAP_*
  int texture_width;              // texels
  int texture_height;             // texels
  real shininess;                 // Blinn-Phong exponent, >= 1
  real3 ambient;                  // ambient light colour
  real3 specular;                 // specular colour of the material
  int light_kind[PN_MAX_LIGHTS];  // PN_LIGHT_*
  real3
      light_vector[PN_MAX_LIGHTS];  // directional: the direction the light travels; point: its world position
  real3 light_color[PN_MAX_LIGHTS];
  real3 sh[9];  // order-2 spherical-harmonic irradiance coefficients, per colour channel
};

/// dL/d(PnShading's continuous parameters).
struct PnShadingGradient {
  real shininess;
  real3 ambient;
  real3 specular;
  real3 light_vector[PN_MAX_LIGHTS];
  real3 light_color[PN_MAX_LIGHTS];
  real3 sh[9];
};

/// One face's corner attributes as the shading reads them.
struct PnSurface {
  real3 c0, c1, c2;     // albedo colours
  real3 n0, n1, n2;     // normals (smooth: the vertices', flat: the face's); lit models only
  real3 x0, x1, x2;     // world positions; lit models only
  real2 uv0, uv1, uv2;  // texture coordinates; textured only
  real3 eye;            // world position of the view's camera; lit models only
};

/// dL/d(PnSurface's normals, world positions and texture coordinates) of one face (colours go to
/// PnFaceGradient).
struct PnSurfaceGradient {
  real3 normal0, normal1, normal2;
  real3 world0, world1, world2;
  real2 uv0, uv1, uv2;
};

/// The four texels of a bilinear sample (indices row * width + col, row 0 the image's top) and the sample's
/// fractions; dL/dsample when it comes from a backward pass.
struct PnTexelGradient {
  int valid;  // 0: no texture was sampled
  int i00, i10, i01, i11;
  real fx, fy;
  real3 dL_dsample;
};

#ifndef PN_GLSL
/// The texture's RGB texels, row-major from the image's top row (a GLSL shader declares its own PnTexels and
/// pn_texel before including this file).
struct PnTexels {
  const real3* data;
};
PN_FN real3 pn_texel(PnTexels T, int index) { return T.data[index]; }
#endif

PN_FN PnShading pn_shading_unlit() {
  PnShading S;
  S.model = PN_SHADE_UNLIT;
  S.light_count = 0;
  S.textured = 0;
  S.wrap = PN_WRAP_REPEAT;
  S.texture_width = 1;
  S.texture_height = 1;
  S.shininess = real(1);
  S.ambient = real3(real(0));
  S.specular = real3(real(0));
  for (int i = 0; i < PN_MAX_LIGHTS; ++i) {
    S.light_kind[i] = PN_LIGHT_DIRECTIONAL;
    S.light_vector[i] = real3(real(0));
    S.light_color[i] = real3(real(0));
  }
  for (int k = 0; k < 9; ++k) S.sh[k] = real3(real(0));
  return S;
}

/// A surface of corner colours only, for unlit shading.
PN_FN PnSurface pn_surface_of_colors(real3 c0, real3 c1, real3 c2) {
  PnSurface a;
  a.c0 = c0;
  a.c1 = c1;
  a.c2 = c2;
  a.n0 = real3(real(0));
  a.n1 = real3(real(0));
  a.n2 = real3(real(0));
  a.x0 = real3(real(0));
  a.x1 = real3(real(0));
  a.x2 = real3(real(0));
  a.uv0 = real2(real(0));
  a.uv1 = real2(real(0));
  a.uv2 = real2(real(0));
  a.eye = real3(real(0));
  return a;
}

PN_FN PnShadingGradient pn_shading_gradient_zero() {
  PnShadingGradient g;
  g.shininess = real(0);
  g.ambient = real3(real(0));
  g.specular = real3(real(0));
  for (int i = 0; i < PN_MAX_LIGHTS; ++i) {
    g.light_vector[i] = real3(real(0));
    g.light_color[i] = real3(real(0));
  }
  for (int k = 0; k < 9; ++k) g.sh[k] = real3(real(0));
  return g;
}

PN_FN void pn_shading_gradient_add(PN_INOUT(PnShadingGradient) total, PnShadingGradient part) {
  total.shininess += part.shininess;
  total.ambient += part.ambient;
  total.specular += part.specular;
  for (int i = 0; i < PN_MAX_LIGHTS; ++i) {
    total.light_vector[i] += part.light_vector[i];
    total.light_color[i] += part.light_color[i];
  }
  for (int k = 0; k < 9; ++k) total.sh[k] += part.sh[k];
}

PN_FN PnSurfaceGradient pn_surface_gradient_zero() {
  PnSurfaceGradient g;
  g.normal0 = real3(real(0));
  g.normal1 = real3(real(0));
  g.normal2 = real3(real(0));
  g.world0 = real3(real(0));
  g.world1 = real3(real(0));
  g.world2 = real3(real(0));
  g.uv0 = real2(real(0));
  g.uv1 = real2(real(0));
  g.uv2 = real2(real(0));
  return g;
}

PN_FN void pn_surface_gradient_add(PN_INOUT(PnSurfaceGradient) total, PnSurfaceGradient part) {
  total.normal0 += part.normal0;
  total.normal1 += part.normal1;
  total.normal2 += part.normal2;
  total.world0 += part.world0;
  total.world1 += part.world1;
  total.world2 += part.world2;
  total.uv0 += part.uv0;
  total.uv1 += part.uv1;
  total.uv2 += part.uv2;
}

// v / |v|, and |v|; the zero vector (and length 0) where v is zero, so that degenerate geometry stays finite.
PN_FN real3 pn_unit(real3 v, PN_OUT(real) len) {
  len = sqrt(dot(v, v));
  return len > real(0) ? v / len : real3(real(0));
}

// Backward of u = v / |v|: dL/dv from dL/du.
PN_FN real3 pn_unit_backward(real3 u, real len, real3 dL_du) {
  return len > real(0) ? (dL_du - u * dot(u, dL_du)) / len : real3(real(0));
}

// ---- Texture ----

// Bilinear taps at `uv`: texel centres at half-integers, u to the right, v = 0 the texture's bottom row.
// Repeat wraps both coordinates; clamp holds them at the border texels' centres. dx_du and dy_dv are the
// derivatives of the continuous texel coordinates.
PN_FN PnTexelGradient pn_texture_taps(PN_IN(PnShading) S, real2 uv, PN_OUT(real) dx_du, PN_OUT(real) dy_dv) {
  int w = S.texture_width;
  int h = S.texture_height;
  real x;
  real y;
  if (S.wrap == PN_WRAP_REPEAT) {
    x = (uv.x - floor(uv.x)) * real(w) - real(0.5);
    y = (real(1) - (uv.y - floor(uv.y))) * real(h) - real(0.5);
    dx_du = real(w);
    dy_dv = -real(h);
  } else {
    real xr = uv.x * real(w) - real(0.5);
    real yr = (real(1) - uv.y) * real(h) - real(0.5);
    x = clamp(xr, real(0), real(w - 1));
    y = clamp(yr, real(0), real(h - 1));
    dx_du = (xr > real(0) && xr < real(w - 1)) ? real(w) : real(0);
    dy_dv = (yr > real(0) && yr < real(h - 1)) ? -real(h) : real(0);
  }
  real xf = floor(x);
  real yf = floor(y);
  int col0 = int(xf);
  int row0 = int(yf);
  int col1 = col0 + 1;
  int row1 = row0 + 1;
  if (S.wrap == PN_WRAP_REPEAT) {
    col0 = col0 < 0 ? w - 1 : col0;
    row0 = row0 < 0 ? h - 1 : row0;
    col1 = col1 >= w ? 0 : col1;
    row1 = row1 >= h ? 0 : row1;
  } else {
    col1 = min(col1, w - 1);
    row1 = min(row1, h - 1);
  }
  PnTexelGradient t;
  t.valid = 1;
  t.i00 = row0 * w + col0;
  t.i10 = row0 * w + col1;
  t.i01 = row1 * w + col0;
  t.i11 = row1 * w + col1;
  t.fx = x - xf;
  t.fy = y - yf;
  t.dL_dsample = real3(real(0));
  return t;
}

PN_FN real3 pn_bilinear(PnTexelGradient t, real3 t00, real3 t10, real3 t01, real3 t11) {
  return (real(1) - t.fy) * ((real(1) - t.fx) * t00 + t.fx * t10) +
         t.fy * ((real(1) - t.fx) * t01 + t.fx * t11);
}

PN_FN real3 pn_sample_texture(PN_IN(PnShading) S, PnTexels T, real2 uv) {
  real dx_du;
  real dy_dv;
  PnTexelGradient t = pn_texture_taps(S, uv, dx_du, dy_dv);
  return pn_bilinear(t, pn_texel(T, t.i00), pn_texel(T, t.i10), pn_texel(T, t.i01), pn_texel(T, t.i11));
}

// ---- Lighting ----

// Unit vector from a surface point towards light i (zero for a point light at the point itself), and the
// length it was normalised by.
PN_FN real3 pn_light_direction(PN_IN(PnShading) S, int i, real3 x, PN_OUT(real) len) {
  if (S.light_kind[i] == PN_LIGHT_POINT) return pn_unit(S.light_vector[i] - x, len);
  return -pn_unit(S.light_vector[i], len);
}

// The nine order-2 real spherical harmonics at unit vector n, and their gradients (n's components taken as
// independent).
PN_FN real pn_sh_basis(int k, real3 n) {
  if (k == 0) return real(0.282095);
  if (k == 1) return real(0.488603) * n.y;
  if (k == 2) return real(0.488603) * n.z;
  if (k == 3) return real(0.488603) * n.x;
  if (k == 4) return real(1.092548) * n.x * n.y;
  if (k == 5) return real(1.092548) * n.y * n.z;
  if (k == 6) return real(0.315392) * (real(3) * n.z * n.z - real(1));
  if (k == 7) return real(1.092548) * n.x * n.z;
  return real(0.546274) * (n.x * n.x - n.y * n.y);
}
PN_FN real3 pn_sh_basis_gradient(int k, real3 n) {
  if (k == 1) return real3(real(0), real(0.488603), real(0));
  if (k == 2) return real3(real(0), real(0), real(0.488603));
  if (k == 3) return real3(real(0.488603), real(0), real(0));
  if (k == 4) return real(1.092548) * real3(n.y, n.x, real(0));
  if (k == 5) return real(1.092548) * real3(real(0), n.z, n.y);
  if (k == 6) return real3(real(0), real(0), real(6) * real(0.315392) * n.z);
  if (k == 7) return real(1.092548) * real3(n.z, real(0), n.x);
  if (k == 8) return real(0.546274) * real3(real(2) * n.x, real(-2) * n.y, real(0));
  return real3(real(0));
}

// The light a surface point receives, split into what multiplies the albedo (diffuse) and what adds to it
// (specular, Blinn-Phong only). n: unit normal (or zero), x: world position, eye: the camera's position.
PN_FN void pn_light(PN_IN(PnShading) S, real3 n, real3 x, real3 eye, PN_OUT(real3) diffuse,
                    PN_OUT(real3) specular) {
  specular = real3(real(0));
  if (S.model == PN_SHADE_SH) {
    diffuse = real3(real(0));
    for (int k = 0; k < 9; ++k) diffuse += S.sh[k] * pn_sh_basis(k, n);
    return;
  }
  diffuse = S.ambient;
  bool phong = S.model == PN_SHADE_PHONG;
  real view_len = real(0);
  real3 v = phong ? pn_unit(eye - x, view_len) : real3(real(0));
  for (int i = 0; i < S.light_count; ++i) {
    real len;
    real3 l = pn_light_direction(S, i, x, len);
    diffuse += S.light_color[i] * max(dot(n, l), real(0));
    if (!phong) continue;
    // Not gated by n.l > 0, so that the colour stays continuous in every parameter.
    real half_len;
    real3 h = pn_unit(l + v, half_len);
    real ndh = dot(n, h);
    if (ndh > real(0)) specular += S.light_color[i] * pow(ndh, S.shininess);
  }
}

// Backward of pn_light given dL/ddiffuse (= dL/dcolour * albedo) and dL/dspecular (= dL/dcolour * the
// material's specular colour): adds dL/dn and dL/dx, and the lights' gradients to `sg`.
PN_FN void pn_light_backward(PN_IN(PnShading) S, real3 n, real3 x, real3 eye, real3 dL_ddiffuse,
                             real3 dL_dspecular, PN_INOUT(real3) dL_dn, PN_INOUT(real3) dL_dx,
                             PN_INOUT(PnShadingGradient) sg) {
  if (S.model == PN_SHADE_SH) {
    for (int k = 0; k < 9; ++k) {
      sg.sh[k] += dL_ddiffuse * pn_sh_basis(k, n);
      dL_dn += dot(dL_ddiffuse, S.sh[k]) * pn_sh_basis_gradient(k, n);
    }
    return;
  }
  sg.ambient += dL_ddiffuse;
  bool phong = S.model == PN_SHADE_PHONG;
  real view_len = real(0);
  real3 v = phong ? pn_unit(eye - x, view_len) : real3(real(0));
  real3 dL_dv = real3(real(0));
  for (int i = 0; i < S.light_count; ++i) {
    real len;
    real3 l = pn_light_direction(S, i, x, len);
    real3 dL_dl = real3(real(0));
    real ndl = dot(n, l);
    if (ndl > real(0)) {
      sg.light_color[i] += dL_ddiffuse * ndl;
      real dL_dndl = dot(dL_ddiffuse, S.light_color[i]);
      dL_dn += dL_dndl * l;
      dL_dl += dL_dndl * n;
    }
    if (phong) {
      real half_len;
      real3 h = pn_unit(l + v, half_len);
      real ndh = dot(n, h);
      if (ndh > real(0)) {
        real power = pow(ndh, S.shininess);
        sg.light_color[i] += dL_dspecular * power;
        real dL_dpower = dot(dL_dspecular, S.light_color[i]);
        sg.shininess += dL_dpower * power * log(ndh);
        real dL_dndh = dL_dpower * S.shininess * pow(ndh, S.shininess - real(1));
        dL_dn += dL_dndh * h;
        real3 dL_dhalf = pn_unit_backward(h, half_len, dL_dndh * n);
        dL_dl += dL_dhalf;
        dL_dv += dL_dhalf;
      }
    }
    if (S.light_kind[i] == PN_LIGHT_POINT) {
      real3 dL_dr = pn_unit_backward(l, len, dL_dl);
      sg.light_vector[i] += dL_dr;
      dL_dx -= dL_dr;
    } else {
      // l = -unit(direction).
      sg.light_vector[i] += pn_unit_backward(-l, len, -dL_dl);
    }
  }
  if (phong) dL_dx -= pn_unit_backward(v, view_len, dL_dv);
}

// ---- The face's colour at a pixel ----

// The unit normal at interpolation weights w (flipped on back faces, so that both sides are lit), and the
// length of the interpolated normal it normalised.
PN_FN real3 pn_surface_normal(PN_IN(PnSurface) a, bool back_facing, real w0, real w1, real w2,
                              PN_OUT(real) len) {
  real3 n = pn_unit(w0 * a.n0 + w1 * a.n1 + w2 * a.n2, len);
  return back_facing ? -n : n;
}

/// The shaded colour of face `a` at interpolation weights w0, w1, w2.
PN_FN real3 pn_shade(PN_IN(PnShading) S, PnTexels T, PN_IN(PnSurface) a, bool back_facing, real w0, real w1,
                     real w2) {
  real3 albedo = w0 * a.c0 + w1 * a.c1 + w2 * a.c2;
  if (S.textured != 0) albedo *= pn_sample_texture(S, T, w0 * a.uv0 + w1 * a.uv1 + w2 * a.uv2);
  if (S.model == PN_SHADE_UNLIT) return albedo;
  real len;
  real3 n = pn_surface_normal(a, back_facing, w0, w1, w2, len);
  real3 x = w0 * a.x0 + w1 * a.x1 + w2 * a.x2;
  real3 diffuse;
  real3 specular;
  pn_light(S, n, x, a.eye, diffuse, specular);
  return albedo * diffuse + S.specular * specular;
}

/// Backward of pn_shade given dL/dcolour: dL/dw0..2, dL/d(corner colours) into `g`, dL/d(normals, world
/// positions, UVs) into `sg`, the shading parameters' gradients into `lg`, and the texture sample into `tg`.
/// Returns the colour pn_shade gives, computed on the way.
PN_FN real3 pn_shade_backward(PN_IN(PnShading) S, PnTexels T, PN_IN(PnSurface) a, bool back_facing, real w0,
                              real w1, real w2, real3 dL_dcolor, PN_OUT(real) dL_dw0, PN_OUT(real) dL_dw1,
                              PN_OUT(real) dL_dw2, PN_INOUT(PnFaceGradient) g, PN_INOUT(PnSurfaceGradient) sg,
                              PN_INOUT(PnShadingGradient) lg, PN_INOUT(PnTexelGradient) tg) {
  real3 base = w0 * a.c0 + w1 * a.c1 + w2 * a.c2;
  real3 albedo = base;
  real3 texture_color = real3(real(1));
  real dx_du = real(0);
  real dy_dv = real(0);
  real2 uv = w0 * a.uv0 + w1 * a.uv1 + w2 * a.uv2;
  PnTexelGradient taps;
  taps.valid = 0;
  if (S.textured != 0) {
    taps = pn_texture_taps(S, uv, dx_du, dy_dv);
    texture_color = pn_bilinear(taps, pn_texel(T, taps.i00), pn_texel(T, taps.i10), pn_texel(T, taps.i01),
                                pn_texel(T, taps.i11));
    albedo = base * texture_color;
  }
  real3 dL_dalbedo = dL_dcolor;
  real3 color = albedo;
  dL_dw0 = real(0);
  dL_dw1 = real(0);
  dL_dw2 = real(0);
  if (S.model != PN_SHADE_UNLIT) {
    real len;
    real3 n = pn_surface_normal(a, back_facing, w0, w1, w2, len);
    real3 x = w0 * a.x0 + w1 * a.x1 + w2 * a.x2;
    real3 diffuse;
    real3 specular;
    pn_light(S, n, x, a.eye, diffuse, specular);
    color = albedo * diffuse + S.specular * specular;
    dL_dalbedo = dL_dcolor * diffuse;
    lg.specular += dL_dcolor * specular;
    real3 dL_dn = real3(real(0));
    real3 dL_dx = real3(real(0));
    pn_light_backward(S, n, x, a.eye, dL_dcolor * albedo, dL_dcolor * S.specular, dL_dn, dL_dx, lg);
    real3 dL_dm = pn_unit_backward(back_facing ? -n : n, len, back_facing ? -dL_dn : dL_dn);
    sg.normal0 += w0 * dL_dm;
    sg.normal1 += w1 * dL_dm;
    sg.normal2 += w2 * dL_dm;
    sg.world0 += w0 * dL_dx;
    sg.world1 += w1 * dL_dx;
    sg.world2 += w2 * dL_dx;
    dL_dw0 += dot(dL_dm, a.n0) + dot(dL_dx, a.x0);
    dL_dw1 += dot(dL_dm, a.n1) + dot(dL_dx, a.x1);
    dL_dw2 += dot(dL_dm, a.n2) + dot(dL_dx, a.x2);
  }
  real3 dL_dbase = dL_dalbedo * texture_color;
  g.color0 += w0 * dL_dbase;
  g.color1 += w1 * dL_dbase;
  g.color2 += w2 * dL_dbase;
  dL_dw0 += dot(dL_dbase, a.c0);
  dL_dw1 += dot(dL_dbase, a.c1);
  dL_dw2 += dot(dL_dbase, a.c2);
  if (S.textured != 0) {
    real3 dL_dtexture = dL_dalbedo * base;
    real3 t00 = pn_texel(T, taps.i00);
    real3 t10 = pn_texel(T, taps.i10);
    real3 t01 = pn_texel(T, taps.i01);
    real3 t11 = pn_texel(T, taps.i11);
    real dL_dfx = dot(dL_dtexture, (real(1) - taps.fy) * (t10 - t00) + taps.fy * (t11 - t01));
    real dL_dfy = dot(dL_dtexture, (real(1) - taps.fx) * (t01 - t00) + taps.fx * (t11 - t10));
    real2 dL_duv = real2(dL_dfx * dx_du, dL_dfy * dy_dv);
    sg.uv0 += w0 * dL_duv;
    sg.uv1 += w1 * dL_duv;
    sg.uv2 += w2 * dL_duv;
    dL_dw0 += dot(dL_duv, a.uv0);
    dL_dw1 += dot(dL_duv, a.uv1);
    dL_dw2 += dot(dL_duv, a.uv2);
    taps.dL_dsample = dL_dtexture;
    tg = taps;
  }
  return color;
}
