// `penumbra logic-train`: trains a differentiable logic gate network on binarised images and writes
// metrics.json, curves.csv and model.bin into the output folder.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "commands.h"
#include "logic/binary_dataset.h"
#include "logic/discrete_network.h"
#include "logic/model_file.h"
#include "logic/training_run.h"
#include "penumbra/core/threads.h"
#include "threads_option.h"

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
  std::string out;
};

logic::GateInit parse_init(const std::string& name) {
  if (name == "gaussian") return logic::GateInit::Gaussian;
  if (name == "residual") return logic::GateInit::Residual;
  throw UsageError{"--init '" + name + "' is unknown; use gaussian or residual"};
}

void write_curves(const std::filesystem::path& path, const std::vector<logic::CurvePoint>& curve) {
  std::ofstream csv(path);
  csv << "step,loss,relaxed_test_accuracy,discrete_test_accuracy,train_seconds\n";
  for (const auto& point : curve) {
    csv << point.step << ',' << point.loss << ',' << point.test.relaxed << ',' << point.test.discrete << ','
        << point.train_seconds << '\n';
  }
  if (!csv) throw UsageError{"cannot write " + path.string()};
}

void run_logic_train(const LogicTrainOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  if (options.steps < 1) throw UsageError{"--steps must be at least 1"};
  if (options.batch < 1) throw UsageError{"--batch must be at least 1"};
  if (options.eval_every < 1) throw UsageError{"--eval-every must be at least 1"};
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

  std::filesystem::create_directories(options.out);
  logic::RunSettings run;
  run.steps = options.steps;
  run.eval_every = options.eval_every;
  run.train.batch = options.batch;
  run.train.learning_rate = options.learning_rate;
  run.train.threads = threads;
  run.train.seed = options.seed;
  std::printf("logic-train: %lld gates (%d x %d), %d input bits, %d training images, %d threads\n",
              network.gate_count(), spec.layers, spec.width, spec.inputs, splits.train.count, threads);
  std::fflush(stdout);
  const std::filesystem::path out = options.out;
  const logic::ModelDataset dataset{options.dataset, splits.train.rows, splits.train.cols,
                                    options.thresholds};
  // Every evaluation rewrites all outputs, so an interrupted run leaves its latest consistent state.
  std::vector<logic::CurvePoint> curve;
  const auto write_outputs = [&] {
    logic::save_model(out / "model.bin", network, dataset);
    write_curves(out / "curves.csv", curve);
    const auto& last = curve.back();
    nlohmann::json histograms = nlohmann::json::array();
    for (const auto& layer : logic::gate_histograms(logic::discretize(network))) histograms.push_back(layer);
    const nlohmann::json metrics = {
        {"dataset", options.dataset},
        {"thresholds", options.thresholds},
        {"layers", spec.layers},
        {"width", spec.width},
        {"gates", network.gate_count()},
        {"tau", spec.tau},
        {"wiring", options.wiring},
        {"init", options.init},
        {"steps", last.step},
        {"batch", options.batch},
        {"learning_rate", options.learning_rate},
        {"seed", options.seed},
        {"threads", threads},
        {"train_images", splits.train.count},
        {"test_images", splits.test.count},
        {"relaxed_test_accuracy", last.test.relaxed},
        {"discrete_test_accuracy", last.test.discrete},
        {"final_loss", last.loss},
        {"train_seconds", last.train_seconds},
        {"wall_seconds", std::chrono::duration<double>(Clock::now() - start).count()},
        // CPU time of the whole process (all threads, evaluations included): wall time alone misleads
        // on a shared machine.
        {"process_cpu_seconds", double(std::clock()) / CLOCKS_PER_SEC},
        {"gate_histograms", histograms},
    };
    std::ofstream json(out / "metrics.json");
    json << metrics.dump(2) << '\n';
    if (!json) throw UsageError{"cannot write " + (out / "metrics.json").string()};
  };

  const double max_seconds = 60.0 * options.max_minutes;
  logic::run_training(network, splits.train, splits.test, run, [&](const logic::CurvePoint& point) {
    curve.push_back(point);
    write_outputs();
    std::printf("step %lld  loss %.4f  test relaxed %.2f%%  discrete %.2f%%  (%.0f s)\n", point.step,
                point.loss, 100.0 * point.test.relaxed, 100.0 * point.test.discrete, point.train_seconds);
    std::fflush(stdout);
    return max_seconds <= 0.0 || point.train_seconds < max_seconds;
  });
  std::printf("discrete test accuracy %.2f%% with %lld gates; wrote %s\n", 100.0 * curve.back().test.discrete,
              network.gate_count(), options.out.c_str());
}

}  // namespace

void add_logic_train_command(CLI::App& app) {
  auto options = std::make_shared<LogicTrainOptions>();
  CLI::App* command = app.add_subcommand("logic-train", "Train a differentiable logic gate network");
  command
      ->add_option("--dataset", options->dataset, "Dataset name (fashion-mnist, or any name with --data-dir)")
      ->capture_default_str();
  command->add_option("--data-dir", options->data_dir, "Folder with train-*/t10k-* IDX files");
  command->add_option("--layers", options->layers, "Logic layers")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command->add_option("--width", options->width, "Neurons per layer (a multiple of the classes)")
      ->capture_default_str()
      ->check(CLI::Range(2, 1 << 24));
  command->add_option("--tau", options->tau, "GroupSum temperature")->capture_default_str();
  command->add_option("--steps", options->steps, "Training steps")->capture_default_str();
  command
      ->add_option("--threshold", options->thresholds,
                   "Binarisation threshold(s) in (0,1), e.g. 0.25,0.5,0.75")
      ->delimiter(',')
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Seed of wiring, initialisation and batches")
      ->capture_default_str();
  command->add_option("--batch", options->batch, "Batch size")->capture_default_str();
  command->add_option("--lr", options->learning_rate, "Adam learning rate")->capture_default_str();
  command->add_option("--wiring", options->wiring, "random or unique")->capture_default_str();
  command->add_option("--init", options->init, "gaussian or residual")->capture_default_str();
  add_threads_option(*command, options->threads);
  command->add_option("--eval-every", options->eval_every, "Steps between test evaluations")
      ->capture_default_str();
  command->add_option("--max-minutes", options->max_minutes,
                      "Stop at the first evaluation after this much training time (0: run all steps)");
  command->add_option("--train-limit", options->train_limit, "Use only the first N training images (0: all)");
  command->add_option("--test-limit", options->test_limit, "Use only the first N test images (0: all)");
  command->add_option("--out", options->out, "Output folder")->required();
  command->callback([options] { run_logic_train(*options); });
}

}  // namespace penumbra::cli
