#include "penumbra/logic/training_run.h"

#include <chrono>

#include "penumbra/error.h"

namespace penumbra::logic {

std::vector<CurvePoint> run_training(LogicNetwork& network, const BinaryDataset& train,
                                     const BinaryDataset& test, const RunSettings& settings,
                                     const std::function<bool(const CurvePoint&)>& on_point) {
  if (settings.steps < 1 || settings.eval_every < 1) {
    throw Error("a training run needs at least one step and a positive evaluation interval", "RunSettings",
                "pass --steps ≥ 1");
  }
  check_dataset_fits(network.spec(), test);
  Trainer trainer(network, train, settings.train);
  std::vector<CurvePoint> curve;
  double train_seconds = 0.0;
  double loss_sum = 0.0;
  long long loss_count = 0;
  using Clock = std::chrono::steady_clock;
  while (trainer.steps_done() < settings.steps) {
    const auto start = Clock::now();
    loss_sum += trainer.step();
    train_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    ++loss_count;
    const long long step = trainer.steps_done();
    if (step % settings.eval_every != 0 && step != settings.steps) continue;
    CurvePoint point;
    point.step = step;
    point.loss = loss_sum / double(loss_count);
    point.test = evaluate(network, test, settings.train.threads);
    point.train_seconds = train_seconds;
    curve.push_back(point);
    loss_sum = 0.0;
    loss_count = 0;
    if (on_point && !on_point(point)) break;
  }
  return curve;
}

}  // namespace penumbra::logic
