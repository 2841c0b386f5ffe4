#include "penumbra/sort/ranking_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "penumbra/data/idx.h"
#include "penumbra/core/optimiser.h"
#include "penumbra/core/random.h"
#include "penumbra/error.h"
#include "penumbra/sort/conv_tile_scorer.h"
#include "penumbra/sort/four_digit_sets.h"
#include "penumbra/sort/soft_sort.h"
#include "penumbra/sort/tile_scorer.h"

namespace penumbra::sort {
namespace {

constexpr int kValidationImages = 5000;          // diffsort's 55k / 5k split of the training images
constexpr std::uint64_t kTestSeed = 2021;        // the same test sets for every run and seed
constexpr std::uint64_t kValidationSeed = 2022;  // and the same validation sets
constexpr int kEvaluationSetsPerChunk = 100;

void check_config(const RankTrainingConfig& config) {
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

double scheduled_learning_rate(const RankTrainingConfig& config, int step) {
  if (config.schedule == LearningRateSchedule::constant) return config.learning_rate;
  const double progress = static_cast<double>(step - 1) / config.steps;
  return config.learning_rate * 0.5 * (1 + std::cos(std::numbers::pi * progress));
}

// Draws `sets` sets of `n` elements with a generator seeded by `seed`.
void draw_sets(const FourDigitSets& source, std::uint64_t seed, int sets, int n, std::vector<float>& pixels,
               std::vector<int>& values) {
  std::mt19937_64 rng(seed);
  pixels.resize(static_cast<std::size_t>(sets) * n * FourDigitSets::element_size());
  values.resize(static_cast<std::size_t>(sets) * n);
  source.sample(rng, sets, n, pixels, values);
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

std::unique_ptr<ElementScorer<float>> make_scorer(const RankTrainingConfig& config) {
  if (config.hidden.empty()) throw Error("the scorer needs a hidden width", "hidden", "e.g. {64}");
  if (config.scorer == ScorerKind::mlp) {
    TileScorerShape shape;
    shape.hidden = config.hidden;
    return std::make_unique<TileScorer<float>>(shape, config.seed, config.threads);
  }
  ConvTileScorerShape shape;
  shape.features = config.hidden.back();
  shape.channels1 = config.conv_channels1;
  shape.channels2 = config.conv_channels2;
  return std::make_unique<ConvTileScorer<float>>(shape, config.seed, config.threads);
}

RankingAccuracy evaluate_scorer(ElementScorer<float>& scorer, std::span<const float> pixels,
                                std::span<const int> values, int sets, int n) {
  std::vector<float> scores(static_cast<std::size_t>(sets) * n);
  const std::size_t element_size = static_cast<std::size_t>(scorer.element_size());
  for (int first = 0; first < sets; first += kEvaluationSetsPerChunk) {
    const int count = std::min(kEvaluationSetsPerChunk, sets - first) * n;
    const std::size_t offset = static_cast<std::size_t>(first) * n;
    scorer.forward(pixels.subspan(offset * element_size, count * element_size), count,
                   {scores.data() + offset, static_cast<std::size_t>(count)});
  }
  return ranking_accuracy(scores, values, sets, n);
}

void draw_test_sets(const std::filesystem::path& data_folder, int sets, int n, std::vector<float>& pixels,
                    std::vector<int>& values) {
  const data::LabelledImages test_images = data::read_mnist_split(data_folder, "t10k");
  draw_sets(FourDigitSets(test_images, 0, test_images.count), kTestSeed, sets, n, pixels, values);
}

// The images and the fixed evaluation sets of a run, and the buffers of one step.
struct RankingTrainer::Data {
  data::LabelledImages train_images;
  std::unique_ptr<FourDigitSets> train_sets;
  std::vector<float> validation_pixels;
  std::vector<int> validation_values;
  std::vector<float> test_pixels;
  std::vector<int> test_values;
  std::unique_ptr<SoftSorter<double>> sorter;
  std::vector<float> pixels;
  std::vector<int> values;
  std::vector<float> scores;
  std::vector<double> scores_double;
  std::vector<double> truth;
  std::vector<double> dL_dpermutation;
  std::vector<double> dL_dscores_double;
  std::vector<float> dL_dscores;
  SoftSortResult<double> sorted;
};

RankingTrainer::RankingTrainer(const RankTrainingConfig& config)
    : config_((check_config(config), config)),
      data_(std::make_unique<Data>()),
      scorer_(make_scorer(config)),
      optimiser_({core::OptimiserKind::adam}, scorer_->parameters().size()) {
  Data& d = *data_;
  const int n = config.n;
  d.train_images = data::read_mnist_split(config.data_folder, "train");
  if (d.train_images.count <= kValidationImages) {
    throw Error("the training split has only " + std::to_string(d.train_images.count) + " images", "train",
                "use the full Fashion-MNIST training split");
  }
  const int training_count = d.train_images.count - kValidationImages;
  d.train_sets = std::make_unique<FourDigitSets>(d.train_images, 0, training_count);
  draw_sets(FourDigitSets(d.train_images, training_count, kValidationImages), kValidationSeed,
            config.validation_sets, n, d.validation_pixels, d.validation_values);
  draw_test_sets(config.data_folder, config.test_sets, n, d.test_pixels, d.test_values);
  d.sorter =
      std::make_unique<SoftSorter<double>>(SortingNetwork::create(config.network, n), config.relaxation, 1);

  const std::size_t elements = static_cast<std::size_t>(config.sets_per_batch) * n;
  d.pixels.resize(elements * FourDigitSets::element_size());
  d.values.resize(elements);
  d.scores.resize(elements);
  d.scores_double.resize(elements);
  d.truth.resize(elements * n);
  d.dL_dpermutation.resize(elements * n);
  d.dL_dscores_double.resize(elements);
  d.dL_dscores.resize(elements);
}

RankingTrainer::~RankingTrainer() = default;

double RankingTrainer::step() {
  Data& d = *data_;
  const int n = config_.n;
  const int batch = config_.sets_per_batch;
  const int step = steps_done_ + 1;
  std::mt19937_64 rng(core::SplitMix64{config_.seed ^ (static_cast<std::uint64_t>(step) << 20)}.next());
  d.train_sets->sample(rng, batch, n, d.pixels, d.values);
  scorer_->forward(d.pixels, static_cast<int>(d.scores.size()), d.scores);
  std::copy(d.scores.begin(), d.scores.end(), d.scores_double.begin());
  d.sorter->forward(d.scores_double, batch, true, d.sorted);
  true_permutation(d.values, batch, n, d.truth);
  const double loss = permutation_bce(d.sorted.permutation, d.truth, d.dL_dpermutation);
  d.sorter->backward(d.sorted, {}, d.dL_dpermutation, d.dL_dscores_double);
  std::copy(d.dL_dscores_double.begin(), d.dL_dscores_double.end(), d.dL_dscores.begin());
  scorer_->backward(d.dL_dscores);
  optimiser_.step(scorer_->parameters(), scorer_->gradients(), scheduled_learning_rate(config_, step));
  steps_done_ = step;
  return loss;
}

RankingAccuracy RankingTrainer::validate() {
  return evaluate_scorer(*scorer_, data_->validation_pixels, data_->validation_values,
                         config_.validation_sets, config_.n);
}

RankingAccuracy RankingTrainer::test() {
  return evaluate_scorer(*scorer_, data_->test_pixels, data_->test_values, config_.test_sets, config_.n);
}

void RankingTrainer::restore(std::span<const float> parameters, std::vector<float> optimiser_state,
                             int steps_done) {
  if (parameters.size() != scorer_->parameters().size()) {
    throw Error("checkpoint holds " + std::to_string(parameters.size()) +
                    " scorer parameters, this run's scorer has " +
                    std::to_string(scorer_->parameters().size()),
                "RankingTrainer::restore", "resume with the settings the checkpoint was written with");
  }
  if (steps_done < 0 || steps_done > config_.steps) {
    throw Error("checkpoint is at step " + std::to_string(steps_done) + " of a run of " +
                    std::to_string(config_.steps) + " steps",
                "RankingTrainer::restore", "resume with at least as many steps");
  }
  std::copy(parameters.begin(), parameters.end(), scorer_->parameters().begin());
  optimiser_.restore(std::move(optimiser_state), steps_done);
  steps_done_ = steps_done;
}

RankTrainingReport train_ranking(const RankTrainingConfig& config, const RankProgress& progress) {
  RankingTrainer trainer(config);
  RankTrainingReport report;
  report.test_sets = config.test_sets;
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  double training_seconds = 0;
  double loss_sum = 0;
  int loss_count = 0;
  while (trainer.steps_done() < config.steps) {
    const Clock::time_point step_start = Clock::now();
    loss_sum += trainer.step();
    ++loss_count;
    training_seconds += std::chrono::duration<double>(Clock::now() - step_start).count();
    const int step = trainer.steps_done();
    report.steps_done = step;
    if (step % config.eval_every == 0 || step == config.steps) {
      RankCurvePoint point;
      point.step = step;
      point.train_loss = loss_sum / loss_count;
      point.validation = trainer.validate();
      point.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
      report.curve.push_back(point);
      loss_sum = 0;
      loss_count = 0;
      if (progress && !progress(point)) break;
    }
  }
  report.steps_per_second = report.steps_done / training_seconds;
  report.test = trainer.test();
  return report;
}

}  // namespace penumbra::sort
