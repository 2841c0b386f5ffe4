#pragma once
/// Ranking supervision on four-digit Fashion-MNIST (diffsort's protocol): a scorer scores each element,
/// a relaxed sorting network turns a set's scores into P, the loss is BCE between P and the true permutation.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "penumbra/core/optimiser.h"
#include "penumbra/sort/element_scorer.h"
#include "penumbra/sort/ranking_loss.h"
#include "penumbra/sort/relaxation.h"
#include "penumbra/sort/sorting_network.h"

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
  int conv_channels1 = 8;             ///< CNN: output channels of the first convolution (diffsort: 32)
  int conv_channels2 = 16;            ///< CNN: and of the second (diffsort: 64)
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

/// The scorer `config` describes (kind, hidden width, seed, threads), with fresh weights. Throws
/// penumbra::Error on an empty hidden width or a bad shape.
std::unique_ptr<ElementScorer<float>> make_scorer(const RankTrainingConfig& config);

/// Accuracy of `scorer` on `sets` sets of `n` elements (`pixels` [set][n][element], `values` [set][n]), scored
/// a hundred sets at a time.
RankingAccuracy evaluate_scorer(ElementScorer<float>& scorer, std::span<const float> pixels,
                                std::span<const int> values, int sets, int n);

/// Draws the fixed test sets of a run: `sets` sets of `n` elements from the test split in `data_folder`, the
/// same for every run and seed. Throws penumbra::Error when the data is missing or malformed.
void draw_test_sets(const std::filesystem::path& data_folder, int sets, int n, std::vector<float>& pixels,
                    std::vector<int>& values);

/// A ranking training run, one step at a time: the data, the fixed validation and test sets, the scorer and
/// Adam. Step s draws its batch from a generator seeded by (seed, s) alone, so a run restored from a
/// checkpoint (parameters, optimiser state, steps done) continues bit for bit.
class RankingTrainer {
 public:
  /// Loads the data and builds the scorer from config.seed. Throws penumbra::Error on bad settings or missing
  /// data.
  explicit RankingTrainer(const RankTrainingConfig& config);
  ~RankingTrainer();
  RankingTrainer(const RankingTrainer&) = delete;
  RankingTrainer& operator=(const RankingTrainer&) = delete;

  /// One Adam step on a fresh batch at the scheduled learning rate; returns the batch's mean BCE.
  double step();
  int steps_done() const { return steps_done_; }
  /// Accuracy on the validation sets (drawn once from the held-out 5000 training images).
  RankingAccuracy validate();
  /// Accuracy on the test sets (draw_test_sets).
  RankingAccuracy test();

  const RankTrainingConfig& config() const { return config_; }
  ElementScorer<float>& scorer() { return *scorer_; }
  const core::Optimiser& optimiser() const { return optimiser_; }
  /// Continues from a checkpoint: the scorer's parameters, Adam's state and the steps done. Throws
  /// penumbra::Error when a size does not match this run's scorer.
  void restore(std::span<const float> parameters, std::vector<float> optimiser_state, int steps_done);

 private:
  struct Data;
  RankTrainingConfig config_;
  std::unique_ptr<Data> data_;
  std::unique_ptr<ElementScorer<float>> scorer_;
  core::Optimiser optimiser_;
  int steps_done_ = 0;
};

/// Called at every curve point (a viewer can plot live); return false to stop training there.
using RankProgress = std::function<bool(const RankCurvePoint&)>;

/// Trains and evaluates with a RankingTrainer, from scratch to config.steps. Training sets come from the first 55000 training images, validation sets from the
/// last 5000, test sets from the 10000 test images. Throws penumbra::Error on bad settings or missing data.
RankTrainingReport train_ranking(const RankTrainingConfig& config, const RankProgress& progress = {});

}  // namespace penumbra::sort
