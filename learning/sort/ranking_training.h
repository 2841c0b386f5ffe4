#pragma once
/// Ranking supervision on four-digit Fashion-MNIST (diffsort's protocol): a scorer scores each element,
/// a relaxed sorting network turns a set's scores into P, the loss is BCE between P and the true permutation.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sort/ranking_loss.h"
#include "sort/relaxation.h"
#include "sort/sorting_network.h"

namespace penumbra::sort {

/// The element scorer: TileScorer (an MLP per tile) or ConvTileScorer (a small CNN per tile).
enum class ScorerKind { mlp, cnn };
/// Parses "mlp" or "cnn"; throws penumbra::Error otherwise.
ScorerKind parse_scorer_kind(const std::string& name);

/// Learning rate over the run: constant, or cosine decay from the given rate to 0 at the last step.
enum class LearningRateSchedule { constant, cosine };
/// Parses "constant" or "cosine"; throws penumbra::Error otherwise.
LearningRateSchedule parse_learning_rate_schedule(const std::string& name);

/// Settings of one ranking training run.
struct RankTrainingConfig {
  int n = 5;  ///< elements per set
  NetworkKind network = NetworkKind::odd_even;
  Relaxation relaxation = {};  ///< cauchy, steepness 10 by default
  int steps = 1000;            ///< Adam steps
  int sets_per_batch = 100;    ///< diffsort's batch size
  double learning_rate = 1e-3;
  LearningRateSchedule schedule = LearningRateSchedule::constant;
  ScorerKind scorer = ScorerKind::cnn;
  std::uint64_t seed = 0;             ///< weights and training sets
  std::vector<int> hidden = {64};     ///< encoder widths (the CNN uses the last as its features)
  int eval_every = 100;               ///< steps between learning-curve points
  int validation_sets = 500;          ///< sets drawn once from the held-out 5000 training images
  int test_sets = 2000;               ///< sets drawn once (fixed seed) from the test split
  int threads = 0;                    ///< 0: every CPU the process may run on
  std::filesystem::path data_folder;  ///< folder of the Fashion-MNIST IDX files
};

/// One learning-curve point: mean training loss since the previous point and validation accuracy now.
struct RankCurvePoint {
  int step = 0;
  double train_loss = 0;
  RankingAccuracy validation;
  double elapsed_seconds = 0;  ///< since the start of training, evaluations included
};

/// Result of a run: its learning curve and the final model's accuracy on the test split.
struct RankTrainingReport {
  std::vector<RankCurvePoint> curve;
  RankingAccuracy test;
  int steps_done = 0;
  double steps_per_second = 0;  ///< training steps only, evaluations excluded
  int test_sets = 0;
};

/// Called at every curve point (a viewer can plot live); return false to stop training there.
using RankProgress = std::function<bool(const RankCurvePoint&)>;

/// Trains and evaluates. Training sets come from the first 55000 training images, validation sets from the
/// last 5000, test sets from the 10000 test images. Throws penumbra::Error on bad settings or missing data.
RankTrainingReport train_ranking(const RankTrainingConfig& config, const RankProgress& progress = {});

}  // namespace penumbra::sort
