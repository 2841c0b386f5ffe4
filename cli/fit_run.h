#pragma once
// One run of `penumbra fit` into its output folder: config.json, cameras.json, checkpoints, loss.csv and
// loss.png, metrics.json, snapshots, compare.png, result.ply and result.obj (every file written atomically);
// resumable from its last checkpoint, stoppable by SIGINT/SIGTERM.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "fit_options.h"
#include "penumbra/learning/mesh_fit.h"

namespace penumbra::cli {

/// Exit code after SIGINT/SIGTERM: the shell convention 128 + SIGINT.
inline constexpr int kInterruptedExit = 130;

/// While alive, SIGINT and SIGTERM ask the running fit to checkpoint and stop instead of killing the process.
class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
  /// True once a signal arrived.
  static bool requested();
};

struct FitSummary {
  std::string status;  ///< done, interrupted or stopped
  int steps = 0;
  learning::Evaluation evaluation;
  double wall_seconds = 0.0;
};

/// Reads a JSON file; throws penumbra::Error naming it when unreadable or malformed.
nlohmann::json read_json(const std::filesystem::path& path);

/// A new fit into options.out, writing `settings` (settings_json of its options) as config.json. Refuses
/// (UsageError) to overwrite a finished fit unless options.force.
FitSummary run_new_fit(const FitOptions& options, const nlohmann::json& settings);

/// What a resumed run takes from its own command line rather than the folder's config.json.
struct ResumeOverrides {
  int iters = 0;  ///< > 0: replaces the stored step count
  int stop_after = 0;
  bool quiet = false;
  int threads = 0;
};

/// Continues the fit in `folder` from its config.json and last checkpoint.
FitSummary resume_fit(const std::filesystem::path& folder, const ResumeOverrides& overrides);

/// True when `folder` holds a completed fit: result.obj (written last, atomically) and metrics.json saying done.
bool holds_finished_fit(const std::filesystem::path& folder);

/// True when `folder` holds what resume_fit needs: config.json, metrics.json and checkpoint.bin.
bool holds_checkpoint(const std::filesystem::path& folder);

/// The summary of the finished fit in `folder`, read from its metrics.json.
FitSummary finished_fit_summary(const std::filesystem::path& folder);

/// One line: status, steps, seconds and the held-out metrics, or how to continue an unfinished fit.
void print_summary(const FitSummary& summary, const std::filesystem::path& out);

}  // namespace penumbra::cli
