// `penumbra rank-train`: ranking supervision on four-digit Fashion-MNIST; writes metrics and a learning curve.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "commands.h"
#include "data/idx.h"
#include "sort/ranking_training.h"
#include "threads_option.h"

namespace penumbra::cli {
namespace {

struct RankTrainOptions {
  int n = 5;
  std::string network = "odd_even";
  std::string relaxation = "cauchy";
  double steepness = 10.0;
  double art_lambda = 0.25;
  int steps = 1000;
  int batch = 100;
  double learning_rate = 1e-3;
  std::string schedule = "constant";
  std::string scorer = "cnn";
  std::uint64_t seed = 0;
  int hidden = 64;
  int eval_every = 100;
  int test_sets = 2000;
  int threads = 0;
  std::string data = data::default_fashion_mnist_folder().string();
  std::string out;
  bool quiet = false;
};

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path);
  file << text;
  if (!file) throw UsageError{"cannot write " + path.string() + "; check that the folder is writable"};
}

void run_rank_train(const RankTrainOptions& options) {
  if (options.n < 2) throw UsageError{"--n must be >= 2, got " + std::to_string(options.n)};
  if (options.steps < 1) throw UsageError{"--steps must be >= 1"};
  if (options.hidden < 1) throw UsageError{"--hidden must be >= 1"};
  sort::RankTrainingConfig config;
  config.n = options.n;
  config.network = sort::parse_network_kind(options.network);
  config.relaxation = {sort::parse_relaxation_kind(options.relaxation), options.steepness,
                       options.art_lambda};
  config.steps = options.steps;
  config.sets_per_batch = options.batch;
  config.learning_rate = options.learning_rate;
  config.schedule = sort::parse_learning_rate_schedule(options.schedule);
  config.scorer = sort::parse_scorer_kind(options.scorer);
  config.seed = options.seed;
  config.hidden = {options.hidden};
  config.eval_every = options.eval_every;
  config.test_sets = options.test_sets;
  config.threads = options.threads;
  config.data_folder = options.data;
  config.relaxation.validate();

  const std::filesystem::path out = options.out;
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) throw UsageError{"cannot create --out folder " + out.string() + ": " + error.message()};

  const bool quiet = options.quiet;
  const sort::RankTrainingReport report =
      sort::train_ranking(config, [quiet](const sort::RankCurvePoint& point) {
        if (!quiet) {
          std::printf("step %d  loss %.5f  validation exact %.3f  element-wise %.3f  (%.1f s)\n", point.step,
                      point.train_loss, point.validation.exact_match, point.validation.element_wise,
                      point.elapsed_seconds);
          std::fflush(stdout);
        }
        return true;
      });

  std::string curve = "step,train_loss,validation_exact_match,validation_element_wise,elapsed_seconds\n";
  for (const sort::RankCurvePoint& point : report.curve) {
    curve += std::to_string(point.step) + "," + std::to_string(point.train_loss) + "," +
             std::to_string(point.validation.exact_match) + "," +
             std::to_string(point.validation.element_wise) + "," + std::to_string(point.elapsed_seconds) +
             "\n";
  }
  write_text(out / "learning_curve.csv", curve);

  const nlohmann::json metrics = {{"n", options.n},
                                  {"network", options.network},
                                  {"relaxation", options.relaxation},
                                  {"steepness", options.steepness},
                                  {"art_lambda", options.art_lambda},
                                  {"steps", report.steps_done},
                                  {"batch_sets", options.batch},
                                  {"learning_rate", options.learning_rate},
                                  {"lr_schedule", options.schedule},
                                  {"scorer", options.scorer},
                                  {"seed", options.seed},
                                  {"hidden", options.hidden},
                                  {"test_sets", report.test_sets},
                                  {"test_exact_match", report.test.exact_match},
                                  {"test_element_wise", report.test.element_wise},
                                  {"steps_per_second", report.steps_per_second},
                                  {"learning_curve", "learning_curve.csv"}};
  write_text(out / "metrics.json", metrics.dump(2) + "\n");
  std::printf("test (%d sets of %d): exact match %.4f, element-wise %.4f; %.2f steps/s; wrote %s\n",
              report.test_sets, options.n, report.test.exact_match, report.test.element_wise,
              report.steps_per_second, (out / "metrics.json").string().c_str());
}

}  // namespace

void add_rank_train_command(CLI::App& app) {
  auto options = std::make_shared<RankTrainOptions>();
  CLI::App* command = app.add_subcommand(
      "rank-train", "Ranking supervision on four-digit Fashion-MNIST with a relaxed sorting network");
  command->add_option("--n", options->n, "elements per set")->capture_default_str();
  command->add_option("--network", options->network, "odd_even, bitonic or bitonic_mirror")
      ->capture_default_str();
  command
      ->add_option("--relaxation", options->relaxation,
                   "logistic, logistic_phi, gaussian, reciprocal, cauchy or optimal")
      ->capture_default_str();
  command->add_option("--steepness", options->steepness, "beta > 0")->capture_default_str();
  command->add_option("--art-lambda", options->art_lambda, "lambda in [0, 1] of logistic_phi")
      ->capture_default_str();
  command->add_option("--steps", options->steps, "Adam steps")->capture_default_str();
  command->add_option("--batch", options->batch, "sets per step")->capture_default_str();
  command->add_option("--lr", options->learning_rate, "Adam learning rate")->capture_default_str();
  command->add_option("--lr-schedule", options->schedule, "constant or cosine (decay to 0 at the last step)")
      ->capture_default_str();
  command->add_option("--scorer", options->scorer, "mlp (per-tile MLP) or cnn (per-tile small CNN)")
      ->capture_default_str();
  command->add_option("--seed", options->seed, "seed of weights and training sets")->capture_default_str();
  command
      ->add_option("--hidden", options->hidden, "width of the scorer's hidden (mlp) or feature (cnn) layer")
      ->capture_default_str();
  command->add_option("--eval-every", options->eval_every, "steps between learning-curve points")
      ->capture_default_str();
  command->add_option("--test-sets", options->test_sets, "sets drawn from the test split")
      ->capture_default_str();
  add_threads_option(*command, options->threads);
  command->add_option("--data", options->data, "folder of the Fashion-MNIST IDX files")
      ->capture_default_str();
  command->add_option("--out", options->out, "folder for metrics.json and learning_curve.csv")->required();
  command->add_flag("--quiet", options->quiet, "print only the final line");
  command->callback([options] { run_rank_train(*options); });
}

}  // namespace penumbra::cli
