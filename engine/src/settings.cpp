#include "penumbra/settings.h"

#include <array>
#include <cmath>
#include <string>

#include "penumbra/error.h"

namespace penumbra {
namespace {

// One named choice of a setting, with the line `penumbra info` prints for it.
template <class Enum>
struct NamedValue {
  Enum value;
  std::string_view name;
  std::string_view description;
};

constexpr std::array<NamedValue<Distribution>, 18> kDistributions{{
    {Distribution::heaviside, "heaviside", "hard inside test, no gradient (alias: hard)"},
    {Distribution::uniform, "uniform", "finite support [-sigma, sigma]"},
    {Distribution::cubic_hermite, "cubic_hermite", "finite support, smoothstep"},
    {Distribution::wigner_semicircle, "wigner_semicircle", "finite support, semicircle density"},
    {Distribution::gaussian, "gaussian", "exponential tail"},
    {Distribution::laplace, "laplace", "exponential tail"},
    {Distribution::logistic, "logistic", "exponential tail; with --squared it is SoftRas"},
    {Distribution::hyperbolic_secant, "hyperbolic_secant", "exponential tail (alias: gudermannian)"},
    {Distribution::cauchy, "cauchy", "heavy tail: reaches the whole screen"},
    {Distribution::reciprocal, "reciprocal", "heavy tail: reaches the whole screen"},
    {Distribution::gumbel_max, "gumbel_max", "asymmetric; shift"},
    {Distribution::gumbel_min, "gumbel_min", "asymmetric; shift"},
    {Distribution::exponential, "exponential", "asymmetric, half-line support; shift"},
    {Distribution::exponential_rev, "exponential_rev", "mirrored exponential; shift"},
    {Distribution::gamma, "gamma", "asymmetric, half-line support; shape p > 0 (default 1), shift"},
    {Distribution::gamma_rev, "gamma_rev", "mirrored gamma; shape p > 0 (default 1), shift"},
    {Distribution::levy, "levy", "asymmetric heavy tail; shift"},
    {Distribution::levy_rev, "levy_rev", "mirrored levy; shift"},
}};

constexpr std::array<NamedValue<Aggregation>, 10> kAggregations{{
    {Aggregation::hard, "hard", "alpha = 1 where any coverage > 1/2; no gradient"},
    {Aggregation::max, "max", "maximum coverage; gradient to the arg-max face"},
    {Aggregation::probabilistic, "probabilistic", "1 - prod(1 - D) (SoftRas, PyTorch3D)"},
    {Aggregation::einstein, "einstein", "Einstein sum (a + b) / (1 + ab)"},
    {Aggregation::hamacher, "hamacher", "Hamacher, p >= 0 (default 2)"},
    {Aggregation::frank, "frank", "Frank, p > 0 and p != 1 (default 2)"},
    {Aggregation::yager, "yager", "Yager min(1, (sum D^p)^(1/p)), p > 0 (default 2); nilpotent"},
    {Aggregation::aczel_alsina, "aczel_alsina", "Aczel-Alsina, p > 0 (default 2)"},
    {Aggregation::dombi, "dombi", "Dombi, p > 0 (default 2)"},
    {Aggregation::schweizer_sklar, "schweizer_sklar", "Schweizer-Sklar, p < 0 (e.g. -2)"},
}};

template <class Table>
std::string joined_names(const Table& table) {
  std::string names;
  for (const auto& info : table) names += (names.empty() ? "" : ", ") + std::string(info.name);
  return names;
}

template <class Table>
auto values_of(const Table& table) {
  std::array<decltype(table[0].value), std::tuple_size_v<Table>> values{};
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = table[i].value;
  return values;
}

void require(bool ok, const std::string& what, const std::string& setting, const std::string& hint) {
  if (!ok) throw Error(what, setting, hint);
}

bool finite(float value) { return std::isfinite(value); }

}  // namespace

RasterSettings& RasterSettings::gendr_compatible() {
  clipped_barycentrics = true;
  perspective_colors = false;
  gendr_shifts = true;
  gamma_saturation = true;
  colors_in_depth_range = true;
  return *this;
}

std::string_view name(Distribution distribution) {
  return kDistributions[static_cast<std::size_t>(distribution)].name;
}

std::string_view name(Aggregation aggregation) {
  return kAggregations[static_cast<std::size_t>(aggregation)].name;
}

std::string_view name(ColorMode mode) { return mode == ColorMode::softmax ? "softmax" : "hard"; }

std::string_view describe(Distribution distribution) {
  return kDistributions[static_cast<std::size_t>(distribution)].description;
}

std::string_view describe(Aggregation aggregation) {
  return kAggregations[static_cast<std::size_t>(aggregation)].description;
}

Distribution parse_distribution(std::string_view text) {
  if (text == "gudermannian") return Distribution::hyperbolic_secant;
  if (text == "hard") return Distribution::heaviside;
  for (const auto& info : kDistributions) {
    if (info.name == text) return info.value;
  }
  throw Error("unknown distribution '" + std::string(text) + "'", "distribution",
              "use one of: " + joined_names(kDistributions));
}

Aggregation parse_aggregation(std::string_view text) {
  for (const auto& info : kAggregations) {
    if (info.name == text) return info.value;
  }
  throw Error("unknown aggregation (T-conorm) '" + std::string(text) + "'", "aggregation",
              "use one of: " + joined_names(kAggregations));
}

ColorMode parse_color_mode(std::string_view text) {
  if (text == "softmax") return ColorMode::softmax;
  if (text == "hard") return ColorMode::hard;
  throw Error("unknown colour mode '" + std::string(text) + "'", "colors", "use softmax or hard");
}

std::span<const Distribution> all_distributions() {
  static const auto values = values_of(kDistributions);
  return values;
}

std::span<const Aggregation> all_aggregations() {
  static const auto values = values_of(kAggregations);
  return values;
}

void RasterSettings::validate() const {
  constexpr int kMaxSize = 16384;
  require(width >= 1 && width <= kMaxSize && height >= 1 && height <= kMaxSize,
          "image size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range", "size",
          "use 1 to 16384 pixels per side");
  require(finite(sigma) && sigma > 0.0f, "sigma must be a finite number > 0, got " + std::to_string(sigma),
          "sigma", "try 1e-4 with squared distance or 0.01 with linear distance");
  require(finite(gamma) && gamma > 0.0f, "gamma must be a finite number > 0, got " + std::to_string(gamma),
          "gamma", "try 1e-4");
  require(finite(epsilon), "epsilon must be finite", "epsilon", "try 1e-3");
  require(finite(shift), "shift must be finite", "shift", "use 0 unless you want to move the distribution");
  require(finite(background.x) && finite(background.y) && finite(background.z),
          "background colour must be finite", "background", "use values in [0, 1]");
  require(finite(coverage_epsilon) && coverage_epsilon > 0.0f && coverage_epsilon < 0.5f,
          "coverage_epsilon must be in (0, 0.5)", "coverage_epsilon", "use the default 1e-6");
  if (distribution == Distribution::gamma || distribution == Distribution::gamma_rev) {
    require(finite(shape) && shape > 0.0f && shape <= 1000.0f, "gamma shape must be in (0, 1000]", "shape",
            "use a positive shape such as 1 or 2");
  }
  const std::string p_text = "p = " + std::to_string(p);
  require(finite(p), "T-conorm parameter p must be finite", "p",
          "see `penumbra info` for each T-conorm's range");
  switch (aggregation) {
    case Aggregation::hamacher:
      require(p >= 0.0f, "hamacher needs p >= 0, got " + p_text, "p", "use e.g. --p 2");
      break;
    case Aggregation::frank:
      require(p > 0.0f && p != 1.0f && p < 1e6f, "frank needs p > 0 and p != 1, got " + p_text, "p",
              "use e.g. --p 2 (p = 1 is the probabilistic sum: use --aggregation probabilistic)");
      break;
    case Aggregation::yager:
    case Aggregation::aczel_alsina:
    case Aggregation::dombi:
      require(p > 0.0f && p < 1e4f, std::string(name(aggregation)) + " needs 0 < p < 1e4, got " + p_text, "p",
              "use e.g. --p 2");
      break;
    case Aggregation::schweizer_sklar:
      require(p < 0.0f && p > -1e4f, "schweizer_sklar needs p < 0, got " + p_text, "p", "use e.g. --p -2");
      break;
    default:
      break;
  }
  shading.validate();
}

}  // namespace penumbra
