#pragma once
// The shared per-pixel maths of engine/kernels/, compiled for the C++ backends once per scalar type:
// penumbra::kernels::f32 (what the GPUs compute) and penumbra::kernels::f64 (for finite-difference tests).
#include <algorithm>
#include <cmath>
#include <limits>

#include <glm/glm.hpp>

#include "kernels/dialect.h"

namespace penumbra::kernels {

#define PENUMBRA_KERNELS_FOR(real_type, namespace_name)                                  \
  namespace namespace_name {                                                            \
  using real = real_type;                                                               \
  using real2 = glm::vec<2, real_type, glm::defaultp>;                                  \
  using real3 = glm::vec<3, real_type, glm::defaultp>;                                  \
  inline constexpr real pn_real_epsilon = std::numeric_limits<real_type>::epsilon();    \
  inline constexpr real pn_real_max = std::numeric_limits<real_type>::max();            \
  using std::abs, std::asin, std::atan, std::clamp, std::erf, std::erfc, std::exp;       \
  using std::expm1, std::log, std::log1p, std::max, std::min, std::pow, std::sqrt;       \
  using std::tanh;                                                                      \
  }

PENUMBRA_KERNELS_FOR(float, f32)
PENUMBRA_KERNELS_FOR(double, f64)
#undef PENUMBRA_KERNELS_FOR

namespace f32 {
#include "kernels/distributions.h"
#include "kernels/face_geometry.h"
#include "kernels/tconorms.h"
}  // namespace f32

namespace f64 {
#include "kernels/distributions.h"
#include "kernels/face_geometry.h"
#include "kernels/tconorms.h"
}  // namespace f64

// Callers use both namespaces (`using namespace kernels::f32; using namespace kernels::f64;`) and let
// overloading pick by the scalar type of the arguments.

}  // namespace penumbra::kernels
