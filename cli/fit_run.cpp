#include "fit_run.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "penumbra/learning/checkpoint.h"
#include "cli_support.h"
#include "penumbra/data/camera_file.h"
#include "penumbra/learning/loss_plot.h"
#include "penumbra/error.h"
#include "penumbra/files.h"
#include "penumbra/learning/result_images.h"
#include "scene_options.h"

namespace penumbra::cli {
namespace {

namespace fs = std::filesystem;
using learning::MeshFit;
using nlohmann::json;

std::atomic<bool> g_stop_requested{false};

// Batch, config and metrics files are a few kilobytes; a larger one is not one of them.
constexpr std::uintmax_t kMaxJsonBytes = std::uintmax_t(64) << 20;

extern "C" void request_stop(int) { g_stop_requested.store(true); }

void write_json(const fs::path& path, const json& value) {
  write_file_atomically(path, value.dump(2) + "\n");
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

class FitRun {
 public:
  /// `settings` is written as config.json by a new fit; a resumed one (`settings` null) keeps its own.
  FitRun(FitOptions options, fs::path out, json settings)
      : options_(std::move(options)),
        out_(std::move(out)),
        fit_(build_config(options_)),
        settings_(std::move(settings)) {
    if (!options_.target_images.empty()) require_cameras_see_the_template();
  }

  FitSummary run() {
    prepare_folder();
    const bool tty = !options_.quiet && isatty(fileno(stdout));
    const int log_every = std::max(1, options_.iters / 20);
    const auto started = std::chrono::steady_clock::now();
    const int first_step = fit_.steps_done();
    FitSummary summary;
    while (fit_.steps_done() < options_.iters) {
      const learning::StepMetrics m = fit_.step();
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
        write_loss_csv();
        return summary;
      }
    }
    if (tty) std::printf("\n");
    const double wall =
        previous_wall_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    summary.evaluation = checkpoint(fit_.history().back(), wall);
    finish();
    summary.status = "done";
    summary.steps = fit_.steps_done();
    summary.wall_seconds = wall;
    return summary;
  }

 private:
  void prepare_folder() {
    // Files a killed run was writing: never valid, and nothing reads them.
    for (const fs::path& folder : {out_, out_ / "snapshots"}) remove_abandoned_temporary_files(folder);
    if (settings_.is_null()) {
      fit_.load_checkpoint(out_ / "checkpoint.bin");
      const json progress = read_json(out_ / "metrics.json");
      previous_wall_ = progress.value("wall_seconds", 0.0);
      metrics_ = progress;
    } else {
      create_output_folder(out_ / "snapshots", "--out");
      std::error_code error;
      // A result or checkpoint of an earlier run in this folder must not pass for this one's.
      fs::remove(out_ / "result.obj", error);
      fs::remove(out_ / "result.ply", error);
      fs::remove(out_ / "checkpoint.bin", error);
      write_json(out_ / "config.json", settings_);
      const Normalization& normalization = fit_.config().target_normalization;
      metrics_ = {
          {"status", "running"},
          {"checkpoints", json::array()},
          {"target_normalization",
           {{"center", {normalization.center.x, normalization.center.y, normalization.center.z}},
            {"scale", normalization.scale},
            {"meaning", "fit frame = (target frame - center) * scale; results are in the target frame"}}}};
      // Written now so that a process killed right after its first checkpoint leaves a resumable folder.
      write_json(out_ / "metrics.json", metrics_);
      write_cameras();
      // A checkpoint of step 0, so that a fit killed at any point can be resumed.
      fit_.save_checkpoint(out_ / "checkpoint.bin");
    }
    // loss.csv is rewritten from the checkpoint's history, repairing whatever happened to it since.
    write_loss_csv();
  }

  void write_loss_csv() const {
    std::string text = csv_header();
    for (const auto& row : fit_.history()) text += csv_line(row);
    write_file_atomically(out_ / "loss.csv", text);
  }

  learning::Evaluation checkpoint(const learning::StepMetrics& m, double wall_seconds) {
    const learning::Evaluation evaluation = fit_.evaluate();
    fit_.save_checkpoint(out_ / "checkpoint.bin");
    write_loss_csv();
    char name[64];
    std::snprintf(name, sizeof(name), "step_%06d.png", m.step);
    save_png(
        learning::over_checkerboard(fit_.render(std::span(fit_.held_out_cameras()).first(1), hard_view())), 0,
        out_ / "snapshots" / name);
    metrics_["checkpoints"].push_back(evaluation_json(evaluation, m.step, m.loss, wall_seconds));
    metrics_["wall_seconds"] = wall_seconds;
    metrics_["steps"] = m.step;
    write_json(out_ / "metrics.json", metrics_);
    write_plot();
    return evaluation;
  }

  // A target camera that sees none of the starting mesh gives the fit nothing to pull on: almost always a
  // camera written in another convention or another world frame.
  void require_cameras_see_the_template() {
    const std::vector<Camera>& cameras = fit_.config().target_cameras;
    const std::vector<int> empty = views_without_mesh(fit_.render(cameras, hard_view()));
    if (empty.empty()) return;
    std::string list;
    for (int view : empty) list += (list.empty() ? "" : ", ") + std::to_string(view);
    throw Error(
        (empty.size() == 1 ? "camera " : "cameras ") + list + " of " + std::to_string(cameras.size()) +
            (empty.size() == 1 ? " sees" : " see") + " none of the starting mesh",
        options_.cameras,
        "check the cameras' convention and that the object is near the origin (penumbra cameras --check " +
            options_.cameras + " --mesh " + options_.templ + " --out sheet.png)");
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
    for (const auto& row : fit_.history()) losses.push_back(row.loss);
    save_png(learning::plot_loss_curve(losses, 640, 360, true), 0, out_ / "loss.png");
  }

  // Every camera of the fit, training then held-out, in the target's own frame (where result.obj lies).
  void write_cameras() const {
    std::vector<data::CameraEntry> entries;
    for (const auto* list : {&fit_.target_cameras(), &fit_.held_out_cameras()}) {
      for (const Camera& camera : *list)
        entries.push_back({fit_.config().target_normalization.to_original(camera), ""});
    }
    data::write_camera_file(out_ / "cameras.json", entries);
  }

  void finish() {
    const Images final_views = fit_.render(fit_.held_out_cameras(), hard_view());
    const Images shown_final = learning::over_checkerboard(final_views);
    const Images shown_target = learning::over_checkerboard(fit_.held_out_images());
    for (int v = 0; v < std::min(4, final_views.views); ++v) {
      save_png(shown_final, v, out_ / "snapshots" / ("final_view_" + std::to_string(v) + ".png"));
      save_png(shown_target, v, out_ / "snapshots" / ("target_view_" + std::to_string(v) + ".png"));
    }
    save_png(learning::comparison_grid(fit_.held_out_images(), final_views), 0, out_ / "compare.png");
    metrics_["final"] = metrics_["checkpoints"].back();
    metrics_["status"] = "done";
    write_json(out_ / "metrics.json", metrics_);
    // The results are written last (each whole or not at all), the OBJ after the PLY: its presence means the
    // fit completed.
    const Mesh result = fit_.result_mesh();
    save_ply(result, out_ / "result.ply");
    save_obj(result, out_ / "result.obj");
  }

  FitOptions options_;
  fs::path out_;
  MeshFit fit_;
  json settings_;
  json metrics_;
  double previous_wall_ = 0.0;
};

}  // namespace

StopOnSignal::StopOnSignal() {
  g_stop_requested.store(false);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
}

StopOnSignal::~StopOnSignal() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

bool StopOnSignal::requested() { return g_stop_requested.load(); }

json read_json(const fs::path& path) {
  const std::string text = read_file(path, kMaxJsonBytes, "JSON file");
  try {
    return json::parse(text);
  } catch (const json::exception& error) {
    throw Error(std::string("not valid JSON: ") + error.what(), path.string(),
                "fix the JSON syntax; numbers must fit a double");
  }
}

bool holds_finished_fit(const fs::path& folder) {
  std::error_code error;
  if (!fs::is_regular_file(folder / "result.obj", error)) return false;
  try {
    return read_json(folder / "metrics.json").value("status", "") == "done";
  } catch (const Error&) {
    return false;
  }
}

bool holds_checkpoint(const fs::path& folder) {
  std::error_code error;
  return fs::is_regular_file(folder / "checkpoint.bin", error) &&
         fs::is_regular_file(folder / "config.json", error) &&
         fs::is_regular_file(folder / "metrics.json", error);
}

FitSummary finished_fit_summary(const fs::path& folder) {
  const json metrics = read_json(folder / "metrics.json");
  const json& last = metrics.at("final");
  FitSummary summary;
  summary.status = "done";
  summary.steps = last.at("step").get<int>();
  summary.wall_seconds = last.at("wall_seconds").get<double>();
  summary.evaluation.silhouette_iou = last.at("held_out_silhouette_iou").get<double>();
  summary.evaluation.views = last.at("held_out_views").get<int>();
  summary.evaluation.held_out = last.at("held_out_distinct_from_training").get<bool>();
  if (last.at("chamfer").is_number()) summary.evaluation.chamfer = last["chamfer"].get<double>();
  if (last.at("psnr_db").is_number()) summary.evaluation.psnr_db = last["psnr_db"].get<double>();
  return summary;
}

FitSummary run_new_fit(const FitOptions& options, const json& settings) {
  if (options.out.empty()) throw UsageError{"--out DIR is required (or --resume DIR)"};
  if (!options.force && holds_finished_fit(options.out)) {
    throw UsageError{"--out folder " + options.out + " holds a finished fit; give --force to overwrite it"};
  }
  return FitRun(options, options.out, settings).run();
}

FitSummary resume_fit(const fs::path& folder, const ResumeOverrides& overrides) {
  const fs::path config = folder / "config.json";
  FitOptions stored = options_from_json(read_json(config), config.string()).options;
  if (overrides.iters > 0) stored.iters = overrides.iters;
  stored.stop_after = overrides.stop_after;
  stored.quiet = overrides.quiet;
  stored.threads = overrides.threads;
  return FitRun(stored, folder, nullptr).run();
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

}  // namespace penumbra::cli
