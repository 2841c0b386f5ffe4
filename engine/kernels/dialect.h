// Bridges C++ (templated on the scalar), GLSL and CUDA so that the per-pixel maths in this folder is written
// once. Kernel headers have no include guards: C++ includes them once per scalar type inside a namespace
// (see engine/src/kernels.h), GLSL and CUDA include them once.
//
// Dialect rules for the kernel headers: scalars are `real`, vectors `real2` and `real3`; every literal is
// wrapped as real(...); functions are declared PN_FN; output parameters are PN_OUT(type) name, large read-only records
// PN_IN(type) name (a reference in C++ and CUDA: by value, they would be copied at every call); integer
// constants PN_CONST int. pn_mul, pn_add and pn_sub are single rounded operations that no compiler fuses
// into a multiply-add (GLSL `precise`, CUDA's _rn intrinsics), for results that must agree bit for bit
// between backends (inside tests, pixel boxes). Only functions that exist in all three dialects (or the pn_
// ones below) are called.
#ifndef PENUMBRA_KERNELS_DIALECT_H
#define PENUMBRA_KERNELS_DIALECT_H

#if defined(GL_core_profile) || defined(GL_ES)  // GLSL (glslc)
#define PN_GLSL 1
#define PN_FN
#define PN_IN(type) in type
#define PN_OUT(type) out type
#define PN_INOUT(type) inout type
#define PN_CONST const
#define real float
#define real2 vec2
#define real3 vec3
#define pn_real_epsilon 1.1920929e-7
#define pn_real_max 3.402823e38
#elif defined(__CUDACC__)  // CUDA: `real`, `real2` and `real3` are defined by the including file
#define PN_FN __host__ __device__ inline
#define PN_IN(type) const type&
#define PN_OUT(type) type&
#define PN_INOUT(type) type&
#define PN_CONST constexpr
#else  // C++: `real`, `real2`, `real3`, pn_real_epsilon and pn_real_max come from the enclosing namespace
#define PN_FN inline
#define PN_IN(type) const type&
#define PN_OUT(type) type&
#define PN_INOUT(type) type&
#define PN_CONST constexpr
#endif

#ifdef PN_GLSL
// GLSL lacks these, and Vulkan lets its asin and atan be as coarse as 4096 ulp (Mesa's are ~1e-4 off), and
// its log near 1 lose relative precision; float-accurate versions (relative error ~1e-7) that need only
// exp, log away from 1 and sqrt.
float pn_log1p(float x) {
  // log(1 + x) = 2 atanh(z), z = x / (2 + x): an odd series that converges fast for small x.
  if (x > -0.2 && x < 0.25) {
    float z = x / (2.0 + x);
    float z2 = z * z;
    return 2.0 * z *
           (1.0 + z2 * (1.0 / 3.0 + z2 * (1.0 / 5.0 + z2 * (1.0 / 7.0 + z2 * (1.0 / 9.0 + z2 / 11.0)))));
  }
  return log(1.0 + x);
}
float pn_expm1(float x) {
  // Taylor series where exp(x) - 1 would cancel.
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (1.0 / 2.0 +
                           x * (1.0 / 6.0 +
                                x * (1.0 / 24.0 +
                                     x * (1.0 / 120.0 +
                                          x * (1.0 / 720.0 +
                                               x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x / 362880.0))))))));
  }
  return exp(x) - 1.0;
}
// Cephes' atanf: reduce to |x| <= tan(pi/8), then a minimax polynomial.
float pn_atan(float x) {
  float a = abs(x);
  float base = 0.0;
  if (a > 2.414213562373095) {
    base = 1.5707963267948966;
    a = -1.0 / a;
  } else if (a > 0.4142135623730950) {
    base = 0.7853981633974483;
    a = (a - 1.0) / (a + 1.0);
  }
  float z = a * a;
  float y =
      base +
      ((((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * a +
       a);
  return x < 0.0 ? -y : y;
}
float pn_asin(float x) {
  if (abs(x) >= 1.0) return x > 0.0 ? 1.5707963267948966 : -1.5707963267948966;
  return pn_atan(x / sqrt((1.0 - x) * (1.0 + x)));
}
// Numerical Recipes' erfc with a Chebyshev fit, fractional error below 1.2e-7 everywhere.
float pn_erfc(float x) {
  float z = abs(x);
  float t = 1.0 / (1.0 + 0.5 * z);
  float r =
      t * exp(-z * z - 1.26551223 +
              t * (1.00002368 +
                   t * (0.37409196 +
                        t * (0.09678418 +
                             t * (-0.18628806 +
                                  t * (0.27886807 +
                                       t * (-1.13520398 +
                                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0.0 ? r : 2.0 - r;
}
float pn_erf(float x) { return 1.0 - pn_erfc(x); }
float pn_mul(float a, float b) {
  precise float product = a * b;
  return product;
}
float pn_add(float a, float b) {
  precise float total = a + b;
  return total;
}
float pn_sub(float a, float b) {
  precise float difference = a - b;
  return difference;
}
bool pn_isfinite(float x) { return !isinf(x) && !isnan(x); }
#else
#define pn_log1p(x) log1p(x)
#define pn_expm1(x) expm1(x)
#define pn_erfc(x) erfc(x)
#define pn_erf(x) erf(x)
#define pn_atan(x) atan(x)
#define pn_asin(x) asin(x)
#define pn_isfinite(x) isfinite(x)
#if defined(__CUDA_ARCH__)
#define pn_mul(a, b) __fmul_rn(a, b)
#define pn_add(a, b) __fadd_rn(a, b)
#define pn_sub(a, b) __fsub_rn(a, b)
#else
#define pn_mul(a, b) ((a) * (b))
#define pn_add(a, b) ((a) + (b))
#define pn_sub(a, b) ((a) - (b))
#endif
#endif

#endif  // PENUMBRA_KERNELS_DIALECT_H
