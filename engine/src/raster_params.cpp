#include "raster_params.h"

#include <cmath>
#include <limits>

#include "kernels.h"

namespace penumbra::detail {

double log_gamma_shape(const RasterSettings& settings) { return std::lgamma(double(settings.shape)); }

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
