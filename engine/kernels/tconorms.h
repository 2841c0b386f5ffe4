// T-conorms that fold coverages D_j into the silhouette alpha A (ids follow penumbra::Aggregation).
// All but hard and max are Archimedean: A = g^-1(min(sum_j g(D_j), g(1))) for an additive generator g with
// g(0) = 0, so the fold does not depend on face order and dA/dD_j = g'(D_j) / g'(A) needs only the final A.
// Generators are written in terms of a = D with log1p/expm1 so that tiny coverages survive float32.

PN_CONST int PN_AGG_HARD = 0;
PN_CONST int PN_AGG_MAX = 1;
PN_CONST int PN_AGG_PROBABILISTIC = 2;
PN_CONST int PN_AGG_EINSTEIN = 3;
PN_CONST int PN_AGG_HAMACHER = 4;
PN_CONST int PN_AGG_FRANK = 5;
PN_CONST int PN_AGG_YAGER = 6;
PN_CONST int PN_AGG_ACZEL_ALSINA = 7;
PN_CONST int PN_AGG_DOMBI = 8;
PN_CONST int PN_AGG_SCHWEIZER_SKLAR = 9;

PN_FN bool pn_is_archimedean(int aggregation) { return aggregation >= PN_AGG_PROBABILISTIC; }

// Yager is nilpotent: its generator saturates at g(1) = 1. All others here are strict: g(1) = infinity.
PN_FN bool pn_is_nilpotent(int aggregation) { return aggregation == PN_AGG_YAGER; }

// g(a) for a in [0, 1).
PN_FN real pn_generator(int aggregation, real a, real p) {
  if (aggregation == PN_AGG_PROBABILISTIC) return -pn_log1p(-a);
  if (aggregation == PN_AGG_EINSTEIN) return pn_log1p(a) - pn_log1p(-a);
  if (aggregation == PN_AGG_HAMACHER) {
    if (p == real(0)) return a / (real(1) - a);
    return pn_log1p(-(real(1) - p) * a) - pn_log1p(-a);
  }
  if (aggregation == PN_AGG_FRANK) {
    real lp = log(p);
    return -pn_log1p(p * pn_expm1(-a * lp) / (p - real(1)));
  }
  if (aggregation == PN_AGG_YAGER) return pow(a, p);
  if (aggregation == PN_AGG_ACZEL_ALSINA) return pow(-pn_log1p(-a), p);
  if (aggregation == PN_AGG_DOMBI) return pow(a / (real(1) - a), p);
  if (aggregation == PN_AGG_SCHWEIZER_SKLAR) return -pn_expm1(p * pn_log1p(-a)) / p;
  return real(0);
}

// g^-1(y) for y >= 0; returns 1 when y is infinite (a coverage of exactly 1 was folded in).
PN_FN real pn_generator_inverse(int aggregation, real y, real p) {
  if (y >= pn_real_max) return real(1);
  if (aggregation == PN_AGG_PROBABILISTIC) return -pn_expm1(-y);
  if (aggregation == PN_AGG_EINSTEIN) return tanh(real(0.5) * y);
  if (aggregation == PN_AGG_HAMACHER) {
    if (p == real(0)) return y / (real(1) + y);
    real e = pn_expm1(y);
    return e / (e + p);
  }
  if (aggregation == PN_AGG_FRANK) {
    real lp = log(p);
    return -pn_log1p(pn_expm1(-y) * (p - real(1)) / p) / lp;
  }
  if (aggregation == PN_AGG_YAGER) return min(pow(y, real(1) / p), real(1));
  if (aggregation == PN_AGG_ACZEL_ALSINA) return -pn_expm1(-pow(y, real(1) / p));
  if (aggregation == PN_AGG_DOMBI) {
    real r = pow(y, real(1) / p);
    return r / (real(1) + r);
  }
  if (aggregation == PN_AGG_SCHWEIZER_SKLAR) return -pn_expm1(pn_log1p(-p * y) / p);
  return real(0);
}

// g'(a) for a in [0, 1).
PN_FN real pn_generator_derivative(int aggregation, real a, real p) {
  if (aggregation == PN_AGG_PROBABILISTIC) return real(1) / (real(1) - a);
  if (aggregation == PN_AGG_EINSTEIN) return real(2) / ((real(1) - a) * (real(1) + a));
  if (aggregation == PN_AGG_HAMACHER) {
    if (p == real(0)) return real(1) / ((real(1) - a) * (real(1) - a));
    return p / ((real(1) - (real(1) - p) * a) * (real(1) - a));
  }
  if (aggregation == PN_AGG_FRANK) {
    real lp = log(p);
    return -lp / pn_expm1((a - real(1)) * lp);
  }
  if (aggregation == PN_AGG_YAGER) return p * pow(a, p - real(1));
  if (aggregation == PN_AGG_ACZEL_ALSINA) {
    return p * pow(-pn_log1p(-a), p - real(1)) / (real(1) - a);
  }
  if (aggregation == PN_AGG_DOMBI) {
    return p * pow(a / (real(1) - a), p - real(1)) / ((real(1) - a) * (real(1) - a));
  }
  if (aggregation == PN_AGG_SCHWEIZER_SKLAR) return exp((p - real(1)) * pn_log1p(-a));
  return real(0);
}

// Folds one coverage into the running state: the generator sum (Archimedean), the maximum (max), or
// 0/1 for any coverage above one half (hard).
PN_FN real pn_aggregate_step(int aggregation, real state, real coverage, real p) {
  if (aggregation == PN_AGG_HARD) return coverage > real(0.5) ? real(1) : state;
  if (aggregation == PN_AGG_MAX) return max(state, coverage);
  if (coverage >= real(1)) return pn_real_max;
  return min(state + pn_generator(aggregation, coverage, p), pn_real_max);
}

// A from the folded state.
PN_FN real pn_aggregate_finish(int aggregation, real state, real p) {
  if (!pn_is_archimedean(aggregation)) return state;
  if (pn_is_nilpotent(aggregation))
    return min(pn_generator_inverse(aggregation, min(state, real(1)), p), real(1));
  return pn_generator_inverse(aggregation, state, p);
}

// dA/dD_j of an Archimedean T-conorm from the final A and D_j alone; zero once A saturates at 1.
PN_FN real pn_aggregate_gradient(int aggregation, real alpha, real coverage, real p) {
  if (!pn_is_archimedean(aggregation) || alpha >= real(1) || coverage >= real(1)) return real(0);
  return pn_generator_derivative(aggregation, coverage, p) / pn_generator_derivative(aggregation, alpha, p);
}
