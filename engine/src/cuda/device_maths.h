#pragma once
// The per-pixel maths and algorithm of engine/kernels/ compiled for CUDA (__host__ __device__, float32), in the
// namespace penumbra::detail::cuda::kernels beside the records of raster_layout.h. glm supplies the vector
// types; CUDA's math library the scalar functions.
#include <cfloat>

#include <glm/glm.hpp>

#include "cuda/raster_layout.h"
#include "kernels/dialect.h"

namespace penumbra::detail::cuda::kernels {

inline constexpr real pn_real_epsilon = FLT_EPSILON;
inline constexpr real pn_real_max = FLT_MAX;

using glm::dot;

PN_FN real clamp(real value, real low, real high) { return fminf(fmaxf(value, low), high); }

#include "kernels/distributions.h"
#include "kernels/face_geometry.h"
#include "kernels/tconorms.h"
#include "kernels/face_setup.h"
#include "kernels/shading.h"
#include "kernels/pixel_forward.h"
#include "kernels/pixel_backward.h"

}  // namespace penumbra::detail::cuda::kernels
