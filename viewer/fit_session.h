#pragma once
// Runs a MeshFit on its own thread. The UI sends commands (new controls, pause, single step, reset, save);
// the trainer applies them between steps and publishes a FitSnapshot every kPublishPeriod.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "fit_setup.h"
#include "fit_snapshot.h"
#include "snapshot_exchange.h"

namespace penumbra::viewer {

class FitSession {
 public:
  static constexpr std::chrono::milliseconds kPublishPeriod{100};
  /// Views of the fit shown in snapshots.
  static constexpr int kShownViews = 3;

  /// Starts the trainer thread, which builds the fit from `setup` (a failure shows as the snapshot's status).
  FitSession(FitSetup setup, FitControls controls);
  /// Stops the trainer after its current step and joins it.
  ~FitSession();
  FitSession(const FitSession&) = delete;
  FitSession& operator=(const FitSession&) = delete;

  void set_controls(const FitControls& controls);
  /// Throws the fit away and builds a new one from `setup` with the current controls.
  void restart(const FitSetup& setup);
  void set_paused(bool paused);
  /// While paused: do exactly one step.
  void step_once();
  /// Shows training views [first, first + kShownViews) in the snapshots.
  void show_views(int first);
  /// Writes the current mesh to `obj_path` and its metrics next to it (same name, .json).
  void save(const std::string& obj_path);

  const SnapshotExchange<FitSnapshot>& snapshots() const { return snapshots_; }

 private:
  // Commands from the UI, guarded by mutex_; the trainer takes them between steps.
  struct Commands {
    std::optional<FitControls> controls;
    std::optional<FitSetup> setup;
    std::optional<std::string> save_path;
    std::optional<int> first_shown_view;
    bool paused = false;
    int single_steps = 0;
    bool stop = false;
  };

  void run(FitSetup setup, FitControls controls);

  std::mutex mutex_;
  std::condition_variable wake_;
  Commands commands_;
  SnapshotExchange<FitSnapshot> snapshots_;
  std::thread thread_;  // last: starts after every member it uses exists
};

}  // namespace penumbra::viewer
