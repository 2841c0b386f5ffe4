#pragma once
// The raster parameters every backend's per-pixel passes read (PnRasterParams, engine/kernels/raster_types.h),
// derived from RasterSettings in one place, with the culling radius that sizes each face's reach.
#include <algorithm>

#include "penumbra/settings.h"

namespace penumbra::detail {

/// The NDC distance beyond which every coverage F(-d/sigma + shift) (or F(-d^2/sigma + shift)) is
/// <= settings.coverage_epsilon; +infinity when no finite distance suffices (heavy tails reach the screen).
double culling_radius(const RasterSettings& settings);

/// lgamma(shape) for the gamma distributions, computed once on the host.
double log_gamma_shape(const RasterSettings& settings);

/// The shift Penumbra's coverage F(value / sigma + shift) needs to give what the settings ask for.
double effective_shift(const RasterSettings& settings);

/// Fills a PnRasterParams of any dialect and scalar (C++ float or double, CUDA) from validated settings.
template <class Params>
Params make_raster_params(const RasterSettings& settings) {
  using real = decltype(Params::sigma);
  RasterSettings effective = settings;
  effective.shift = static_cast<float>(effective_shift(settings));
  effective.gendr_shifts = false;
  Params params{};
  params.distribution = static_cast<int>(settings.distribution);
  params.aggregation = static_cast<int>(settings.aggregation);
  params.squared = settings.squared ? 1 : 0;
  params.softmax = settings.colors == ColorMode::softmax ? 1 : 0;
  params.double_sided = settings.back_faces == BackFaces::double_sided ? 1 : 0;
  params.clipped_barycentrics = settings.clipped_barycentrics ? 1 : 0;
  params.screen_space_colors = settings.perspective_colors ? 0 : 1;
  params.colors_in_depth_range = settings.colors_in_depth_range ? 1 : 0;
  params.sigma = settings.sigma;
  params.shift = effective.shift;
  params.shape = settings.shape;
  params.log_gamma_shape = static_cast<real>(log_gamma_shape(settings));
  params.p = settings.p;
  params.coverage_epsilon = settings.coverage_epsilon;
  params.gamma = settings.gamma;
  params.background_logit = settings.epsilon / settings.gamma;
  params.background_r = settings.background.x;
  params.background_g = settings.background.y;
  params.background_b = settings.background.z;
  // A face's reach is bounded only by the screen (the pixel box is clipped to it); the cap keeps the box
  // arithmetic finite in float32. The reach adds a margin so that rounding never skips a pixel whose
  // coverage exceeds the epsilon.
  constexpr double kMaxRadius = 1e18;
  const double radius = culling_radius(effective);
  params.radius = static_cast<real>(std::min(radius, kMaxRadius));
  const double reach = std::min(radius * (1 + 1e-4), kMaxRadius);
  params.reach2 = static_cast<real>(reach * reach);
  params.gamma_saturation = settings.gamma_saturation ? real(15) : real(0);
  return params;
}

}  // namespace penumbra::detail
