// `penumbra fit`: deform a template mesh to match target views (learning/mesh_fit.h), with checkpoints,
// resume, Ctrl-C handling, a loss plot and a batch mode.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "checkpoint.h"
#include "cli_support.h"
#include "commands.h"
#include "image_targets.h"
#include "loss_plot.h"
#include "mesh_fit.h"
#include "penumbra/error.h"
#include "scene_options.h"
#include "texture_colors.h"

namespace penumbra::cli {
namespace {

namespace fs = std::filesystem;
using learning::MeshFit;
using nlohmann::json;

/// Exit code after SIGINT/SIGTERM: the shell convention 128 + SIGINT.
constexpr int kInterruptedExit = 130;

std::atomic<bool> g_stop_requested{false};

extern "C" void request_stop(int) { g_stop_requested.store(true); }

struct FitOptions {
  std::string target_mesh;
  std::string target_texture;
  std::string target_images;
  std::string cameras;
  std::string templ = "ico4";
  int views = 20;
  int held_out = 8;
  std::string size = "128";
  int iters = 500;
  int views_per_step = 4;
  std::string distribution = "logistic";
  bool squared = false;
  std::string tconorm = "probabilistic";
  float p = 2.0f;
  float sigma = 0.01f;
  float sigma_end = 0.0f;
  float gamma = 1e-4f;
  std::string optimiser = "adam";
  double lr = 0.01;
  double lr_end = 0.0;
  double laplacian = 20.0;
  double edge = 1.0;
  double normal = 0.01;
  double flatten = 0.0;
  bool colors = false;
  std::uint64_t seed = 1;
  std::string backend = "cpu";
  int checkpoint_every = 100;
  int stop_after = 0;
  std::string resume;
  std::string out;
  bool quiet = false;
};

void add_fit_options(CLI::App& command, FitOptions& o) {
  command.add_option("--target-mesh", o.target_mesh,
                     "Target mesh (OBJ, OFF, STL), normalised to the unit sphere");
  command.add_option("--target-texture", o.target_texture,
                     "PNG texture giving the target mesh's vertex colours at its UVs (with --colors)");
  command.add_option("--target-images", o.target_images, "Folder of target PNGs (with --cameras)");
  command.add_option("--cameras", o.cameras, "Camera file (JSON) of the target images");
  command.add_option("--template", o.templ, "icoN (icosphere level N) or a mesh file")->capture_default_str();
  command.add_option("--views", o.views, "Training views of a target mesh")->capture_default_str();
  command.add_option("--held-out", o.held_out, "Held-out views of a target mesh")->capture_default_str();
  command.add_option("--size", o.size, "Render size S (SxS) or WxH, target mesh only")->capture_default_str();
  command.add_option("--iters", o.iters, "Optimisation steps")->capture_default_str();
  command.add_option("--views-per-step", o.views_per_step, "Random training views per step")
      ->capture_default_str();
  command.add_option("--distribution", o.distribution, "Coverage distribution")->capture_default_str();
  command.add_flag("--squared", o.squared, "Squared signed distance (SoftRas)");
  command.add_option("--tconorm", o.tconorm, "Silhouette aggregation")->capture_default_str();
  command.add_option("--p", o.p, "T-conorm parameter")->capture_default_str();
  command.add_option("--sigma", o.sigma, "Sigma (NDC units; NDC^2 with --squared)")->capture_default_str();
  command.add_option("--sigma-end", o.sigma_end, "Log-anneal sigma to this value over the run (0: constant)")
      ->capture_default_str();
  command.add_option("--gamma", o.gamma, "Softmax depth temperature")->capture_default_str();
  command.add_option("--optimiser", o.optimiser, "adam or sgd (momentum 0.9)")->capture_default_str();
  command.add_option("--lr", o.lr, "Learning rate")->capture_default_str();
  command
      .add_option("--lr-end", o.lr_end,
                  "Cosine-decay the learning rate to this value over the run (0: constant)")
      ->capture_default_str();
  command.add_option("--laplacian", o.laplacian, "Weight of the uniform Laplacian")->capture_default_str();
  command.add_option("--edge", o.edge, "Weight of the squared edge length")->capture_default_str();
  command.add_option("--normal", o.normal, "Weight of normal consistency")->capture_default_str();
  command.add_option("--flatten", o.flatten, "Weight of the flatten loss")->capture_default_str();
  command.add_flag("--colors", o.colors, "Also fit per-vertex colours (L2 on RGB)");
  command.add_option("--seed", o.seed, "Seed of the view draws")->capture_default_str();
  command.add_option("--backend", o.backend, "cpu, vulkan, cuda or auto")->capture_default_str();
  command
      .add_option("--checkpoint-every", o.checkpoint_every,
                  "Checkpoint and evaluate every N steps (0: end only)")
      ->capture_default_str();
  command.add_option("--stop-after", o.stop_after,
                     "Stop (with a checkpoint, like Ctrl-C) once N steps are done");
  command.add_option("--resume", o.resume, "Continue the fit in this folder from its last checkpoint");
  command.add_option("--out", o.out, "Output folder");
  command.add_flag("--quiet", o.quiet, "No progress output");
}

json options_to_json(const FitOptions& o) {
  return {{"target_mesh", o.target_mesh},
          {"target_texture", o.target_texture},
          {"target_images", o.target_images},
          {"cameras", o.cameras},
          {"template", o.templ},
          {"views", o.views},
          {"held_out", o.held_out},
          {"size", o.size},
          {"iters", o.iters},
          {"views_per_step", o.views_per_step},
          {"distribution", o.distribution},
          {"squared", o.squared},
          {"tconorm", o.tconorm},
          {"p", o.p},
          {"sigma", o.sigma},
          {"sigma_end", o.sigma_end},
          {"gamma", o.gamma},
          {"optimiser", o.optimiser},
          {"lr", o.lr},
          {"lr_end", o.lr_end},
          {"laplacian", o.laplacian},
          {"edge", o.edge},
          {"normal", o.normal},
          {"flatten", o.flatten},
          {"colors", o.colors},
          {"seed", o.seed},
          {"backend", o.backend},
          {"checkpoint_every", o.checkpoint_every}};
}

FitOptions options_from_json(const json& j, const fs::path& where) {
  FitOptions o;
  try {
    j.at("target_mesh").get_to(o.target_mesh);
    j.at("target_texture").get_to(o.target_texture);
    j.at("target_images").get_to(o.target_images);
    j.at("cameras").get_to(o.cameras);
    j.at("template").get_to(o.templ);
    j.at("views").get_to(o.views);
    j.at("held_out").get_to(o.held_out);
    j.at("size").get_to(o.size);
    j.at("iters").get_to(o.iters);
    j.at("views_per_step").get_to(o.views_per_step);
    j.at("distribution").get_to(o.distribution);
    j.at("squared").get_to(o.squared);
    j.at("tconorm").get_to(o.tconorm);
    j.at("p").get_to(o.p);
    j.at("sigma").get_to(o.sigma);
    j.at("sigma_end").get_to(o.sigma_end);
    j.at("gamma").get_to(o.gamma);
    j.at("optimiser").get_to(o.optimiser);
    j.at("lr").get_to(o.lr);
    j.at("lr_end").get_to(o.lr_end);
    j.at("laplacian").get_to(o.laplacian);
    j.at("edge").get_to(o.edge);
    j.at("normal").get_to(o.normal);
    j.at("flatten").get_to(o.flatten);
    j.at("colors").get_to(o.colors);
    j.at("seed").get_to(o.seed);
    j.at("backend").get_to(o.backend);
    j.at("checkpoint_every").get_to(o.checkpoint_every);
  } catch (const json::exception& error) {
    throw Error(std::string("fit settings are incomplete or malformed: ") + error.what(), where.string(),
                "resume only from a folder that `penumbra fit` wrote");
  }
  return o;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open", path.string(), "check the path");
  try {
    return json::parse(in);
  } catch (const json::parse_error& error) {
    throw Error(std::string("not valid JSON: ") + error.what(), path.string(), "fix the JSON syntax");
  }
}

void write_json(const fs::path& path, const json& value) {
  learning::write_file_atomically(path, value.dump(2) + "\n");
}

Mesh load_template(const std::string& argument) {
  if (argument.size() > 3 && argument.rfind("ico", 0) == 0 &&
      argument.find_first_not_of("0123456789", 3) == std::string::npos) {
    const int level = std::stoi(argument.substr(3));
    if (level > 7) throw UsageError{"--template " + argument + " is too fine; use ico0 to ico7"};
    return icosphere(level);
  }
  if (!fs::is_regular_file(argument)) {
    throw UsageError{"--template '" + argument + "' is neither icoN nor an existing mesh file"};
  }
  return load_mesh_argument(argument, true);
}

// Everything the config needs, validated before the output folder is touched.
learning::MeshFitConfig build_config(const FitOptions& o) {
  const bool by_mesh = !o.target_mesh.empty(), by_images = !o.target_images.empty() || !o.cameras.empty();
  if (by_mesh == by_images) {
    throw UsageError{"give either --target-mesh FILE or --target-images DIR with --cameras FILE.json"};
  }
  if (by_images && (o.target_images.empty() || o.cameras.empty())) {
    throw UsageError{"--target-images and --cameras go together"};
  }
  if (o.iters < 1) throw UsageError{"--iters must be >= 1"};
  if (o.views < 1 || o.views > 1024 || o.held_out < 1 || o.held_out > 1024) {
    throw UsageError{"--views and --held-out must be in 1..1024"};
  }
  if (!(o.sigma > 0.0f) || o.sigma_end < 0.0f) throw UsageError{"--sigma must be > 0 and --sigma-end >= 0"};
  if (!(o.lr > 0.0) || o.lr_end < 0.0) throw UsageError{"--lr must be > 0 and --lr-end >= 0"};

  learning::MeshFitConfig config;
  config.template_mesh = load_template(o.templ);
  RasterSettings& raster = config.raster;
  const std::string size = o.size.find('x') == std::string::npos ? o.size + "x" + o.size : o.size;
  parse_size(size, "--size", raster.width, raster.height);
  raster.distribution = parse_distribution(o.distribution);
  raster.squared = o.squared;
  raster.aggregation = parse_aggregation(o.tconorm);
  raster.p = o.p;
  raster.gamma = o.gamma;
  raster.sigma = o.sigma;
  raster.validate();
  config.sigma = o.sigma_end > 0.0f ? learning::Schedule::log_anneal(o.sigma, o.sigma_end, o.iters)
                                    : learning::Schedule::constant(o.sigma);
  config.learning_rate =
      o.lr_end > 0.0 ? learning::Schedule{learning::ScheduleKind::cosine, o.lr, o.lr_end, 1.0, o.iters}
                     : learning::Schedule::constant(o.lr);
  config.optimiser.kind = learning::parse_optimiser_kind(o.optimiser);
  config.views_per_step = o.views_per_step;
  config.regularisers = {o.laplacian, o.edge, o.normal, o.flatten};
  config.fit_colors = o.colors;
  config.seed = o.seed;
  config.backend = parse_backend(o.backend);
  if (by_mesh) {
    Mesh target = load_mesh_argument(o.target_mesh, true);
    if (!o.target_texture.empty()) learning::colors_from_texture(target, load_png(o.target_texture));
    if (o.colors) ensure_colors(target);
    config.target_mesh = std::move(target);
    config.target_views = o.views;
    config.held_out_views = o.held_out;
  } else {
    learning::ImageTargets targets = learning::load_image_targets(o.target_images, o.cameras);
    config.target_images = std::move(targets.images);
    config.target_cameras = std::move(targets.cameras);
  }
  return config;
}

std::string csv_header() {
  return "step,loss,silhouette_loss,color_loss,regulariser_loss,silhouette_iou,sigma,learning_rate\n";
}

std::string csv_line(const learning::StepMetrics& m) {
  char line[256];
  std::snprintf(line, sizeof(line), "%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g\n", m.step, m.loss,
                m.silhouette_loss, m.color_loss, m.regulariser_loss, m.silhouette_iou, m.sigma,
                m.learning_rate);
  return line;
}

// The rows of a previous run's loss.csv up to `steps` (a resumed run continues them).
std::vector<learning::StepMetrics> read_loss_csv(const fs::path& path, int steps) {
  std::vector<learning::StepMetrics> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    learning::StepMetrics m;
    if (std::sscanf(line.c_str(), "%d,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &m.step, &m.loss, &m.silhouette_loss,
                    &m.color_loss, &m.regulariser_loss, &m.silhouette_iou, &m.sigma, &m.learning_rate) == 8 &&
        m.step <= steps) {
      rows.push_back(m);
    }
  }
  return rows;
}

json evaluation_json(const learning::Evaluation& e, int step, double loss, double wall_seconds) {
  json j = {{"step", step},
            {"loss", loss},
            {"held_out_silhouette_iou", e.silhouette_iou},
            {"held_out_views", e.views},
            {"held_out_distinct_from_training", e.held_out},
            {"wall_seconds", wall_seconds}};
  j["chamfer"] = e.chamfer ? json(*e.chamfer) : json(nullptr);
  j["psnr_db"] = e.psnr_db ? json(*e.psnr_db) : json(nullptr);
  return j;
}

std::string format_duration(double seconds) {
  char text[32];
  const int s = int(seconds + 0.5);
  if (s >= 3600)
    std::snprintf(text, sizeof(text), "%dh%02dm", s / 3600, (s / 60) % 60);
  else
    std::snprintf(text, sizeof(text), "%dm%02ds", s / 60, s % 60);
  return text;
}

struct FitSummary {
  std::string status;  // done, interrupted, stopped
  int steps = 0;
  learning::Evaluation evaluation;
  double wall_seconds = 0.0;
};

class FitRun {
 public:
  FitRun(FitOptions options, fs::path out, bool resuming)
      : options_(std::move(options)),
        out_(std::move(out)),
        fit_(build_config(options_)),
        resuming_(resuming) {}

  FitSummary run() {
    prepare_folder();
    const bool tty = !options_.quiet && isatty(fileno(stdout));
    const int log_every = std::max(1, options_.iters / 20);
    const auto started = std::chrono::steady_clock::now();
    const int first_step = fit_.steps_done();
    FitSummary summary;
    while (fit_.steps_done() < options_.iters) {
      const learning::StepMetrics m = fit_.step();
      rows_.push_back(m);
      csv_ << csv_line(m);
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const double eta = elapsed / double(m.step - first_step) * double(options_.iters - m.step);
      if (tty) {
        const int filled = 30 * m.step / options_.iters;
        std::printf("\r[%s%s] %d/%d loss %.4f IoU %.3f ETA %s   ",
                    std::string(std::size_t(filled), '#').c_str(),
                    std::string(std::size_t(30 - filled), '.').c_str(), m.step, options_.iters, m.loss,
                    m.silhouette_iou, format_duration(eta).c_str());
        std::fflush(stdout);
      } else if (!options_.quiet && (m.step % log_every == 0 || m.step == options_.iters)) {
        std::printf("step %d/%d  loss %.5f  soft IoU %.4f  sigma %.3g  %.1f s  ETA %s\n", m.step,
                    options_.iters, m.loss, m.silhouette_iou, m.sigma, elapsed, format_duration(eta).c_str());
        std::fflush(stdout);
      }
      const double wall = previous_wall_ + elapsed;
      const bool stop = g_stop_requested.load() || (options_.stop_after > 0 && m.step >= options_.stop_after);
      if (m.step == options_.iters) break;
      if (stop || (options_.checkpoint_every > 0 && m.step % options_.checkpoint_every == 0))
        checkpoint(m, wall);
      if (stop) {
        if (tty) std::printf("\n");
        summary.status = g_stop_requested.load() ? "interrupted" : "stopped";
        summary.steps = m.step;
        summary.wall_seconds = wall;
        metrics_["status"] = summary.status;
        write_json(out_ / "metrics.json", metrics_);
        return summary;
      }
    }
    if (tty) std::printf("\n");
    const double wall =
        previous_wall_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    summary.evaluation = checkpoint(rows_.back(), wall);
    finish();
    summary.status = "done";
    summary.steps = fit_.steps_done();
    summary.wall_seconds = wall;
    return summary;
  }

 private:
  void prepare_folder() {
    if (resuming_) {
      fit_.load_checkpoint(out_ / "checkpoint.bin");
      const json progress = read_json(out_ / "metrics.json");
      previous_wall_ = progress.value("wall_seconds", 0.0);
      metrics_ = progress;
      rows_ = read_loss_csv(out_ / "loss.csv", fit_.steps_done());
    } else {
      std::error_code error;
      fs::create_directories(out_ / "snapshots", error);
      if (error) throw UsageError{"cannot create --out folder " + out_.string() + ": " + error.message()};
      // A result of an earlier run in this folder must not pass for this one's.
      fs::remove(out_ / "result.obj", error);
      write_json(out_ / "config.json", options_to_json(options_));
      metrics_ = {{"status", "running"}, {"checkpoints", json::array()}};
    }
    // loss.csv is rewritten from the rows kept so it always matches the checkpoint it continues.
    csv_.open(out_ / "loss.csv", std::ios::trunc);
    csv_ << csv_header();
    for (const auto& row : rows_) csv_ << csv_line(row);
    if (!csv_) throw UsageError{"cannot write " + (out_ / "loss.csv").string()};
  }

  learning::Evaluation checkpoint(const learning::StepMetrics& m, double wall_seconds) {
    const learning::Evaluation evaluation = fit_.evaluate();
    fit_.save_checkpoint(out_ / "checkpoint.bin");
    csv_.flush();
    char name[64];
    std::snprintf(name, sizeof(name), "step_%06d.png", m.step);
    save_png(fit_.render(std::span(fit_.held_out_cameras()).first(1), hard_view()), 0,
             out_ / "snapshots" / name);
    metrics_["checkpoints"].push_back(evaluation_json(evaluation, m.step, m.loss, wall_seconds));
    metrics_["wall_seconds"] = wall_seconds;
    metrics_["steps"] = m.step;
    write_json(out_ / "metrics.json", metrics_);
    write_plot();
    return evaluation;
  }

  RasterSettings hard_view() const {
    RasterSettings settings = fit_.raster_settings();
    settings.distribution = Distribution::heaviside;
    settings.aggregation = Aggregation::hard;
    settings.colors = ColorMode::hard;
    return settings;
  }

  void write_plot() {
    std::vector<double> losses;
    for (const auto& row : rows_) losses.push_back(row.loss);
    save_png(learning::plot_loss_curve(losses, 640, 360, true), 0, out_ / "loss.png");
  }

  void finish() {
    const std::size_t shown = std::min<std::size_t>(4, fit_.held_out_cameras().size());
    const Images& final_views = fit_.render(std::span(fit_.held_out_cameras()).first(shown), hard_view());
    for (int v = 0; v < int(shown); ++v) {
      save_png(final_views, v, out_ / "snapshots" / ("final_view_" + std::to_string(v) + ".png"));
      save_png(fit_.held_out_images(), v, out_ / "snapshots" / ("target_view_" + std::to_string(v) + ".png"));
    }
    metrics_["final"] = metrics_["checkpoints"].back();
    metrics_["status"] = "done";
    write_json(out_ / "metrics.json", metrics_);
    // The result is written last: its presence means the fit completed.
    save_obj(fit_.current_mesh(), out_ / "result.obj");
  }

  FitOptions options_;
  fs::path out_;
  MeshFit fit_;
  bool resuming_;
  std::vector<learning::StepMetrics> rows_;
  json metrics_;
  double previous_wall_ = 0.0;
  std::ofstream csv_;
};

FitSummary run_one(FitOptions options, bool resume_requested, int iters_override) {
  if (resume_requested) {
    const fs::path folder = options.resume;
    FitOptions stored = options_from_json(read_json(folder / "config.json"), folder / "config.json");
    if (iters_override > 0) stored.iters = iters_override;
    stored.stop_after = options.stop_after;
    stored.quiet = options.quiet;
    return FitRun(stored, folder, true).run();
  }
  if (options.out.empty()) throw UsageError{"--out DIR is required (or --resume DIR)"};
  const fs::path out = options.out;
  return FitRun(std::move(options), out, false).run();
}

void print_summary(const FitSummary& s, const fs::path& out) {
  if (s.status != "done") {
    std::printf("%s after %d steps in %.1f s; checkpoint in %s (continue with --resume %s)\n",
                s.status.c_str(), s.steps, s.wall_seconds, out.string().c_str(), out.string().c_str());
    return;
  }
  std::printf("%s after %d steps in %.1f s: held-out IoU %.4f", s.status.c_str(), s.steps, s.wall_seconds,
              s.evaluation.silhouette_iou);
  if (s.evaluation.chamfer) std::printf(", Chamfer %.5f", *s.evaluation.chamfer);
  if (s.evaluation.psnr_db) std::printf(", PSNR %.2f dB", *s.evaluation.psnr_db);
  std::printf("; wrote %s\n", out.string().c_str());
}

// One job of a batch file: an object whose keys are the long option names ("target-mesh": "...",
// "colors": true, "iters": 200), parsed exactly as the command line.
FitOptions parse_job(const json& job, const std::string& where) {
  if (!job.is_object())
    throw Error("job is not an object", where, "write {\"target-mesh\": ..., \"out\": ...}");
  std::vector<std::string> arguments;
  for (const auto& [key, value] : job.items()) {
    if (value.is_boolean()) {
      if (value.get<bool>()) arguments.push_back("--" + key);
      continue;
    }
    arguments.push_back("--" + key);
    arguments.push_back(value.is_string() ? value.get<std::string>() : value.dump());
  }
  FitOptions options;
  CLI::App parser{"fit job"};
  add_fit_options(parser, options);
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  try {
    parser.parse(reversed);
  } catch (const CLI::ParseError& error) {
    throw Error(std::string("bad job option: ") + error.what(), where,
                "use the long option names of `penumbra fit`");
  }
  if (options.out.empty()) throw Error("job has no \"out\" folder", where, "give each job its own \"out\"");
  return options;
}

int run_batch(const std::string& batch_file, bool quiet) {
  const json document = read_json(batch_file);
  const json& jobs = document.is_object() && document.contains("jobs") ? document["jobs"] : document;
  if (!jobs.is_array() || jobs.empty()) {
    throw Error("batch file holds no job list", batch_file, "write a JSON array of job objects");
  }
  struct Row {
    std::string out, status, detail;
    FitSummary summary;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const std::string where = batch_file + ", job " + std::to_string(i);
    Row row;
    try {
      FitOptions options = parse_job(jobs[i], where);
      options.quiet = options.quiet || quiet;
      row.out = options.out;
      if (!quiet) std::printf("job %zu: %s\n", i, row.out.c_str());
      row.summary = run_one(options, false, 0);
      row.status = row.summary.status;
    } catch (const Error& error) {
      row.status = "failed";
      row.detail = error.what();
    } catch (const UsageError& error) {
      row.status = "failed";
      row.detail = error.message;
    }
    if (row.status == "failed") std::fprintf(stderr, "penumbra: %s: %s\n", where.c_str(), row.detail.c_str());
    rows.push_back(row);
    if (g_stop_requested.load()) break;
  }
  std::printf("\n%-4s %-32s %-12s %6s %9s %9s %8s %9s\n", "job", "out", "status", "steps", "IoU", "Chamfer",
              "PSNR", "seconds");
  int failures = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    failures += r.status == "failed";
    const auto& e = r.summary.evaluation;
    const bool done = r.status == "done";
    std::printf("%-4zu %-32s %-12s %6d %9s %9s %8s %9.1f\n", i, r.out.c_str(), r.status.c_str(),
                r.summary.steps, done ? std::to_string(e.silhouette_iou).substr(0, 6).c_str() : "-",
                done && e.chamfer ? std::to_string(*e.chamfer).substr(0, 7).c_str() : "-",
                done && e.psnr_db ? std::to_string(*e.psnr_db).substr(0, 5).c_str() : "-",
                r.summary.wall_seconds);
  }
  std::printf("%zu job(s), %d failed\n", rows.size(), failures);
  if (g_stop_requested.load()) return kInterruptedExit;
  return failures == 0 ? 0 : 1;
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto options = std::make_shared<FitOptions>();
  auto batch = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "fit",
      "Fit a template mesh to target views (a target mesh, or images with cameras); see docs/fitting.md");
  add_fit_options(*command, *options);
  command->add_option("--batch", *batch,
                      "JSON list of jobs (objects keyed by long option names), one fit each");
  command->callback([options, batch, command] {
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    int code = 0;
    if (!batch->empty()) {
      code = run_batch(*batch, options->quiet);
    } else {
      const int iters_override = command->count("--iters") > 0 ? options->iters : 0;
      const FitSummary summary = run_one(*options, !options->resume.empty(), iters_override);
      print_summary(summary, options->resume.empty() ? options->out : options->resume);
      if (summary.status == "interrupted") code = kInterruptedExit;
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::fflush(stdout);
    // Interrupted or failed batch jobs end the process with their own code; everything is written by now.
    if (code != 0) std::exit(code);
  });
}

}  // namespace penumbra::cli
