// `penumbra pose`: GenDR's camera-pose experiment (learning/pose_fit.h); prints and writes the success rate
// for each range of start angles.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "number_checks.h"
#include "penumbra/learning/checkpoint.h"
#include "cli_support.h"
#include "commands.h"
#include "penumbra/learning/pose_fit.h"
#include "scene_options.h"
#include "threads_option.h"

namespace penumbra::cli {
namespace {

struct PoseOptions {
  std::string mesh;
  int trials = 10;
  int steps = 1000;
  RasterOptions raster{"64"};
  int threads = 0;
  double sigma_end = 1e-7;
  double lr = 0.3;
  bool fixed_fov = false;
  bool mse = false;
  std::uint64_t seed = 1;
  std::string out;
  bool quiet = false;
};

void run(const PoseOptions& o) {
  if (o.trials < 1 || o.steps < 1) throw UsageError{"--trials and --steps must be >= 1"};
  learning::PoseFitConfig config;
  config.raster = o.raster.settings();
  const int size = config.raster.width;
  if (size != config.raster.height || size < 8 || size > 4096) {
    throw UsageError{"--size must be square, 8 to 4096 pixels"};
  }
  if (!(o.sigma_end > 0.0)) throw UsageError{"--sigma-end must be > 0"};
  const double sigma_start = config.raster.sigma;
  config.steps = o.steps;
  config.sigma = learning::Schedule::log_anneal(sigma_start, o.sigma_end, std::max(1, o.steps - 1));
  config.learning_rate = o.lr;
  config.fit_fov = !o.fixed_fov;
  config.mse_loss = o.mse;
  config.backend = o.raster.parsed_backend();
  config.threads = o.threads;
  const Mesh mesh = load_mesh_argument(o.mesh, true);

  create_output_folder(o.out, "--out");

  const std::vector<std::pair<double, double>> ranges{{15, 35}, {35, 55}, {55, 75}};
  const bool tty = !o.quiet && isatty(fileno(stdout));
  const auto progress = [&](int range, int trial) {
    if (o.quiet) return;
    std::printf(tty ? "\rrange %d/3 trial %d/%d   " : "range %d/3 trial %d/%d\n", range + 1, trial + 1,
                o.trials);
    std::fflush(stdout);
  };
  const auto results = learning::run_pose_experiment(mesh, config, ranges, o.trials, o.seed, progress);
  if (tty) std::printf("\n");

  nlohmann::json report = {{"mesh", o.mesh},
                           {"distribution", o.raster.distribution},
                           {"squared", o.raster.squared},
                           {"aggregation", o.raster.aggregation},
                           {"size", size},
                           {"steps", o.steps},
                           {"trials", o.trials},
                           {"sigma", {sigma_start, o.sigma_end}},
                           {"lr", o.lr},
                           {"fit_fov", !o.fixed_fov},
                           {"loss", o.mse ? "mse" : "iou"},
                           {"seed", o.seed},
                           {"ranges", nlohmann::json::array()}};
  std::printf("%s%s + %s, %d trials x %d steps at %dx%d\n", o.raster.distribution.c_str(),
              o.raster.squared ? " (squared)" : "", o.raster.aggregation.c_str(), o.trials, o.steps, size,
              size);
  for (const auto& r : results) {
    nlohmann::json finals = nlohmann::json::array();
    for (const auto& t : r.trials) finals.push_back(t.final_degrees);
    report["ranges"].push_back({{"min_degrees", r.min_degrees},
                                {"max_degrees", r.max_degrees},
                                {"success_rate", r.success_rate()},
                                {"final_degrees", finals}});
    std::printf("  start %2.0f-%2.0f deg: success %5.1f%%\n", r.min_degrees, r.max_degrees,
                100.0 * r.success_rate());
  }
  write_file_atomically(std::filesystem::path(o.out) / "pose.json", report.dump(2) + "\n");
}

}  // namespace

void add_pose_command(CLI::App& app) {
  auto o = std::make_shared<PoseOptions>();
  CLI::App* command =
      app.add_subcommand("pose", "Camera-pose recovery experiment (GenDR); see docs/fitting.md");
  command->add_option("--mesh", o->mesh, "Mesh file or icosphere:N (normalised, then scaled to radius 0.4)")
      ->required();
  command->add_option("--trials", o->trials, "Problems per start range")
      ->capture_default_str()
      ->check(in_range(1, 1000000.0));
  command->add_option("--steps", o->steps, "Adam steps per problem")
      ->capture_default_str()
      ->check(in_range(1, 10000000.0));
  o->raster.add_to(*command);
  add_threads_option(*command, o->threads);
  command->add_option("--sigma-end", o->sigma_end, "Sigma at the last step (log-annealed from --sigma)")
      ->capture_default_str()
      ->check(in_range(1e-12, 100));
  command->add_option("--lr", o->lr, "Adam learning rate (betas 0.5, 0.99)")
      ->capture_default_str()
      ->check(in_range(1e-09, 100));
  command->add_flag("--fixed-fov", o->fixed_fov, "Keep the field of view at the true 20 degrees");
  command->add_flag("--mse", o->mse, "MSE on alpha instead of the IoU loss");
  command->add_option("--seed", o->seed, "Seed of the problems")
      ->capture_default_str()
      ->check(in_range(0, kMaxSeed));
  command->add_option("--out", o->out, "Output folder (pose.json)")->required();
  command->add_flag("--quiet", o->quiet, "No progress output");
  command->callback([o] { run(*o); });
}

}  // namespace penumbra::cli
