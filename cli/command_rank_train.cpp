// `penumbra rank-train`: ranking supervision on four-digit Fashion-MNIST. Writes its folder as it goes
// (training_folder.h): config.json, checkpoint.bin, metrics.json, learning_curve.csv, loss.csv and loss.png,
// and the trained scorer as model.bin at the end; --resume continues a run bit for bit.
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "number_checks.h"
#include "cli_support.h"
#include "commands.h"
#include "penumbra/data/idx.h"
#include "fit_run.h"
#include "option_settings.h"
#include "penumbra/image.h"
#include "penumbra/sort/ranking_training.h"
#include "threads_option.h"
#include "penumbra/learning/training_checkpoints.h"
#include "training_folder.h"

namespace penumbra::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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
  std::vector<int> channels = {8, 16};
  int eval_every = 100;
  int validation_sets = 500;
  int test_sets = 2000;
  std::string data = data::default_fashion_mnist_folder().string();
  // Options of one sitting, not stored in config.json.
  std::string out;
  std::string resume;
  double max_minutes = 0;
  int threads = 0;
  bool quiet = false;
  bool force = false;
};

constexpr std::array<std::string_view, 6> kRunOnly = {"out",     "resume", "max-minutes",
                                                      "threads", "quiet",  "force"};
// A resumed run may also be given more steps.
constexpr std::array<std::string_view, 6> kResumeOptions = {"resume", "max-minutes", "threads",
                                                            "quiet",  "force",       "steps"};

void declare_options(CLI::App& command, RankTrainOptions& o) {
  command.add_option("--n", o.n, "elements per set")->capture_default_str()->check(in_range(2, 1024));
  command.add_option("--network", o.network, "odd_even, bitonic or bitonic_mirror")->capture_default_str();
  command
      .add_option("--relaxation", o.relaxation,
                  "logistic, logistic_phi, gaussian, reciprocal, cauchy or optimal")
      ->capture_default_str();
  command.add_option("--steepness", o.steepness, "beta > 0")
      ->capture_default_str()
      ->check(in_range(1e-06, 1000000.0));
  command.add_option("--art-lambda", o.art_lambda, "lambda in [0, 1] of logistic_phi")
      ->capture_default_str()
      ->check(in_range(0, 1));
  command.add_option("--steps", o.steps, "Adam steps (with --resume: the new total)")
      ->capture_default_str()
      ->check(in_range(1, 100000000.0));
  command.add_option("--batch", o.batch, "sets per step")
      ->capture_default_str()
      ->check(in_range(1, 1000000.0));
  command.add_option("--lr", o.learning_rate, "Adam learning rate")
      ->capture_default_str()
      ->check(in_range(1e-09, 100));
  command.add_option("--lr-schedule", o.schedule, "constant or cosine (decay to 0 at the last step)")
      ->capture_default_str();
  command.add_option("--scorer", o.scorer, "mlp (per-tile MLP) or cnn (per-tile small CNN)")
      ->capture_default_str();
  command.add_option("--seed", o.seed, "seed of weights and training sets")
      ->capture_default_str()
      ->check(in_range(0, kMaxSeed));
  command.add_option("--hidden", o.hidden, "width of the scorer's hidden (mlp) or feature (cnn) layer")
      ->capture_default_str()
      ->check(in_range(1, 65536));
  command
      .add_option("--channels", o.channels,
                  "output channels of the CNN's two convolutions (diffsort's: 32,64)")
      ->delimiter(',')
      ->expected(2)
      ->capture_default_str();
  command.add_option("--eval-every", o.eval_every, "steps between learning-curve points and checkpoints")
      ->capture_default_str()
      ->check(in_range(1, 100000000.0));
  command.add_option("--validation-sets", o.validation_sets, "sets drawn from the held-out training images")
      ->capture_default_str()
      ->check(in_range(0, 10000000.0));
  command.add_option("--test-sets", o.test_sets, "sets drawn from the test split")
      ->capture_default_str()
      ->check(in_range(1, 10000000.0));
  command.add_option("--data", o.data, "folder of the Fashion-MNIST IDX files")->capture_default_str();
  command.add_option("--out", o.out, "folder of the run (config, checkpoint, metrics, curves, model.bin)");
  command.add_option("--resume", o.resume, "continue the run in this folder from its checkpoint");
  command
      .add_option("--max-minutes", o.max_minutes,
                  "checkpoint and stop after this much wall time (0: run all steps)")
      ->check(in_range(0, 10000000.0));
  add_threads_option(command, o.threads);
  command.add_flag("--quiet", o.quiet, "print only the final line");
  command.add_flag("--force", o.force, "overwrite a finished run in the --out folder");
}

sort::RankTrainingConfig build_config(const RankTrainOptions& options) {
  if (options.n < 2) throw UsageError{"--n must be >= 2, got " + std::to_string(options.n)};
  if (options.steps < 1) throw UsageError{"--steps must be >= 1"};
  if (options.hidden < 1) throw UsageError{"--hidden must be >= 1"};
  if (options.channels.size() != 2 || options.channels[0] < 1 || options.channels[1] < 1) {
    throw UsageError{"--channels takes two counts >= 1, e.g. 32,64"};
  }
  if (options.max_minutes < 0) throw UsageError{"--max-minutes must be >= 0"};
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
  config.conv_channels1 = options.channels[0];
  config.conv_channels2 = options.channels[1];
  config.eval_every = options.eval_every;
  config.validation_sets = options.validation_sets;
  config.test_sets = options.test_sets;
  config.threads = options.threads;
  config.data_folder = options.data;
  config.relaxation.validate();
  return config;
}

std::string curve_csv(const std::vector<sort::RankCurvePoint>& curve) {
  std::string text = "step,train_loss,validation_exact_match,validation_element_wise,elapsed_seconds\n";
  char line[160];
  for (const sort::RankCurvePoint& point : curve) {
    std::snprintf(line, sizeof(line), "%d,%.9g,%.9g,%.9g,%.3f\n", point.step, point.train_loss,
                  point.validation.exact_match, point.validation.element_wise, point.elapsed_seconds);
    text += line;
  }
  return text;
}

class RankRun {
 public:
  RankRun(const RankTrainOptions& options, fs::path out, json settings, bool resumed)
      : options_(options),
        out_(std::move(out)),
        settings_(std::move(settings)),
        trainer_(build_config(options)) {
    if (resumed) {
      state_ = learning::load_ranking_checkpoint(out_ / "checkpoint.bin");
      trainer_.restore(state_.parameters, std::move(state_.optimiser_state), state_.steps);
    } else {
      prepare_new_run_folder(out_, options.force, "model.bin");
    }
    write_json_file(out_ / "config.json", settings_);
  }

  int run() {
    const sort::RankTrainingConfig& config = trainer_.config();
    const StopOnSignal stop_on_signal;
    const Deadline deadline(options_.max_minutes);
    const auto start = std::chrono::steady_clock::now();
    first_step_ = trainer_.steps_done();
    std::string status = "done";
    while (trainer_.steps_done() < config.steps) {
      const auto step_start = std::chrono::steady_clock::now();
      state_.losses.push_back(static_cast<float>(trainer_.step()));
      training_seconds_ += seconds_since(step_start);
      const int step = trainer_.steps_done();
      if (step % config.eval_every == 0 || step == config.steps) {
        add_curve_point(step, start);
        if (step < config.steps) checkpoint(start, "running");
      }
      if (step == config.steps) break;
      if (StopOnSignal::requested()) {
        status = "interrupted";
        break;
      }
      if (deadline.passed()) {
        status = "stopped";
        break;
      }
    }
    if (status != "done") {
      checkpoint(start, status);
      return finish_sitting(status, trainer_.steps_done(), config.steps, out_);
    }
    const sort::RankingAccuracy test = trainer_.test();
    metrics_["test_sets"] = config.test_sets;
    metrics_["test_exact_match"] = test.exact_match;
    metrics_["test_element_wise"] = test.element_wise;
    checkpoint(start, "done");
    // The model is written last: its presence means the run completed.
    const std::span<float> parameters = trainer_.scorer().parameters();
    learning::save_ranking_model(out_ / "model.bin", {config.scorer,
                                                      config.hidden.back(),
                                                      config.conv_channels1,
                                                      config.conv_channels2,
                                                      config.n,
                                                      {parameters.begin(), parameters.end()}});
    std::printf("test (%d sets of %d): exact match %.4f, element-wise %.4f; %.2f steps/s; wrote %s\n",
                config.test_sets, config.n, test.exact_match, test.element_wise, steps_per_second(),
                (out_ / "model.bin").string().c_str());
    return 0;
  }

 private:
  double steps_per_second() const {
    return (trainer_.steps_done() - first_step_) / std::max(training_seconds_, 1e-9);
  }

  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  // The mean of the stored (float) losses since the previous point, so a resumed run logs what an
  // uninterrupted one does.
  void add_curve_point(int step, std::chrono::steady_clock::time_point start) {
    const int previous = state_.curve.empty() ? 0 : state_.curve.back().step;
    double sum = 0;
    for (int s = previous; s < step; ++s) sum += state_.losses[static_cast<std::size_t>(s)];
    sort::RankCurvePoint point;
    point.step = step;
    point.train_loss = sum / (step - previous);
    point.validation = trainer_.validate();
    point.elapsed_seconds = state_.wall_seconds + seconds_since(start);
    state_.curve.push_back(point);
    if (!options_.quiet) {
      std::printf("step %d  loss %.5f  validation exact %.3f  element-wise %.3f  (%.1f s)\n", point.step,
                  point.train_loss, point.validation.exact_match, point.validation.element_wise,
                  point.elapsed_seconds);
      std::fflush(stdout);
    }
  }

  // The log first, then the checkpoint it belongs to, then metrics.json naming its status.
  void checkpoint(std::chrono::steady_clock::time_point start, const std::string& status) {
    write_file_atomically(out_ / "learning_curve.csv", curve_csv(state_.curve));
    write_loss_log(out_, state_.losses, "training loss (BCE of P)");
    learning::RankingCheckpoint saved = state_;
    saved.steps = trainer_.steps_done();
    const std::span<float> parameters = trainer_.scorer().parameters();
    saved.parameters.assign(parameters.begin(), parameters.end());
    saved.optimiser_state = trainer_.optimiser().state();
    saved.wall_seconds = state_.wall_seconds + seconds_since(start);
    learning::save_ranking_checkpoint(out_ / "checkpoint.bin", saved);
    metrics_["status"] = status;
    metrics_["steps"] = saved.steps;
    metrics_["total_steps"] = trainer_.config().steps;
    metrics_["wall_seconds"] = saved.wall_seconds;
    metrics_["steps_per_second"] = steps_per_second();
    metrics_["settings"] = settings_;
    if (!state_.curve.empty()) {
      metrics_["validation_exact_match"] = state_.curve.back().validation.exact_match;
      metrics_["validation_element_wise"] = state_.curve.back().validation.element_wise;
    }
    metrics_["files"] = {{"learning_curve", "learning_curve.csv"},
                         {"loss", "loss.csv"},
                         {"plot", "loss.png"},
                         {"checkpoint", "checkpoint.bin"},
                         {"model", "model.bin"}};
    write_json_file(out_ / "metrics.json", metrics_);
  }

  RankTrainOptions options_;
  fs::path out_;
  json settings_;
  sort::RankingTrainer trainer_;
  learning::RankingCheckpoint state_;
  json metrics_ = json::object();
  int first_step_ = 0;           // of this sitting
  double training_seconds_ = 0;  // in this sitting's steps, evaluations excluded
};

int run_rank_train(const CLI::App& command, const RankTrainOptions& given) {
  if (given.resume.empty()) {
    if (given.out.empty()) throw UsageError{"--out DIR is required (or --resume DIR)"};
    return RankRun(given, given.out, option_settings(command, kRunOnly), false).run();
  }
  reject_settings_with_resume(command, kResumeOptions);
  const fs::path folder = given.resume;
  if (!fs::is_regular_file(folder / "checkpoint.bin")) {
    throw UsageError{"--resume " + folder.string() +
                     " holds no checkpoint.bin; give the --out folder of an unfinished rank-train"};
  }
  RankTrainOptions stored;
  const json settings = parse_option_settings(
      read_json(folder / "config.json"), (folder / "config.json").string(),
      [&](CLI::App& parser) { declare_options(parser, stored); }, kRunOnly);
  if (command.count("--steps") > 0) stored.steps = given.steps;
  stored.max_minutes = given.max_minutes;
  stored.threads = given.threads;
  stored.quiet = given.quiet;
  json resumed_settings = settings;
  resumed_settings["steps"] = stored.steps;
  return RankRun(stored, folder, resumed_settings, true).run();
}

}  // namespace

void add_rank_train_command(CLI::App& app) {
  auto options = std::make_shared<RankTrainOptions>();
  CLI::App* command = app.add_subcommand(
      "rank-train", "Ranking supervision on four-digit Fashion-MNIST with a relaxed sorting network");
  declare_options(*command, *options);
  command->callback([options, command] {
    const int code = run_rank_train(*command, *options);
    std::fflush(stdout);
    if (code != 0) std::exit(code);
  });
}

}  // namespace penumbra::cli
