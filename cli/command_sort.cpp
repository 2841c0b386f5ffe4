// `penumbra sort`: soft-sorts a list of values and prints the relaxed permutation matrix.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "number_checks.h"
#include "cli_support.h"
#include "commands.h"
#include "penumbra/sort/soft_sort.h"

namespace penumbra::cli {
namespace {

constexpr const char* kConvention = "P[i][j] = weight of input i at rank j (ascending); sorted = x P";

struct SortOptions {
  std::string network = "odd_even";
  std::string relaxation = "cauchy";
  double steepness = 10.0;
  double art_lambda = 0.25;
  std::string values;
  bool json = false;
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Parses "v1,v2,..." into finite doubles; any other text is a usage error naming the bad entry.
std::vector<double> parse_values(const std::string& text) {
  std::vector<double> values;
  std::string_view rest = text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view entry = trim(rest.substr(0, comma));
    double value = 0;
    const auto [end, error] = std::from_chars(entry.data(), entry.data() + entry.size(), value);
    if (entry.empty() || error != std::errc() || end != entry.data() + entry.size()) {
      throw UsageError{"--values entry '" + std::string(entry) +
                       "' is not a number; write e.g. --values \"0.3,-1,2\""};
    }
    if (!std::isfinite(value)) {
      throw UsageError{"--values entry '" + std::string(entry) + "' is not finite; sort finite numbers only"};
    }
    values.push_back(value);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (values.size() < 2)
    throw UsageError{"--values needs at least 2 numbers, got " + std::to_string(values.size())};
  return values;
}

void run_sort(const SortOptions& options) {
  const std::vector<double> values = parse_values(options.values);
  const sort::Relaxation relaxation{sort::parse_relaxation_kind(options.relaxation), options.steepness,
                                    options.art_lambda};
  relaxation.validate();
  const int n = static_cast<int>(values.size());
  const sort::SortingNetwork network =
      sort::SortingNetwork::create(sort::parse_network_kind(options.network), n);
  const sort::SoftSortResult<double> result = sort::soft_sort(network, relaxation, values);

  if (options.json) {
    nlohmann::json permutation = nlohmann::json::array();
    for (int input = 0; input < n; ++input) {
      permutation.push_back(std::vector<double>(result.permutation.begin() + input * n,
                                                result.permutation.begin() + (input + 1) * n));
    }
    const nlohmann::json output = {{"network", options.network},
                                   {"relaxation", options.relaxation},
                                   {"steepness", options.steepness},
                                   {"art_lambda", options.art_lambda},
                                   {"n", n},
                                   {"values", values},
                                   {"sorted", result.sorted},
                                   {"permutation", permutation},
                                   {"convention", kConvention}};
    std::printf("%s\n", output.dump(2).c_str());
    return;
  }
  std::printf("network %s, relaxation %s, steepness %g, n = %d\n", options.network.c_str(),
              options.relaxation.c_str(), options.steepness, n);
  std::printf("sorted:");
  for (double value : result.sorted) std::printf(" %.6g", value);
  std::printf("\n%s\n", kConvention);
  for (int input = 0; input < n; ++input) {
    std::printf("input %d (%.6g):", input, values[input]);
    for (int rank = 0; rank < n; ++rank) std::printf(" %.4f", result.permutation[input * n + rank]);
    std::printf("\n");
  }
}

}  // namespace

void add_sort_command(CLI::App& app) {
  auto options = std::make_shared<SortOptions>();
  CLI::App* command =
      app.add_subcommand("sort", "Soft-sort values by a relaxed sorting network; print sorted values and P");
  command->add_option("--network", options->network, "odd_even, bitonic or bitonic_mirror")
      ->capture_default_str();
  command
      ->add_option("--relaxation", options->relaxation,
                   "logistic, logistic_phi, gaussian, reciprocal, cauchy or optimal")
      ->capture_default_str();
  command->add_option("--steepness", options->steepness, "beta > 0; larger is closer to a hard sort")
      ->capture_default_str()
      ->check(in_range(1e-06, 1000000.0));
  command->add_option("--art-lambda", options->art_lambda, "lambda in [0, 1] of logistic_phi")
      ->capture_default_str()
      ->check(in_range(0, 1));
  command->add_option("--values", options->values, "comma-separated numbers, e.g. \"0.3,-0.1,0.25\"")
      ->required();
  command->add_flag("--json", options->json, "print JSON instead of text");
  command->callback([options] { run_sort(*options); });
}

}  // namespace penumbra::cli
