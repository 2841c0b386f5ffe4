#include "penumbra/sort/relaxation.h"

#include <cmath>
#include <numbers>
#include <string>

#include "penumbra/error.h"

namespace penumbra::sort {
namespace {

constexpr double kArtEpsilon = 1e-10;  // diffsort's guard against 0^-lambda at gap = 0

double logistic(double x) {
  // Two branches so that exp never overflows.
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

}  // namespace

RelaxationKind parse_relaxation_kind(std::string_view name) {
  for (RelaxationKind kind :
       {RelaxationKind::logistic, RelaxationKind::logistic_phi, RelaxationKind::gaussian,
        RelaxationKind::reciprocal, RelaxationKind::cauchy, RelaxationKind::optimal}) {
    if (name == relaxation_kind_name(kind)) return kind;
  }
  throw Error("unknown relaxation '" + std::string(name) + "'", "relaxation",
              "use logistic, logistic_phi, gaussian, reciprocal, cauchy or optimal");
}

std::string_view relaxation_kind_name(RelaxationKind kind) {
  switch (kind) {
    case RelaxationKind::logistic:
      return "logistic";
    case RelaxationKind::logistic_phi:
      return "logistic_phi";
    case RelaxationKind::gaussian:
      return "gaussian";
    case RelaxationKind::reciprocal:
      return "reciprocal";
    case RelaxationKind::cauchy:
      return "cauchy";
    case RelaxationKind::optimal:
      return "optimal";
  }
  return "cauchy";
}

bool is_monotonic(RelaxationKind kind) {
  return kind == RelaxationKind::reciprocal || kind == RelaxationKind::cauchy ||
         kind == RelaxationKind::optimal;
}

void Relaxation::validate() const {
  if (!std::isfinite(steepness) || steepness <= 0) {
    throw Error("steepness must be a finite number > 0, got " + std::to_string(steepness), "steepness",
                "try 10 (diffsort's default)");
  }
  if (!std::isfinite(art_lambda) || art_lambda < 0 || art_lambda > 1) {
    throw Error("art lambda must lie in [0, 1], got " + std::to_string(art_lambda), "art_lambda",
                "try 0.25 (diffsort's default)");
  }
}

SwapWeight swap_weight(const Relaxation& relaxation, double gap) {
  const double beta = relaxation.steepness;
  const double x = beta * gap;
  switch (relaxation.kind) {
    case RelaxationKind::logistic: {
      const double f = logistic(x);
      return {f, beta * f * (1 - f)};
    }
    case RelaxationKind::logistic_phi: {
      const double lambda = relaxation.art_lambda;
      const double magnitude = std::abs(gap) + kArtEpsilon;
      const double scale = std::pow(magnitude, -lambda);
      const double u = x * scale;
      // d/dgap of gap * (|gap| + eps)^-lambda = scale * (1 - lambda |gap| / (|gap| + eps)).
      const double du_dgap = beta * scale * (1 - lambda * std::abs(gap) / magnitude);
      const double f = logistic(u);
      return {f, f * (1 - f) * du_dgap};
    }
    case RelaxationKind::gaussian: {
      const double f = 0.5 * std::erfc(-x / std::numbers::sqrt2);
      const double density = std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi);
      return {f, beta * density};
    }
    case RelaxationKind::reciprocal: {
      const double denominator = 2 + std::abs(x);
      return {0.5 * (x / denominator + 1), beta / (denominator * denominator)};
    }
    case RelaxationKind::cauchy:
      return {std::atan(x) / std::numbers::pi + 0.5, beta / (std::numbers::pi * (1 + x * x))};
    case RelaxationKind::optimal: {
      if (std::abs(x) <= 0.25) return {x + 0.5, beta};
      const double slope = beta / (16 * x * x);
      return {x > 0 ? 1 - 1 / (16 * x) : -1 / (16 * x), slope};
    }
  }
  return {};
}

}  // namespace penumbra::sort
