#include "penumbra/learning/training_checkpoints.h"

#include <cmath>
#include <string>

#include "penumbra/learning/checkpoint.h"
#include "penumbra/error.h"
#include "penumbra/image.h"

namespace penumbra::learning {
namespace {

const std::string kRankingCheckpointMagic = "PENUMBRA-RANK-CHECKPOINT-2";
const std::string kLogicCheckpointMagic = "PENUMBRA-LOGIC-CHECKPOINT-2";
const std::string kRankingModelMagic = "PENUMBRA-RANKING-SCORER-3";

// A count read from the file, refused when it is negative or larger than the bytes left could hold.
std::uint64_t count(RecordReader& reader, std::uint64_t limit) {
  const auto value = reader.value<std::uint64_t>();
  if (value > limit) throw Error("a count in the file is implausible", reader.where(), "the file is damaged");
  return value;
}

}  // namespace

void save_ranking_checkpoint(const std::filesystem::path& path, const RankingCheckpoint& checkpoint) {
  RecordWriter writer(kRankingCheckpointMagic);
  writer.value<std::int32_t>(checkpoint.steps);
  writer.floats(checkpoint.parameters);
  writer.floats(checkpoint.optimiser_state);
  writer.floats(checkpoint.losses);
  writer.value<std::uint64_t>(checkpoint.curve.size());
  for (const sort::RankCurvePoint& point : checkpoint.curve) {
    writer.value<std::int32_t>(point.step);
    writer.value(point.train_loss);
    writer.value(point.validation.exact_match);
    writer.value(point.validation.element_wise);
    writer.value(point.elapsed_seconds);
  }
  writer.value(checkpoint.wall_seconds);
  writer.save(path);
}

RankingCheckpoint load_ranking_checkpoint(const std::filesystem::path& path) {
  RecordReader reader(path, kRankingCheckpointMagic);
  RankingCheckpoint checkpoint;
  checkpoint.steps = reader.value<std::int32_t>();
  checkpoint.parameters = reader.floats();
  checkpoint.optimiser_state = reader.floats();
  checkpoint.losses = reader.floats();
  checkpoint.curve.resize(count(reader, checkpoint.losses.size()));
  for (sort::RankCurvePoint& point : checkpoint.curve) {
    point.step = reader.value<std::int32_t>();
    point.train_loss = reader.value<double>();
    point.validation.exact_match = reader.value<double>();
    point.validation.element_wise = reader.value<double>();
    point.elapsed_seconds = reader.value<double>();
  }
  checkpoint.wall_seconds = reader.value<double>();
  reader.finish();
  if (checkpoint.steps < 0 || checkpoint.losses.size() != static_cast<std::size_t>(checkpoint.steps)) {
    throw Error("checkpoint's step count does not match its log", reader.where(), "the file is damaged");
  }
  return checkpoint;
}

void save_logic_checkpoint(const std::filesystem::path& path, const LogicCheckpoint& checkpoint) {
  RecordWriter writer(kLogicCheckpointMagic);
  writer.value<std::int64_t>(checkpoint.steps);
  writer.value(checkpoint.sampler_state);
  writer.value<std::uint64_t>(checkpoint.logits.size());
  for (std::size_t layer = 0; layer < checkpoint.logits.size(); ++layer) {
    writer.floats(checkpoint.logits[layer]);
    writer.floats(checkpoint.optimiser_state[layer]);
  }
  writer.floats(checkpoint.losses);
  writer.value<std::uint64_t>(checkpoint.curve.size());
  for (const logic::CurvePoint& point : checkpoint.curve) {
    writer.value<std::int64_t>(point.step);
    writer.value(point.loss);
    writer.value(point.test.relaxed);
    writer.value(point.test.discrete);
    writer.value(point.train_seconds);
  }
  writer.value(checkpoint.wall_seconds);
  writer.save(path);
}

LogicCheckpoint load_logic_checkpoint(const std::filesystem::path& path) {
  RecordReader reader(path, kLogicCheckpointMagic);
  LogicCheckpoint checkpoint;
  checkpoint.steps = reader.value<std::int64_t>();
  checkpoint.sampler_state = reader.value<std::uint64_t>();
  const std::uint64_t layers = count(reader, 1 << 16);
  for (std::uint64_t layer = 0; layer < layers; ++layer) {
    checkpoint.logits.push_back(reader.floats());
    checkpoint.optimiser_state.push_back(reader.floats());
  }
  checkpoint.losses = reader.floats();
  checkpoint.curve.resize(count(reader, checkpoint.losses.size()));
  for (logic::CurvePoint& point : checkpoint.curve) {
    point.step = reader.value<std::int64_t>();
    point.loss = reader.value<double>();
    point.test.relaxed = reader.value<double>();
    point.test.discrete = reader.value<double>();
    point.train_seconds = reader.value<double>();
  }
  checkpoint.wall_seconds = reader.value<double>();
  reader.finish();
  if (checkpoint.steps < 0 || checkpoint.losses.size() != static_cast<std::size_t>(checkpoint.steps)) {
    throw Error("checkpoint's step count does not match its log", reader.where(), "the file is damaged");
  }
  return checkpoint;
}

void save_ranking_model(const std::filesystem::path& path, const RankingModel& model) {
  RecordWriter writer(kRankingModelMagic);
  writer.value<std::int32_t>(model.scorer == sort::ScorerKind::cnn ? 1 : 0);
  writer.value<std::int32_t>(model.hidden);
  writer.value<std::int32_t>(model.conv_channels1);
  writer.value<std::int32_t>(model.conv_channels2);
  writer.value<std::int32_t>(model.n);
  writer.floats(model.parameters);
  writer.save(path);
}

RankingModel load_ranking_model(const std::filesystem::path& path) {
  RecordReader reader(path, kRankingModelMagic);
  RankingModel model;
  const auto scorer = reader.value<std::int32_t>();
  model.hidden = reader.value<std::int32_t>();
  model.conv_channels1 = reader.value<std::int32_t>();
  model.conv_channels2 = reader.value<std::int32_t>();
  model.n = reader.value<std::int32_t>();
  model.parameters = reader.floats();
  reader.finish();
  if ((scorer != 0 && scorer != 1) || model.hidden < 1 || model.conv_channels1 < 1 ||
      model.conv_channels2 < 1 || model.n < 2 || model.parameters.empty()) {
    throw Error("scorer file holds an impossible scorer kind, width or set size", reader.where(),
                "the file is damaged; use the model.bin rank-train wrote");
  }
  model.scorer = scorer == 1 ? sort::ScorerKind::cnn : sort::ScorerKind::mlp;
  for (const float weight : model.parameters) {
    if (!std::isfinite(weight)) {
      throw Error("scorer file holds a non-finite weight", reader.where(),
                  "the file is damaged, or the run diverged: train again with a lower --lr");
    }
  }
  return model;
}

}  // namespace penumbra::learning
