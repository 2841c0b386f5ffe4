// `penumbra logic-train`: trains a differentiable logic gate network on binarised images. Writes its folder as
// it goes (training_folder.h): config.json, checkpoint.bin, metrics.json, curves.csv, loss.csv, loss.png and
// model.bin at every evaluation; --resume continues a run bit for bit.
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "number_checks.h"
#include "cli_support.h"
#include "commands.h"
#include "fit_run.h"
#include "penumbra/logic/binary_dataset.h"
#include "penumbra/logic/discrete_network.h"
#include "penumbra/logic/model_file.h"
#include "penumbra/logic/training_run.h"
#include "option_settings.h"
#include "penumbra/error.h"
#include "penumbra/core/threads.h"
#include "penumbra/image.h"
#include "threads_option.h"
#include "penumbra/learning/training_checkpoints.h"
#include "training_folder.h"

namespace penumbra::cli {
namespace {

struct LogicTrainOptions {
  std::string dataset = "fashion-mnist";
  std::string data_dir;
  int layers = 4;
  int width = 8000;
  float tau = 10.0f;
  long long steps = 1000;
  std::vector<float> thresholds = {0.5f};
  std::uint64_t seed = 1;
  int batch = 128;
  double learning_rate = 0.01;
  std::string wiring = "random";
  std::string init = "gaussian";
  int threads = 0;
  long long eval_every = 1000;
  double max_minutes = 0.0;
  int train_limit = 0;
  int test_limit = 0;
  // Options of one sitting, not stored in config.json.
  std::string out;
  std::string resume;
  bool force = false;
};

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::array<std::string_view, 5> kRunOnly = {"out", "resume", "max-minutes", "threads", "force"};
// A resumed run may also be given more steps.
constexpr std::array<std::string_view, 5> kResumeOptions = {"resume", "max-minutes", "threads", "force",
                                                            "steps"};

logic::GateInit parse_init(const std::string& name) {
  if (name == "gaussian") return logic::GateInit::Gaussian;
  if (name == "residual") return logic::GateInit::Residual;
  throw UsageError{"--init '" + name + "' is unknown; use gaussian or residual"};
}

std::string curves_csv(const std::vector<logic::CurvePoint>& curve) {
  std::string text = "step,loss,relaxed_test_accuracy,discrete_test_accuracy,train_seconds\n";
  char line[160];
  for (const auto& point : curve) {
    std::snprintf(line, sizeof(line), "%lld,%.9g,%.9g,%.9g,%.3f\n", point.step, point.loss,
                  point.test.relaxed, point.test.discrete, point.train_seconds);
    text += line;
  }
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run_logic_train(const LogicTrainOptions& options, const fs::path& out, const json& settings,
                    bool resumed) {
  if (options.steps < 1) throw UsageError{"--steps must be at least 1"};
  if (options.batch < 1) throw UsageError{"--batch must be at least 1"};
  if (options.eval_every < 1) throw UsageError{"--eval-every must be at least 1"};
  if (options.max_minutes < 0) throw UsageError{"--max-minutes must be >= 0"};
  const int threads = core::thread_count(options.threads);
  auto splits = logic::load_binary_splits(options.dataset, options.data_dir, options.thresholds);
  logic::keep_first(splits.train, options.train_limit);
  logic::keep_first(splits.test, options.test_limit);
  logic::NetworkSpec spec;
  spec.inputs = splits.train.inputs;
  spec.layers = options.layers;
  spec.width = options.width;
  spec.classes = splits.train.classes;
  spec.tau = options.tau;
  spec.wiring = logic::parse_wiring_scheme(options.wiring);
  spec.init = parse_init(options.init);
  spec.seed = options.seed;
  logic::LogicNetwork network(spec);
  logic::check_dataset_fits(spec, splits.test);
  logic::TrainSettings train;
  train.batch = options.batch;
  train.learning_rate = options.learning_rate;
  train.threads = threads;
  train.seed = options.seed;
  logic::Trainer trainer(network, splits.train, train);

  learning::LogicCheckpoint state;
  if (resumed) {
    state = learning::load_logic_checkpoint(out / "checkpoint.bin");
    auto& layers = network.layers();
    bool fits = state.logits.size() == layers.size() && state.steps <= options.steps;
    for (std::size_t l = 0; fits && l < layers.size(); ++l)
      fits = state.logits[l].size() == layers[l].logits().size();
    if (!fits) {
      throw Error("checkpoint does not fit this network or holds more steps than --steps",
                  (out / "checkpoint.bin").string(),
                  "resume with the settings the checkpoint was written with");
    }
    for (std::size_t l = 0; l < layers.size(); ++l)
      std::copy(state.logits[l].begin(), state.logits[l].end(), layers[l].logits().begin());
    trainer.restore(state.steps, state.sampler_state, std::move(state.optimiser_state));
  } else {
    prepare_new_run_folder(out, options.force, "model.bin");
  }
  write_json_file(out / "config.json", settings);

  std::printf("logic-train: %lld gates (%d x %d), %d input bits, %d training images, %d threads%s\n",
              network.gate_count(), spec.layers, spec.width, spec.inputs, splits.train.count, threads,
              resumed ? ", resumed" : "");
  std::fflush(stdout);
  const logic::ModelDataset dataset{options.dataset, splits.train.rows, splits.train.cols,
                                    options.thresholds};
  const auto start = std::chrono::steady_clock::now();
  // The log and the model first, then the checkpoint they belong to, then metrics.json naming its status.
  const auto checkpoint = [&](const std::string& status) {
    logic::save_model(out / "model.bin", network, dataset);
    write_file_atomically(out / "curves.csv", curves_csv(state.curve));
    write_loss_log(out, state.losses, "training loss (cross-entropy)");
    learning::LogicCheckpoint saved;
    saved.steps = trainer.steps_done();
    saved.sampler_state = trainer.sampler_state();
    for (const auto& layer : network.layers())
      saved.logits.emplace_back(layer.logits().begin(), layer.logits().end());
    for (const auto& optimiser : trainer.optimisers()) saved.optimiser_state.push_back(optimiser.state());
    saved.losses = state.losses;
    saved.curve = state.curve;
    saved.wall_seconds = state.wall_seconds + seconds_since(start);
    learning::save_logic_checkpoint(out / "checkpoint.bin", saved);
    json histograms = json::array();
    for (const auto& layer : logic::gate_histograms(logic::discretize(network))) histograms.push_back(layer);
    json metrics = {
        {"status", status},
        {"dataset", options.dataset},
        {"thresholds", options.thresholds},
        {"layers", spec.layers},
        {"width", spec.width},
        {"gates", network.gate_count()},
        {"tau", spec.tau},
        {"wiring", options.wiring},
        {"init", options.init},
        {"steps", saved.steps},
        {"total_steps", options.steps},
        {"batch", options.batch},
        {"learning_rate", options.learning_rate},
        {"seed", options.seed},
        {"threads", threads},
        {"train_images", splits.train.count},
        {"test_images", splits.test.count},
        {"wall_seconds", saved.wall_seconds},
        // CPU time of this sitting's process (all threads, evaluations included): wall time alone misleads
        // on a shared machine.
        {"process_cpu_seconds", double(std::clock()) / CLOCKS_PER_SEC},
        {"gate_histograms", histograms},
        {"settings", settings},
    };
    if (!state.curve.empty()) {
      const auto& last = state.curve.back();
      metrics["relaxed_test_accuracy"] = last.test.relaxed;
      metrics["discrete_test_accuracy"] = last.test.discrete;
      metrics["final_loss"] = last.loss;
      metrics["train_seconds"] = last.train_seconds;
    }
    write_json_file(out / "metrics.json", metrics);
  };

  const StopOnSignal stop_on_signal;
  const Deadline deadline(options.max_minutes);
  double train_seconds = state.curve.empty() ? 0.0 : state.curve.back().train_seconds;
  std::string status = "done";
  while (trainer.steps_done() < options.steps) {
    const auto step_start = std::chrono::steady_clock::now();
    state.losses.push_back(static_cast<float>(trainer.step()));
    train_seconds += seconds_since(step_start);
    const long long step = trainer.steps_done();
    if (step % options.eval_every == 0 || step == options.steps) {
      // The mean of the stored (float) losses since the previous point, so a resumed run logs what an
      // uninterrupted one does.
      const long long previous = state.curve.empty() ? 0 : state.curve.back().step;
      double sum = 0.0;
      for (long long s = previous; s < step; ++s) sum += state.losses[std::size_t(s)];
      logic::CurvePoint point;
      point.step = step;
      point.loss = sum / double(step - previous);
      point.test = logic::evaluate(network, splits.test, threads);
      point.train_seconds = train_seconds;
      state.curve.push_back(point);
      checkpoint(step == options.steps ? "done" : "running");
      std::printf("step %lld  loss %.4f  test relaxed %.2f%%  discrete %.2f%%  (%.0f s)\n", point.step,
                  point.loss, 100.0 * point.test.relaxed, 100.0 * point.test.discrete, point.train_seconds);
      std::fflush(stdout);
    }
    if (step == options.steps) break;
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
    checkpoint(status);
    return finish_sitting(status, trainer.steps_done(), options.steps, out);
  }
  if (state.curve.empty() || state.curve.back().step != options.steps) checkpoint("done");
  std::printf("discrete test accuracy %.2f%% with %lld gates; wrote %s\n",
              100.0 * state.curve.back().test.discrete, network.gate_count(), out.string().c_str());
  return 0;
}

}  // namespace

namespace {

// Declares every option of `logic-train` on `command`, bound to `o`.
void declare_options(CLI::App& command, LogicTrainOptions& o) {
  command.add_option("--dataset", o.dataset, "Dataset name (fashion-mnist, or any name with --data-dir)")
      ->capture_default_str();
  command.add_option("--data-dir", o.data_dir, "Folder with train-*/t10k-* IDX files");
  command.add_option("--layers", o.layers, "Logic layers")->capture_default_str()->check(CLI::Range(1, 64));
  command.add_option("--width", o.width, "Neurons per layer (a multiple of the classes)")
      ->capture_default_str()
      ->check(CLI::Range(2, 1 << 24));
  command.add_option("--tau", o.tau, "GroupSum temperature")
      ->capture_default_str()
      ->check(in_range(1e-06, 1000000.0));
  command.add_option("--steps", o.steps, "Training steps")
      ->capture_default_str()
      ->check(in_range(1, 10000000000.0));
  command.add_option("--threshold", o.thresholds, "Binarisation threshold(s) in (0,1), e.g. 0.25,0.5,0.75")
      ->delimiter(',')
      ->capture_default_str()
      ->check(in_range(0, 1));
  command.add_option("--seed", o.seed, "Seed of wiring, initialisation and batches")
      ->capture_default_str()
      ->check(in_range(0, kMaxSeed));
  command.add_option("--batch", o.batch, "Batch size")->capture_default_str()->check(in_range(1, 10000000.0));
  command.add_option("--lr", o.learning_rate, "Adam learning rate")
      ->capture_default_str()
      ->check(in_range(1e-09, 100));
  command.add_option("--wiring", o.wiring, "random or unique")->capture_default_str();
  command.add_option("--init", o.init, "gaussian or residual")->capture_default_str();
  add_threads_option(command, o.threads);
  command.add_option("--eval-every", o.eval_every, "Steps between test evaluations")
      ->capture_default_str()
      ->check(in_range(1, 10000000000.0));
  command
      .add_option("--max-minutes", o.max_minutes,
                  "Checkpoint and stop after this much wall time (0: run all steps)")
      ->check(in_range(0, 10000000.0));
  command.add_option("--train-limit", o.train_limit, "Use only the first N training images (0: all)")
      ->check(in_range(0, 1000000000.0));
  command.add_option("--test-limit", o.test_limit, "Use only the first N test images (0: all)")
      ->check(in_range(0, 1000000000.0));
  command.add_option("--out", o.out, "Output folder");
  command.add_option("--resume", o.resume, "Continue the run in this folder from its checkpoint");
  command.add_flag("--force", o.force, "Overwrite a finished run in the --out folder");
}

}  // namespace

void add_logic_train_command(CLI::App& app) {
  auto options = std::make_shared<LogicTrainOptions>();
  CLI::App* command = app.add_subcommand("logic-train", "Train a differentiable logic gate network");
  declare_options(*command, *options);
  command->callback([options, command] {
    int code = 0;
    if (options->resume.empty()) {
      if (options->out.empty()) throw UsageError{"--out DIR is required (or --resume DIR)"};
      code = run_logic_train(*options, options->out, option_settings(*command, kRunOnly), false);
    } else {
      reject_settings_with_resume(*command, kResumeOptions);
      const fs::path folder = options->resume;
      if (!fs::is_regular_file(folder / "checkpoint.bin")) {
        throw UsageError{"--resume " + folder.string() +
                         " holds no checkpoint.bin; give the --out folder of an unfinished logic-train"};
      }
      LogicTrainOptions stored;
      json settings = parse_option_settings(
          read_json(folder / "config.json"), (folder / "config.json").string(),
          [&](CLI::App& parser) { declare_options(parser, stored); }, kRunOnly);
      if (command->count("--steps") > 0) stored.steps = options->steps;
      stored.max_minutes = options->max_minutes;
      stored.threads = options->threads;
      settings["steps"] = stored.steps;
      code = run_logic_train(stored, folder, settings, true);
    }
    std::fflush(stdout);
    if (code != 0) std::exit(code);
  });
}

}  // namespace penumbra::cli
