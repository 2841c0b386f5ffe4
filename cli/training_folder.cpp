#include "training_folder.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "cli_support.h"
#include "fit_run.h"
#include "penumbra/learning/loss_plot.h"
#include "penumbra/error.h"
#include "penumbra/image.h"

namespace penumbra::cli {

namespace fs = std::filesystem;

void write_json_file(const fs::path& path, const nlohmann::json& value) {
  write_file_atomically(path, value.dump(2) + "\n");
}

void write_loss_log(const fs::path& out, const std::vector<float>& losses, const std::string& y_label) {
  std::string text = "step,loss\n";
  char line[64];
  for (std::size_t i = 0; i < losses.size(); ++i) {
    std::snprintf(line, sizeof(line), "%zu,%.9g\n", i + 1, static_cast<double>(losses[i]));
    text += line;
  }
  write_file_atomically(out / "loss.csv", text);
  if (losses.size() < 2) return;
  const std::vector<double> values(losses.begin(), losses.end());
  save_png(learning::plot_loss_curve(values, 640, 360, true, y_label), 0, out / "loss.png");
}

void reject_settings_with_resume(const CLI::App& command, std::span<const std::string_view> run_only) {
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_lnames().empty() || option->count() == 0) continue;
    const std::string& key = option->get_lnames().front();
    if (key == "resume" || std::find(run_only.begin(), run_only.end(), key) != run_only.end()) continue;
    throw UsageError{"--" + key +
                     " cannot be given with --resume: a resumed run keeps the settings in its config.json"};
  }
}

void prepare_new_run_folder(const fs::path& out, bool force, const std::string& result) {
  if (!force && fs::is_regular_file(out / "metrics.json")) {
    bool done = false;
    try {
      done = read_json(out / "metrics.json").value("status", "") == "done";
    } catch (const Error&) {
    }
    if (done) {
      throw UsageError{"--out folder " + out.string() +
                       " holds a finished run; give --force to overwrite it"};
    }
  }
  create_output_folder(out, "--out");
  std::error_code error;
  fs::remove(out / "checkpoint.bin", error);
  fs::remove(out / result, error);
}

Deadline::Deadline(double minutes)
    : end_(std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(
               std::chrono::duration<double>(60.0 * std::max(minutes, 0.0)))),
      limited_(minutes > 0) {}

bool Deadline::passed() const { return limited_ && std::chrono::steady_clock::now() >= end_; }

int finish_sitting(const std::string& status, long long steps, long long total_steps, const fs::path& out) {
  if (status == "done") return 0;
  std::printf("%s after %lld of %lld steps; checkpoint in %s (continue with --resume %s)\n", status.c_str(),
              steps, total_steps, out.string().c_str(), out.string().c_str());
  std::fflush(stdout);
  return status == "interrupted" ? kInterruptedExit : 0;
}

}  // namespace penumbra::cli
