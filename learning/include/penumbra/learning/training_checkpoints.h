#pragma once
/// What `rank-train` and `logic-train` keep on disk: a checkpoint from which a run continues bit for bit, and
/// the trained ranking scorer. Both are RecordWriter records written atomically (checkpoint.h).
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "penumbra/logic/training_run.h"
#include "penumbra/sort/ranking_training.h"

namespace penumbra::learning {

/// The state of a ranking run after `steps` steps, and its log so far.
struct RankingCheckpoint {
  int steps = 0;
  std::vector<float> parameters;       ///< the scorer's
  std::vector<float> optimiser_state;  ///< Adam's moments
  std::vector<float> losses;           ///< training loss of every step so far
  std::vector<sort::RankCurvePoint> curve;
  double wall_seconds = 0;  ///< training and evaluation time of the sittings so far
};

void save_ranking_checkpoint(const std::filesystem::path& path, const RankingCheckpoint& checkpoint);
/// Throws penumbra::Error naming the file when it is missing, of another kind, truncated or damaged.
RankingCheckpoint load_ranking_checkpoint(const std::filesystem::path& path);

/// The state of a logic run after `steps` steps, and its log so far.
struct LogicCheckpoint {
  long long steps = 0;
  std::uint64_t sampler_state = 0;                  ///< the minibatch generator's
  std::vector<std::vector<float>> logits;           ///< per layer
  std::vector<std::vector<float>> optimiser_state;  ///< per layer, Adam's moments
  std::vector<float> losses;                        ///< training loss of every step so far
  std::vector<logic::CurvePoint> curve;
  double wall_seconds = 0;
};

void save_logic_checkpoint(const std::filesystem::path& path, const LogicCheckpoint& checkpoint);
/// Throws penumbra::Error naming the file when it is missing, of another kind, truncated or damaged.
LogicCheckpoint load_logic_checkpoint(const std::filesystem::path& path);

/// A trained ranking scorer: which scorer, the set size it was trained on, and its weights.
struct RankingModel {
  sort::ScorerKind scorer = sort::ScorerKind::cnn;
  int hidden = 64;  ///< RankTrainingConfig::hidden's single width
  int conv_channels1 = 8;
  int conv_channels2 = 16;
  int n = 0;
  std::vector<float> parameters;
};

void save_ranking_model(const std::filesystem::path& path, const RankingModel& model);
/// Throws penumbra::Error naming the file when it is missing, not a scorer file, truncated or damaged, or
/// holds non-finite weights.
RankingModel load_ranking_model(const std::filesystem::path& path);

}  // namespace penumbra::learning
