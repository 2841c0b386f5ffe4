#include "sort/ranking_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "data/idx.h"
#include "penumbra/core/optimiser.h"
#include "penumbra/error.h"
#include "sort/conv_tile_scorer.h"
#include "sort/four_digit_sets.h"
#include "sort/soft_sort.h"
#include "sort/tile_scorer.h"

namespace penumbra::sort {
namespace {

constexpr int kValidationImages = 5000;    // diffsort's 55k / 5k split of the training images
constexpr std::uint64_t kTestSeed = 2021;  // the same test sets for every run and seed
constexpr int kEvaluationSetsPerChunk = 100;

void validate(const RankTrainingConfig& config) {
  config.relaxation.validate();
  if (config.n < 2)
    throw Error("a set needs n >= 2 elements, got " + std::to_string(config.n), "n", "use n >= 2");
  if (config.steps < 1 || config.sets_per_batch < 1 || config.eval_every < 1 || config.validation_sets < 1 ||
      config.test_sets < 1) {
    throw Error("steps, batch, evaluation period and set counts must be >= 1", "RankTrainingConfig",
                "check the numbers given");
  }
  if (!(config.learning_rate > 0)) throw Error("learning rate must be > 0", "learning_rate", "try 1e-3");
}

// Accuracy of the scorer on a fixed list of sets, scored a chunk at a time.
RankingAccuracy evaluate(ElementScorer<float>& scorer, const std::vector<float>& pixels,
                         const std::vector<int>& values, int sets, int n) {
  std::vector<float> scores(static_cast<std::size_t>(sets) * n);
  const std::size_t element_size = static_cast<std::size_t>(scorer.element_size());
  for (int first = 0; first < sets; first += kEvaluationSetsPerChunk) {
    const int count = std::min(kEvaluationSetsPerChunk, sets - first) * n;
    const std::size_t offset = static_cast<std::size_t>(first) * n;
    scorer.forward({pixels.data() + offset * element_size, count * element_size}, count,
                   {scores.data() + offset, static_cast<std::size_t>(count)});
  }
  return ranking_accuracy(scores, values, sets, n);
}

std::unique_ptr<ElementScorer<float>> make_scorer(const RankTrainingConfig& config) {
  if (config.hidden.empty()) throw Error("the scorer needs a hidden width", "hidden", "e.g. {64}");
  if (config.scorer == ScorerKind::mlp) {
    TileScorerShape shape;
    shape.hidden = config.hidden;
    return std::make_unique<TileScorer<float>>(shape, config.seed, config.threads);
  }
  ConvTileScorerShape shape;
  shape.features = config.hidden.back();
  return std::make_unique<ConvTileScorer<float>>(shape, config.seed, config.threads);
}

double scheduled_learning_rate(const RankTrainingConfig& config, int step) {
  if (config.schedule == LearningRateSchedule::constant) return config.learning_rate;
  const double progress = static_cast<double>(step - 1) / config.steps;
  return config.learning_rate * 0.5 * (1 + std::cos(std::numbers::pi * progress));
}

}  // namespace

ScorerKind parse_scorer_kind(const std::string& name) {
  if (name == "mlp") return ScorerKind::mlp;
  if (name == "cnn") return ScorerKind::cnn;
  throw Error("unknown scorer '" + name + "'", "scorer", "use mlp or cnn");
}

LearningRateSchedule parse_learning_rate_schedule(const std::string& name) {
  if (name == "constant") return LearningRateSchedule::constant;
  if (name == "cosine") return LearningRateSchedule::cosine;
  throw Error("unknown learning-rate schedule '" + name + "'", "schedule", "use constant or cosine");
}

RankTrainingReport train_ranking(const RankTrainingConfig& config, const RankProgress& progress) {
  validate(config);
  const int n = config.n;
  const data::LabelledImages train_images = data::read_mnist_split(config.data_folder, "train");
  const data::LabelledImages test_images = data::read_mnist_split(config.data_folder, "t10k");
  if (train_images.count <= kValidationImages) {
    throw Error("the training split has only " + std::to_string(train_images.count) + " images", "train",
                "use the full Fashion-MNIST training split");
  }
  const FourDigitSets train_sets(train_images, 0, train_images.count - kValidationImages);
  const FourDigitSets validation_sets(train_images, train_images.count - kValidationImages,
                                      kValidationImages);
  const FourDigitSets test_sets(test_images, 0, test_images.count);
  const std::size_t element_size = FourDigitSets::element_size();

  // Fixed evaluation sets, drawn once.
  std::mt19937_64 evaluation_rng(kTestSeed);
  std::vector<float> validation_pixels(static_cast<std::size_t>(config.validation_sets) * n * element_size);
  std::vector<int> validation_values(static_cast<std::size_t>(config.validation_sets) * n);
  validation_sets.sample(evaluation_rng, config.validation_sets, n, validation_pixels, validation_values);
  std::vector<float> test_pixels(static_cast<std::size_t>(config.test_sets) * n * element_size);
  std::vector<int> test_values(static_cast<std::size_t>(config.test_sets) * n);
  test_sets.sample(evaluation_rng, config.test_sets, n, test_pixels, test_values);

  const std::unique_ptr<ElementScorer<float>> scorer_pointer = make_scorer(config);
  ElementScorer<float>& scorer = *scorer_pointer;
  core::Optimiser adam({core::OptimiserKind::adam}, scorer.parameters().size());
  SoftSorter<double> sorter(SortingNetwork::create(config.network, n), config.relaxation, 1);

  // Buffers of one step, allocated once.
  const int batch = config.sets_per_batch;
  const std::size_t elements = static_cast<std::size_t>(batch) * n;
  std::vector<float> pixels(elements * element_size);
  std::vector<int> values(elements);
  std::vector<float> scores(elements);
  std::vector<double> scores_double(elements);
  std::vector<double> truth(elements * n);
  std::vector<double> dL_dpermutation(elements * n);
  std::vector<double> dL_dscores_double(elements);
  std::vector<float> dL_dscores(elements);
  SoftSortResult<double> sorted;
  std::mt19937_64 training_rng(config.seed ^ 0x9e3779b97f4a7c15ULL);

  RankTrainingReport report;
  report.test_sets = config.test_sets;
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  double training_seconds = 0;
  double loss_sum = 0;
  int loss_count = 0;
  for (int step = 1; step <= config.steps; ++step) {
    const Clock::time_point step_start = Clock::now();
    train_sets.sample(training_rng, batch, n, pixels, values);
    scorer.forward(pixels, static_cast<int>(elements), scores);
    std::copy(scores.begin(), scores.end(), scores_double.begin());
    sorter.forward(scores_double, batch, true, sorted);
    true_permutation(values, batch, n, truth);
    loss_sum += permutation_bce(sorted.permutation, truth, dL_dpermutation);
    ++loss_count;
    sorter.backward(sorted, {}, dL_dpermutation, dL_dscores_double);
    std::copy(dL_dscores_double.begin(), dL_dscores_double.end(), dL_dscores.begin());
    scorer.backward(dL_dscores);
    adam.step(scorer.parameters(), scorer.gradients(), scheduled_learning_rate(config, step));
    training_seconds += std::chrono::duration<double>(Clock::now() - step_start).count();
    report.steps_done = step;

    if (step % config.eval_every == 0 || step == config.steps) {
      RankCurvePoint point;
      point.step = step;
      point.train_loss = loss_sum / loss_count;
      point.validation = evaluate(scorer, validation_pixels, validation_values, config.validation_sets, n);
      point.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
      report.curve.push_back(point);
      loss_sum = 0;
      loss_count = 0;
      if (progress && !progress(point)) break;
    }
  }
  report.steps_per_second = report.steps_done / training_seconds;
  report.test = evaluate(scorer, test_pixels, test_values, config.test_sets, n);
  return report;
}

}  // namespace penumbra::sort
