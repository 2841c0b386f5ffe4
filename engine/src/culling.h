#pragma once
// How far outside a face its coverage can still exceed the skip threshold (DESIGN §3.6).
#include "penumbra/settings.h"

namespace penumbra::detail {

/// The NDC distance beyond which every coverage F(-d/sigma + shift) (or F(-d^2/sigma + shift)) is
/// <= settings.coverage_epsilon; +infinity when no finite distance suffices (heavy tails reach the screen).
double culling_radius(const RasterSettings& settings);

/// lgamma(shape) for the gamma distributions, computed once on the host.
double log_gamma_shape(const RasterSettings& settings);

}  // namespace penumbra::detail
