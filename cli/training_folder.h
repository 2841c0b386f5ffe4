#pragma once
// The output folder of a training command (`rank-train`, `logic-train`), with fit's conventions: config.json
// (the run's settings), checkpoint.bin, metrics.json with a status, loss.csv and loss.png written as the run
// goes, every file written atomically; --resume DIR continues from the checkpoint, SIGINT/SIGTERM checkpoint
// and exit 130 (StopOnSignal), --max-minutes stops cleanly at the next step.
#include <chrono>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace penumbra::cli {

/// Writes `value` as indented JSON, atomically.
void write_json_file(const std::filesystem::path& path, const nlohmann::json& value);

/// loss.csv (step,loss; losses[i] is step i + 1's) and loss.png (the curve against step, log scale, titled
/// `y_label`) in `out`.
void write_loss_log(const std::filesystem::path& out, const std::vector<float>& losses,
                    const std::string& y_label);

/// With --resume, every option but those of one sitting (`run_only`) comes from the folder's config.json;
/// giving one is a usage error.
void reject_settings_with_resume(const CLI::App& command, std::span<const std::string_view> run_only);

/// Creates `out` for a new run. Refuses (usage error) a folder whose metrics.json says "done" unless `force`,
/// and removes an earlier run's checkpoint and `result` so they cannot pass for this run's.
void prepare_new_run_folder(const std::filesystem::path& out, bool force, const std::string& result);

/// The wall-clock budget of one sitting (--max-minutes; 0 or less: none).
class Deadline {
 public:
  explicit Deadline(double minutes);
  bool passed() const;

 private:
  std::chrono::steady_clock::time_point end_;
  bool limited_;
};

/// How a sitting ended: the last line it prints, and its exit code (0, or 130 after a signal).
int finish_sitting(const std::string& status, long long steps, long long total_steps,
                   const std::filesystem::path& out);

}  // namespace penumbra::cli
