// `penumbra logic-eval`: accuracy and single-core bit-packed throughput of a trained logic network, and
// optionally its export as standalone C.
#include <cstdio>

#include "number_checks.h"
#include "cli_support.h"
#include "commands.h"
#include "penumbra/logic/binary_dataset.h"
#include "penumbra/logic/bit_packed_network.h"
#include "penumbra/logic/export_c.h"
#include "penumbra/logic/model_file.h"
#include "penumbra/logic/throughput.h"
#include "penumbra/logic/trainer.h"
#include "penumbra/error.h"
#include "penumbra/core/threads.h"
#include "threads_option.h"

namespace penumbra::cli {
namespace {

struct LogicEvalOptions {
  std::string model;
  std::string dataset;
  std::string data_dir;
  std::string export_c;
  int test_limit = 0;
  double seconds = 1.0;
  int threads = 0;
};

void run_logic_eval(const LogicEvalOptions& options) {
  logic::LogicModel model = logic::load_model(options.model);
  const std::string dataset = options.dataset.empty() ? model.dataset.name : options.dataset;
  if (dataset != model.dataset.name) {
    throw Error("model was trained on '" + model.dataset.name + "', not '" + dataset + "'", options.model,
                "evaluate it on its own dataset");
  }
  logic::BinaryDataset test =
      logic::load_binary_split(dataset, options.data_dir, "t10k", model.dataset.thresholds);
  if (test.rows != model.dataset.rows || test.cols != model.dataset.cols) {
    throw Error("dataset images are " + std::to_string(test.rows) + "x" + std::to_string(test.cols) +
                    ", the model expects " + std::to_string(model.dataset.rows) + "x" +
                    std::to_string(model.dataset.cols),
                options.data_dir.empty() ? dataset : options.data_dir,
                "evaluate the model on its own dataset");
  }
  logic::keep_first(test, options.test_limit);

  const logic::Accuracy accuracy = logic::evaluate(model.network, test, core::thread_count(options.threads));
  const logic::DiscreteNetwork discrete = logic::discretize(model.network);
  const logic::BitPackedNetwork packed(discrete);
  const logic::Throughput speed = logic::measure_throughput(packed, test, options.seconds);
  std::printf("model: %lld gates (%d x %d), tau %.3g, dataset %s, %zu threshold(s)\n",
              model.network.gate_count(), model.network.spec().layers, model.network.spec().width,
              double(model.network.spec().tau), dataset.c_str(), model.dataset.thresholds.size());
  std::printf("test accuracy: relaxed %.2f%%, discrete %.2f%% (%d images)\n", 100.0 * accuracy.relaxed,
              100.0 * accuracy.discrete, test.count);
  std::printf(
      "bit-packed inference, one core (thread CPU time): %.3g images/s (inputs packed), %.3g images/s "
      "(packing included)\n",
      speed.packed_images_per_second, speed.images_per_second);
  if (!options.export_c.empty()) {
    logic::write_c_file(options.export_c, discrete);
    std::printf("wrote %s\n", options.export_c.c_str());
  }
}

}  // namespace

void add_logic_eval_command(CLI::App& app) {
  auto options = std::make_shared<LogicEvalOptions>();
  CLI::App* command = app.add_subcommand("logic-eval", "Evaluate a trained logic gate network");
  command->add_option("--model", options->model, "model.bin written by logic-train")->required();
  command->add_option("--dataset", options->dataset, "Dataset name (default: the model's)");
  command->add_option("--data-dir", options->data_dir, "Folder with train-*/t10k-* IDX files");
  command->add_option("--export-c", options->export_c, "Write the network as a standalone C file");
  add_threads_option(*command, options->threads);
  command->add_option("--test-limit", options->test_limit, "Use only the first N test images (0: all)")
      ->check(in_range(0, 1000000000.0));
  command->add_option("--seconds", options->seconds, "Minimum timing duration per throughput figure")
      ->capture_default_str()
      ->check(in_range(0, 100000));
  command->callback([options] { run_logic_eval(*options); });
}

}  // namespace penumbra::cli
