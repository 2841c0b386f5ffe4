#pragma once
/// Relaxed conditional swaps: the sigmoids of diffsort (ICML 2021) and monotonic diffsort (ICLR 2022).
#include <string_view>

namespace penumbra::sort {

/// The sigmoid f that turns the gap between two wires into a mixing weight.
enum class RelaxationKind { logistic, logistic_phi, gaussian, reciprocal, cauchy, optimal };

/// Parses logistic, logistic_phi, gaussian, reciprocal, cauchy or optimal; throws penumbra::Error otherwise.
RelaxationKind parse_relaxation_kind(std::string_view name);

/// The name that parse_relaxation_kind accepts.
std::string_view relaxation_kind_name(RelaxationKind kind);

/// True for the sigmoids whose relaxed sort is monotonic (ICLR 2022): reciprocal, cauchy, optimal.
bool is_monotonic(RelaxationKind kind);

/// A relaxation with its parameters. With gap = b - a and x = steepness * gap:
///   logistic      f = 1 / (1 + exp(-x))
///   logistic_phi  f = logistic(steepness * gap / (|gap| + 1e-10)^art_lambda)   (activation replacement trick)
///   gaussian      f = Phi(x), the standard normal CDF
///   reciprocal    f = (x / (2 + |x|) + 1) / 2   (diffsort's code form: its steepness is 4x the paper's)
///   cauchy        f = atan(x) / pi + 1/2
///   optimal       f = x + 1/2 for |x| <= 1/4, else 1 - 1/(16x) (x > 0) or -1/(16x) (x < 0)
struct Relaxation {
  RelaxationKind kind = RelaxationKind::cauchy;
  double steepness = 10.0;   ///< beta > 0; larger is closer to a hard sort
  double art_lambda = 0.25;  ///< lambda in [0, 1], used by logistic_phi only

  /// Throws penumbra::Error on steepness <= 0 or not finite, or art_lambda outside [0, 1].
  void validate() const;
};

/// The mixing weight of one comparator and its derivative with respect to the gap.
struct SwapWeight {
  double alpha = 0.5;        ///< f(gap): the share of wire a that stays on the min wire
  double dalpha_dgap = 0.0;  ///< d alpha / d gap
};

/// alpha = f(gap) for the comparator (a, b) with gap = b - a: min = alpha a + (1 - alpha) b,
/// max = (1 - alpha) a + alpha b.
SwapWeight swap_weight(const Relaxation& relaxation, double gap);

}  // namespace penumbra::sort
