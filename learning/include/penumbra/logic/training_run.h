#pragma once
// A whole training run: steps with periodic evaluation on a test set, reported through a callback so
// that a CLI can log it and a viewer can plot it live.
#include <functional>
#include <vector>

#include "penumbra/logic/trainer.h"

namespace penumbra::logic {

/// One point of the training curves.
struct CurvePoint {
  long long step = 0;
  double loss = 0.0;           ///< mean training loss since the previous point
  Accuracy test;               ///< relaxed and discretised accuracy on the test set
  double train_seconds = 0.0;  ///< time spent in training steps so far (evaluations excluded)
};

/// Length of a run and how often it evaluates.
struct RunSettings {
  long long steps = 1000;
  long long eval_every = 500;  ///< steps between curve points; the last step always gets one
  TrainSettings train;
};

/// Trains `network` for settings.steps steps, evaluating on `test` every eval_every steps and after the
/// last. `on_point` sees each point as it is made and may return false to stop early. Returns all points.
std::vector<CurvePoint> run_training(LogicNetwork& network, const BinaryDataset& train,
                                     const BinaryDataset& test, const RunSettings& settings,
                                     const std::function<bool(const CurvePoint&)>& on_point = {});

}  // namespace penumbra::logic
