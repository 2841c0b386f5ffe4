// `penumbra rank-eval`: the ranking accuracy of a scorer saved by rank-train (model.bin) on the test split's
// fixed four-digit sets, the same sets rank-train reports.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "number_checks.h"
#include "cli_support.h"
#include "commands.h"
#include "penumbra/data/idx.h"
#include "penumbra/error.h"
#include "penumbra/sort/ranking_training.h"
#include "threads_option.h"
#include "penumbra/learning/training_checkpoints.h"

namespace penumbra::cli {
namespace {

struct RankEvalOptions {
  std::string model;
  int n = 0;
  int test_sets = 2000;
  std::string data = data::default_fashion_mnist_folder().string();
  int threads = 0;
};

void run_rank_eval(const RankEvalOptions& options) {
  const learning::RankingModel model = learning::load_ranking_model(options.model);
  if (options.n != 0 && options.n != model.n) {
    throw UsageError{"--n " + std::to_string(options.n) + " does not match " + options.model +
                     ", a scorer trained on sets of " + std::to_string(model.n) + "; give --n " +
                     std::to_string(model.n) + " or leave --n out"};
  }
  if (options.test_sets < 1) throw UsageError{"--test-sets must be >= 1"};
  sort::RankTrainingConfig config;
  config.scorer = model.scorer;
  config.hidden = {model.hidden};
  config.conv_channels1 = model.conv_channels1;
  config.conv_channels2 = model.conv_channels2;
  config.threads = options.threads;
  const std::unique_ptr<sort::ElementScorer<float>> scorer = sort::make_scorer(config);
  if (scorer->parameters().size() != model.parameters.size()) {
    throw Error("scorer file holds " + std::to_string(model.parameters.size()) +
                    " weights, a scorer of its kind and width has " +
                    std::to_string(scorer->parameters().size()),
                options.model, "the file is damaged; use the model.bin rank-train wrote");
  }
  std::copy(model.parameters.begin(), model.parameters.end(), scorer->parameters().begin());
  std::vector<float> pixels;
  std::vector<int> values;
  sort::draw_test_sets(options.data, options.test_sets, model.n, pixels, values);
  const sort::RankingAccuracy accuracy =
      sort::evaluate_scorer(*scorer, pixels, values, options.test_sets, model.n);
  std::printf("test (%d sets of %d): exact match %.4f, element-wise %.4f\n", options.test_sets, model.n,
              accuracy.exact_match, accuracy.element_wise);
}

}  // namespace

void add_rank_eval_command(CLI::App& app) {
  auto options = std::make_shared<RankEvalOptions>();
  CLI::App* command =
      app.add_subcommand("rank-eval", "Ranking accuracy of a scorer saved by rank-train on the test split");
  command->add_option("--model", options->model, "model.bin written by rank-train")->required();
  command->add_option("--n", options->n, "elements per set (default: the model's; another n is refused)")
      ->check(in_range(2, 1024));
  command->add_option("--test-sets", options->test_sets, "sets drawn from the test split")
      ->capture_default_str()
      ->check(in_range(1, 10000000.0));
  command->add_option("--data", options->data, "folder of the Fashion-MNIST IDX files")
      ->capture_default_str();
  add_threads_option(*command, options->threads);
  command->callback([options] { run_rank_eval(*options); });
}

}  // namespace penumbra::cli
