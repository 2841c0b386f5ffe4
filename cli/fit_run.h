#pragma once
// One run of `penumbra fit` into its output folder: config.json, checkpoints, loss.csv and loss.png,
// metrics.json, snapshots and result.obj; resumable from its last checkpoint, stoppable by SIGINT/SIGTERM.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "fit_options.h"
#include "mesh_fit.h"

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

/// A new fit into options.out, writing `settings` (settings_json of its options) as config.json.
FitSummary run_new_fit(const FitOptions& options, const nlohmann::json& settings);

/// Continues the fit in `folder` from its config.json and last checkpoint; `iters` > 0 replaces the stored
/// step count, and `stop_after` and `quiet` are this run's.
FitSummary resume_fit(const std::filesystem::path& folder, int iters, int stop_after, bool quiet);

/// One line: status, steps, seconds and the held-out metrics, or how to continue an unfinished fit.
void print_summary(const FitSummary& summary, const std::filesystem::path& out);

}  // namespace penumbra::cli
