#pragma once
// The per-pixel maths of engine/kernels/ compiled for CUDA (__host__ __device__, float32), in the namespace
// penumbra::cuda_kernels. glm supplies the vector types; CUDA's math library the scalar functions.
#include <cfloat>

#include <glm/glm.hpp>

#include "kernels/dialect.h"

namespace penumbra::cuda_kernels {

using real = float;
using real2 = glm::vec2;
using real3 = glm::vec3;
inline constexpr real pn_real_epsilon = FLT_EPSILON;
inline constexpr real pn_real_max = FLT_MAX;

using glm::dot;

PN_FN real clamp(real value, real low, real high) { return fminf(fmaxf(value, low), high); }

#include "kernels/distributions.h"
#include "kernels/face_geometry.h"
#include "kernels/tconorms.h"

}  // namespace penumbra::cuda_kernels
