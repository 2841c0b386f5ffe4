#include "raster_params.h"

#include <cmath>
#include <limits>

#include "kernels.h"

namespace penumbra::detail {

double log_gamma_shape(const RasterSettings& settings) { return std::lgamma(double(settings.shape)); }

double effective_shift(const RasterSettings& settings) {
  if (!settings.gendr_shifts) return settings.shift;
  switch (settings.distribution) {
    case Distribution::exponential:
    case Distribution::gamma:
    case Distribution::levy:
      return settings.shift;
    // GenDR mirrors these as 1 - F(shift - s); Penumbra's F_rev(s + shift) = 1 - F(-s - shift).
    case Distribution::exponential_rev:
    case Distribution::gamma_rev:
    case Distribution::levy_rev:
      return -double(settings.shift);
    default:
      return 0.0;  // GenDR shifts neither the symmetric distributions nor gumbel
  }
}

double culling_radius(const RasterSettings& settings) {
  using namespace kernels::f64;
  if (settings.distribution == Distribution::heaviside) return 0.0;
  const int id = static_cast<int>(settings.distribution);
  const double lgs = log_gamma_shape(settings);
  const double epsilon = settings.coverage_epsilon;
  // Coverage at argument s of a pixel outside the face (s <= shift); monotone in s.
  auto coverage = [&](double s) { return pn_coverage(id, s, false, double(settings.shape), lgs); };
  const double shift = settings.shift;
  if (coverage(shift) <= epsilon) return 0.0;
  // Walk outwards by doubling until the coverage is small enough, then bisect between the two.
  double inner = 0.0;  // distance-like offset below the shift: s = shift - offset
  double outer = 1.0;
  while (coverage(shift - outer) > epsilon) {
    inner = outer;
    outer *= 2.0;
    if (outer > 1e30) return std::numeric_limits<double>::infinity();
  }
  for (int step = 0; step < 200 && outer - inner > 1e-12 * outer; ++step) {
    const double middle = 0.5 * (inner + outer);
    (coverage(shift - middle) > epsilon ? inner : outer) = middle;
  }
  // `outer` satisfies coverage <= epsilon; it is an offset of s = d / sigma (or d^2 / sigma).
  const double scaled = outer * double(settings.sigma);
  return settings.squared ? std::sqrt(scaled) : scaled;
}

}  // namespace penumbra::detail
