#pragma once
// The shared per-pixel maths and algorithm of engine/kernels/, compiled for the C++ backends once per scalar
// type: penumbra::kernels::f32 (what the GPUs compute) and penumbra::kernels::f64 (for finite-difference
// tests). kernels::Of<T> names one of them by its scalar type.
#include <algorithm>
#include <cmath>
#include <limits>

#include <glm/glm.hpp>

#include "kernels/dialect.h"
#include "penumbra/settings.h"

namespace penumbra::kernels {

#define PENUMBRA_KERNELS_FOR(real_type, namespace_name)                              \
  namespace namespace_name {                                                         \
  using real = real_type;                                                            \
  using real2 = glm::vec<2, real_type, glm::defaultp>;                               \
  using real3 = glm::vec<3, real_type, glm::defaultp>;                               \
  inline constexpr real pn_real_epsilon = std::numeric_limits<real_type>::epsilon(); \
  inline constexpr real pn_real_max = std::numeric_limits<real_type>::max();         \
  using std::abs, std::asin, std::atan, std::ceil, std::clamp, std::erf, std::erfc;  \
  using std::exp, std::expm1, std::floor, std::isfinite, std::log;                   \
  using std::max, std::min, std::pow, std::sqrt, std::tanh;                          \
  }

PENUMBRA_KERNELS_FOR(float, f32)
PENUMBRA_KERNELS_FOR(double, f64)
#undef PENUMBRA_KERNELS_FOR

namespace f32 {
// glibc's log1pf costs several of its logf, and the probabilistic T-conorm calls it for every pair:
// log1p(x) = log(u) x / (u - 1) with u = 1 + x rounded (Goldberg) is within a few ulp of it.
inline float log1p(float x) {
  const float u = 1.0f + x;
  if (u == 1.0f || u == std::numeric_limits<float>::infinity()) return u == 1.0f ? x : u;
  return std::log(u) * (x / (u - 1.0f));
}
}  // namespace f32
namespace f64 {
using std::log1p;
}  // namespace f64

namespace f32 {
#include "kernels/raster_types.h"
#include "kernels/distributions.h"
#include "kernels/face_geometry.h"
#include "kernels/tconorms.h"
#include "kernels/face_setup.h"
#include "kernels/shading.h"
#include "kernels/pixel_forward.h"
#include "kernels/pixel_backward.h"
}  // namespace f32

namespace f64 {
#include "kernels/raster_types.h"
#include "kernels/distributions.h"
#include "kernels/face_geometry.h"
#include "kernels/tconorms.h"
#include "kernels/face_setup.h"
#include "kernels/shading.h"
#include "kernels/pixel_forward.h"
#include "kernels/pixel_backward.h"
}  // namespace f64

// Callers of the maths use both namespaces (`using namespace kernels::f32; using namespace kernels::f64;`)
// and let overloading pick by the scalar type of the arguments; types are named through Of<T>.
template <class T>
struct Of;
#define PENUMBRA_KERNEL_TYPES_OF(real_type, namespace_name)                                 \
  template <>                                                                               \
  struct Of<real_type> {                                                                    \
    using RasterParams = namespace_name::PnRasterParams;                                    \
    using Face = namespace_name::PnFace;                                                    \
    using FaceGradient = namespace_name::PnFaceGradient;                                    \
    using FaceSample = namespace_name::PnFaceSample;                                        \
    using PixelUpstream = namespace_name::PnPixelUpstream;                                  \
    using PixelFold = namespace_name::PnPixelFold;                                          \
    using Shading = namespace_name::PnShading;                                              \
    using ShadingGradient = namespace_name::PnShadingGradient;                              \
    using Surface = namespace_name::PnSurface;                                              \
    using SurfaceGradient = namespace_name::PnSurfaceGradient;                              \
    using TexelGradient = namespace_name::PnTexelGradient;                                  \
    using Texels = namespace_name::PnTexels;                                                \
    static namespace_name::PnShading unlit() { return namespace_name::pn_shading_unlit(); } \
    static namespace_name::PnShadingGradient shading_gradient_zero() {                      \
      return namespace_name::pn_shading_gradient_zero();                                    \
    }                                                                                       \
    static namespace_name::PnSurfaceGradient surface_gradient_zero() {                      \
      return namespace_name::pn_surface_gradient_zero();                                    \
    }                                                                                       \
    static namespace_name::real2 pixel_center(int col, int row, int width, int height) {    \
      return namespace_name::pn_pixel_center(col, row, width, height);                      \
    }                                                                                       \
  };
PENUMBRA_KERNEL_TYPES_OF(float, f32)
PENUMBRA_KERNEL_TYPES_OF(double, f64)
#undef PENUMBRA_KERNEL_TYPES_OF

// The kernels' integer ids are the public enums' values.
static_assert(int(Distribution::heaviside) == f32::PN_DIST_HEAVISIDE &&
                  int(Distribution::uniform) == f32::PN_DIST_UNIFORM &&
                  int(Distribution::cubic_hermite) == f32::PN_DIST_CUBIC_HERMITE &&
                  int(Distribution::wigner_semicircle) == f32::PN_DIST_WIGNER &&
                  int(Distribution::gaussian) == f32::PN_DIST_GAUSSIAN &&
                  int(Distribution::laplace) == f32::PN_DIST_LAPLACE &&
                  int(Distribution::logistic) == f32::PN_DIST_LOGISTIC &&
                  int(Distribution::hyperbolic_secant) == f32::PN_DIST_HYPERBOLIC_SECANT &&
                  int(Distribution::cauchy) == f32::PN_DIST_CAUCHY &&
                  int(Distribution::reciprocal) == f32::PN_DIST_RECIPROCAL &&
                  int(Distribution::gumbel_max) == f32::PN_DIST_GUMBEL_MAX &&
                  int(Distribution::gumbel_min) == f32::PN_DIST_GUMBEL_MIN &&
                  int(Distribution::exponential) == f32::PN_DIST_EXPONENTIAL &&
                  int(Distribution::exponential_rev) == f32::PN_DIST_EXPONENTIAL_REV &&
                  int(Distribution::gamma) == f32::PN_DIST_GAMMA &&
                  int(Distribution::gamma_rev) == f32::PN_DIST_GAMMA_REV &&
                  int(Distribution::levy) == f32::PN_DIST_LEVY &&
                  int(Distribution::levy_rev) == f32::PN_DIST_LEVY_REV,
              "engine/kernels/distributions.h ids must equal penumbra::Distribution");
static_assert(int(Aggregation::hard) == f32::PN_AGG_HARD && int(Aggregation::max) == f32::PN_AGG_MAX &&
                  int(Aggregation::probabilistic) == f32::PN_AGG_PROBABILISTIC &&
                  int(Aggregation::einstein) == f32::PN_AGG_EINSTEIN &&
                  int(Aggregation::hamacher) == f32::PN_AGG_HAMACHER &&
                  int(Aggregation::frank) == f32::PN_AGG_FRANK &&
                  int(Aggregation::yager) == f32::PN_AGG_YAGER &&
                  int(Aggregation::aczel_alsina) == f32::PN_AGG_ACZEL_ALSINA &&
                  int(Aggregation::dombi) == f32::PN_AGG_DOMBI &&
                  int(Aggregation::schweizer_sklar) == f32::PN_AGG_SCHWEIZER_SKLAR,
              "engine/kernels/tconorms.h ids must equal penumbra::Aggregation");
static_assert(int(ShadingModel::unlit) == f32::PN_SHADE_UNLIT &&
                  int(ShadingModel::lambert) == f32::PN_SHADE_LAMBERT &&
                  int(ShadingModel::phong) == f32::PN_SHADE_PHONG &&
                  int(ShadingModel::sh) == f32::PN_SHADE_SH &&
                  int(LightKind::directional) == f32::PN_LIGHT_DIRECTIONAL &&
                  int(LightKind::point) == f32::PN_LIGHT_POINT && Shading::kMaxLights == f32::PN_MAX_LIGHTS &&
                  int(TextureWrap::repeat) == f32::PN_WRAP_REPEAT &&
                  int(TextureWrap::clamp) == f32::PN_WRAP_CLAMP,
              "engine/kernels/shading.h ids must equal penumbra::Shading's");

}  // namespace penumbra::kernels
