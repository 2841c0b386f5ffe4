// Coverage distributions (GenDR): D = F(s) with s = signed distance / sigma + shift, and dF/ds.
// Ids follow penumbra::Distribution. Mirrored `_rev` forms are F_rev(s) = 1 - F(-s) = S(-s), written with
// the survival function S so that tiny coverages keep their precision.

PN_CONST int PN_DIST_HEAVISIDE = 0;
PN_CONST int PN_DIST_UNIFORM = 1;
PN_CONST int PN_DIST_CUBIC_HERMITE = 2;
PN_CONST int PN_DIST_WIGNER = 3;
PN_CONST int PN_DIST_GAUSSIAN = 4;
PN_CONST int PN_DIST_LAPLACE = 5;
PN_CONST int PN_DIST_LOGISTIC = 6;
PN_CONST int PN_DIST_HYPERBOLIC_SECANT = 7;
PN_CONST int PN_DIST_CAUCHY = 8;
PN_CONST int PN_DIST_RECIPROCAL = 9;
PN_CONST int PN_DIST_GUMBEL_MAX = 10;
PN_CONST int PN_DIST_GUMBEL_MIN = 11;
PN_CONST int PN_DIST_EXPONENTIAL = 12;
PN_CONST int PN_DIST_EXPONENTIAL_REV = 13;
PN_CONST int PN_DIST_GAMMA = 14;
PN_CONST int PN_DIST_GAMMA_REV = 15;
PN_CONST int PN_DIST_LEVY = 16;
PN_CONST int PN_DIST_LEVY_REV = 17;

PN_CONST int PN_GAMMA_MAX_ITERATIONS = 300;

// Regularised incomplete gamma: P(shape, u) when `upper` is false, Q = 1 - P when true. Series below
// shape + 1, Lentz's continued fraction above (both converge fast there). log_gamma_shape = lgamma(shape).
PN_FN real pn_incomplete_gamma(real shape, real u, real log_gamma_shape, bool upper) {
  if (u <= real(0)) return upper ? real(1) : real(0);
  real prefactor = exp(shape * log(u) - u - log_gamma_shape);
  if (u < shape + real(1)) {
    real term = real(1) / shape;
    real sum = term;
    real a = shape;
    for (int i = 0; i < PN_GAMMA_MAX_ITERATIONS; ++i) {
      a += real(1);
      term *= u / a;
      sum += term;
      if (abs(term) < abs(sum) * pn_real_epsilon) break;
    }
    real lower = sum * prefactor;
    return upper ? real(1) - lower : lower;
  }
  real tiny = real(1e-30);
  real b = u + real(1) - shape;
  real c = real(1) / tiny;
  real d = real(1) / b;
  real h = d;
  for (int i = 1; i < PN_GAMMA_MAX_ITERATIONS; ++i) {
    real an = -real(i) * (real(i) - shape);
    b += real(2);
    d = an * d + b;
    if (abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (abs(c) < tiny) c = tiny;
    d = real(1) / d;
    real delta = d * c;
    h *= delta;
    if (abs(delta - real(1)) < pn_real_epsilon) break;
  }
  real q = prefactor * h;
  return upper ? q : real(1) - q;
}

// CDF (survival = false) or survival function 1 - CDF (survival = true) of the unmirrored distribution
// `base`, evaluated at u. Each branch writes whichever side is small directly.
PN_FN real pn_base_cdf(int base, real u, real shape, real log_gamma_shape, bool survival) {
  real v = survival ? -u : u;  // symmetric distributions: S(u) = F(-u)
  if (base == PN_DIST_UNIFORM) return clamp((v + real(1)) * real(0.5), real(0), real(1));
  if (base == PN_DIST_CUBIC_HERMITE) {
    real y = clamp((v + real(1)) * real(0.5), real(0), real(1));
    return y * y * (real(3) - real(2) * y);
  }
  if (base == PN_DIST_WIGNER) {
    if (v <= real(-1)) return real(0);
    if (v >= real(1)) return real(1);
    return real(0.5) + (v * sqrt(real(1) - v * v) + pn_asin(v)) / real(3.14159265358979323846);
  }
  if (base == PN_DIST_GAUSSIAN) return real(0.5) * pn_erfc(-v * real(0.70710678118654752440));
  if (base == PN_DIST_LAPLACE) {
    return v < real(0) ? real(0.5) * exp(v) : real(1) - real(0.5) * exp(-v);
  }
  if (base == PN_DIST_LOGISTIC) {
    if (v >= real(0)) return real(1) / (real(1) + exp(-v));
    real e = exp(v);
    return e / (real(1) + e);
  }
  if (base == PN_DIST_HYPERBOLIC_SECANT) {
    // (2/pi) atan(e^v), written with atan(e^-v) on the positive side so that it does not round to 1 early.
    if (v <= real(0)) return real(0.63661977236758134308) * pn_atan(exp(v));
    return real(1) - real(0.63661977236758134308) * pn_atan(exp(-v));
  }
  if (base == PN_DIST_CAUCHY) {
    // 1/2 + atan(v)/pi, written with atan(1/v) so that the tails keep their precision.
    if (v < real(0)) return -pn_atan(real(1) / v) / real(3.14159265358979323846);
    if (v > real(0)) return real(1) - pn_atan(real(1) / v) / real(3.14159265358979323846);
    return real(0.5);
  }
  if (base == PN_DIST_RECIPROCAL) {
    return v <= real(0) ? real(0.5) / (real(1) - v) : real(1) - real(0.5) / (real(1) + v);
  }
  // The asymmetric ones: survival is not a mirror, so each writes both sides.
  if (base == PN_DIST_GUMBEL_MAX) {
    return survival ? -pn_expm1(-exp(-u)) : exp(-exp(-u));
  }
  if (base == PN_DIST_GUMBEL_MIN) {
    return survival ? exp(-exp(u)) : -pn_expm1(-exp(u));
  }
  if (base == PN_DIST_EXPONENTIAL) {
    if (u <= real(0)) return survival ? real(1) : real(0);
    return survival ? exp(-u) : -pn_expm1(-u);
  }
  if (base == PN_DIST_GAMMA) return pn_incomplete_gamma(shape, u, log_gamma_shape, survival);
  if (base == PN_DIST_LEVY) {
    if (u <= real(0)) return survival ? real(1) : real(0);
    real x = sqrt(real(0.5) / u);
    return survival ? pn_erf(x) : pn_erfc(x);
  }
  return real(0);
}

// dF/du of the unmirrored distribution.
PN_FN real pn_base_pdf(int base, real u, real shape, real log_gamma_shape) {
  if (base == PN_DIST_UNIFORM) return abs(u) < real(1) ? real(0.5) : real(0);
  if (base == PN_DIST_CUBIC_HERMITE) {
    if (abs(u) >= real(1)) return real(0);
    real y = (u + real(1)) * real(0.5);
    return real(3) * y * (real(1) - y);
  }
  if (base == PN_DIST_WIGNER) {
    return abs(u) < real(1) ? real(0.63661977236758134308) * sqrt(real(1) - u * u) : real(0);
  }
  if (base == PN_DIST_GAUSSIAN) return real(0.39894228040143267794) * exp(real(-0.5) * u * u);
  if (base == PN_DIST_LAPLACE) return real(0.5) * exp(-abs(u));
  if (base == PN_DIST_LOGISTIC) {
    real e = exp(-abs(u));
    return e / ((real(1) + e) * (real(1) + e));
  }
  if (base == PN_DIST_HYPERBOLIC_SECANT) {
    real e = exp(-abs(u));
    return real(0.63661977236758134308) * e / (real(1) + e * e);
  }
  if (base == PN_DIST_CAUCHY) return real(0.31830988618379067154) / (real(1) + u * u);
  if (base == PN_DIST_RECIPROCAL) return real(0.5) / ((real(1) + abs(u)) * (real(1) + abs(u)));
  // One exponential of the summed exponents: e * exp(-e) would be infinity * 0 where e overflows.
  if (base == PN_DIST_GUMBEL_MAX) return exp(-u - exp(-u));
  if (base == PN_DIST_GUMBEL_MIN) return exp(u - exp(u));
  if (base == PN_DIST_EXPONENTIAL) return u > real(0) ? exp(-u) : real(0);
  if (base == PN_DIST_GAMMA) {
    return u > real(0) ? exp((shape - real(1)) * log(u) - u - log_gamma_shape) : real(0);
  }
  if (base == PN_DIST_LEVY) {
    return u > real(0) ? real(0.39894228040143267794) * exp(real(-0.5) / u) / (u * sqrt(u)) : real(0);
  }
  return real(0);
}

PN_FN bool pn_is_mirrored(int distribution) {
  return distribution == PN_DIST_EXPONENTIAL_REV || distribution == PN_DIST_GAMMA_REV ||
         distribution == PN_DIST_LEVY_REV;
}

// The unmirrored distribution behind a `_rev` id (the ids of a pair are adjacent).
PN_FN int pn_base_of(int distribution) {
  return pn_is_mirrored(distribution) ? distribution - 1 : distribution;
}

// Coverage D = F(s). `inside` decides heaviside, whose F is the hard inside test.
PN_FN real pn_coverage(int distribution, real s, bool inside, real shape, real log_gamma_shape) {
  if (distribution == PN_DIST_HEAVISIDE) return inside ? real(1) : real(0);
  real value = pn_is_mirrored(distribution)
                   ? pn_base_cdf(pn_base_of(distribution), -s, shape, log_gamma_shape, true)
                   : pn_base_cdf(distribution, s, shape, log_gamma_shape, false);
  // Series and continued fractions can land an ulp outside [0, 1].
  return clamp(value, real(0), real(1));
}

// dD/ds; zero for heaviside.
PN_FN real pn_coverage_density(int distribution, real s, real shape, real log_gamma_shape) {
  if (distribution == PN_DIST_HEAVISIDE) return real(0);
  if (pn_is_mirrored(distribution)) return pn_base_pdf(pn_base_of(distribution), -s, shape, log_gamma_shape);
  return pn_base_pdf(distribution, s, shape, log_gamma_shape);
}
