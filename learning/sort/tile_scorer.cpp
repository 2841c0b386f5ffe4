#include "sort/tile_scorer.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "penumbra/core/parallel_for.h"
#include "penumbra/error.h"

namespace penumbra::sort {

template <typename Scalar>
TileScorer<Scalar>::TileScorer(TileScorerShape shape, std::uint64_t seed, int thread_count)
    : shape_(std::move(shape)), thread_count_(core::thread_count(thread_count)) {
  const bool bad_hidden = std::any_of(shape_.hidden.begin(), shape_.hidden.end(), [](int width) { return width < 1; });
  if (shape_.tile_rows < 1 || shape_.tile_cols < 1 || shape_.tiles < 1 || shape_.hidden.empty() || bad_hidden) {
    throw Error("tile scorer sizes must be positive and it needs one hidden layer or more", "TileScorerShape",
                "e.g. 28 x 28 tiles, 4 tiles, hidden {64}");
  }
  std::mt19937_64 rng(seed);
  const int layers = static_cast<int>(shape_.hidden.size());
  for (int layer = 0; layer < layers; ++layer) {
    const int inputs = layer_input_size(layer);
    const int outputs = shape_.hidden[layer];
    layout_.weights.push_back(layout_.size);
    parameters_.resize(layout_.size + static_cast<std::size_t>(outputs) * inputs);
    std::normal_distribution<double> he(0.0, std::sqrt(2.0 / inputs));
    for (std::size_t i = layout_.size; i < parameters_.size(); ++i) parameters_[i] = static_cast<Scalar>(he(rng));
    layout_.size = parameters_.size();
    layout_.biases.push_back(layout_.size);
    layout_.size += outputs;
    parameters_.resize(layout_.size, Scalar(0));
  }
  const int features = shape_.hidden.back();
  layout_.head = layout_.size;
  parameters_.resize(layout_.size + static_cast<std::size_t>(features) * shape_.tiles);
  std::normal_distribution<double> head_init(0.0, std::sqrt(1.0 / features));
  for (std::size_t i = layout_.head; i < parameters_.size(); ++i) parameters_[i] = static_cast<Scalar>(head_init(rng));
  layout_.size = parameters_.size();
  layout_.head_bias = layout_.size;
  layout_.size += 1;
  parameters_.resize(layout_.size, Scalar(0));
  gradients_.assign(layout_.size, Scalar(0));
}

template <typename Scalar>
int TileScorer<Scalar>::layer_input_size(int layer) const {
  return layer == 0 ? shape_.tile_rows * shape_.tile_cols : shape_.hidden[layer - 1];
}

template <typename Scalar>
void TileScorer<Scalar>::forward(std::span<const Scalar> pixels, int count, std::span<Scalar> scores) {
  if (count < 1 || pixels.size() != static_cast<std::size_t>(count) * element_size() ||
      scores.size() != static_cast<std::size_t>(count)) {
    throw Error("scorer input holds " + std::to_string(pixels.size()) + " pixels and " +
                    std::to_string(scores.size()) + " scores for " + std::to_string(count) + " elements",
                "TileScorer::forward", "pass count * element_size() pixels and count scores");
  }
  const int workers = std::clamp(thread_count_, 1, count);
  chunks_.resize(workers);
  for (int worker = 0; worker < workers; ++worker) {
    chunks_[worker].begin = static_cast<int>(static_cast<long long>(count) * worker / workers);
    chunks_[worker].end = static_cast<int>(static_cast<long long>(count) * (worker + 1) / workers);
  }
  core::parallel_chunks(workers, workers, [&](int begin, int end, int) {
    for (int worker = begin; worker < end; ++worker) {
      Chunk& chunk = chunks_[worker];
      forward_chunk(chunk, pixels.data() + static_cast<std::size_t>(chunk.begin) * element_size(),
                    scores.data() + chunk.begin);
    }
  });
}

template <typename Scalar>
void TileScorer<Scalar>::forward_chunk(Chunk& chunk, const Scalar* pixels, Scalar* scores) const {
  const int elements = chunk.end - chunk.begin;
  const int tiles = shape_.tiles;
  const int tile_rows = shape_.tile_rows;
  const int tile_cols = shape_.tile_cols;
  const int row_width = tiles * tile_cols;
  // Cut each element into tiles, one column per tile (row-major inside the tile).
  chunk.input.resize(tile_rows * tile_cols, static_cast<Eigen::Index>(elements) * tiles);
  for (int element = 0; element < elements; ++element) {
    const Scalar* source = pixels + static_cast<std::size_t>(element) * element_size();
    for (int tile = 0; tile < tiles; ++tile) {
      Scalar* column = chunk.input.col(static_cast<Eigen::Index>(element) * tiles + tile).data();
      for (int row = 0; row < tile_rows; ++row) {
        std::copy_n(source + row * row_width + tile * tile_cols, tile_cols, column + row * tile_cols);
      }
    }
  }
  const int layers = static_cast<int>(shape_.hidden.size());
  chunk.activations.resize(layers);
  const Matrix* layer_input = &chunk.input;
  for (int layer = 0; layer < layers; ++layer) {
    const int outputs = shape_.hidden[layer];
    const Eigen::Map<const Matrix> weights(parameters_.data() + layout_.weights[layer], outputs,
                                           layer_input_size(layer));
    const Eigen::Map<const Vector> biases(parameters_.data() + layout_.biases[layer], outputs);
    Matrix& activation = chunk.activations[layer];
    activation.noalias() = weights * *layer_input;
    activation = (activation.colwise() + biases).cwiseMax(Scalar(0));
    layer_input = &activation;
  }
  const Matrix& features = chunk.activations.back();
  const Eigen::Map<const Matrix> head(parameters_.data() + layout_.head, shape_.hidden.back(), tiles);
  const Scalar head_bias = parameters_[layout_.head_bias];
  for (int element = 0; element < elements; ++element) {
    Scalar score = head_bias;
    for (int tile = 0; tile < tiles; ++tile) {
      score += head.col(tile).dot(features.col(static_cast<Eigen::Index>(element) * tiles + tile));
    }
    scores[element] = score;
  }
}

template <typename Scalar>
void TileScorer<Scalar>::backward(std::span<const Scalar> dL_dscores) {
  const int count = chunks_.empty() ? 0 : chunks_.back().end;
  if (count == 0 || dL_dscores.size() != static_cast<std::size_t>(count)) {
    throw Error("dL/dscores must have one entry per element of the last forward", "TileScorer::backward",
                "call forward first and pass its count of gradients");
  }
  const int workers = static_cast<int>(chunks_.size());
  core::parallel_chunks(workers, workers, [&](int begin, int end, int) {
    for (int worker = begin; worker < end; ++worker) {
      backward_chunk(chunks_[worker], dL_dscores.data() + chunks_[worker].begin);
    }
  });
  std::copy(chunks_[0].gradients.begin(), chunks_[0].gradients.end(), gradients_.begin());
  for (int worker = 1; worker < workers; ++worker) {
    for (std::size_t i = 0; i < gradients_.size(); ++i) gradients_[i] += chunks_[worker].gradients[i];
  }
}

template <typename Scalar>
void TileScorer<Scalar>::backward_chunk(Chunk& chunk, const Scalar* dL_dscores) const {
  const int elements = chunk.end - chunk.begin;
  const int tiles = shape_.tiles;
  const int features = shape_.hidden.back();
  chunk.gradients.assign(layout_.size, Scalar(0));
  const Eigen::Map<const Matrix> head(parameters_.data() + layout_.head, features, tiles);
  MatrixMap dL_dhead(chunk.gradients.data() + layout_.head, features, tiles);
  const Matrix& last = chunk.activations.back();

  // Head: score = bias + sum_k head_k . features_k.
  chunk.dL_dactivation.resize(features, static_cast<Eigen::Index>(elements) * tiles);
  Scalar dL_dhead_bias = 0;
  for (int element = 0; element < elements; ++element) {
    const Scalar dL_dscore = dL_dscores[element];
    dL_dhead_bias += dL_dscore;
    for (int tile = 0; tile < tiles; ++tile) {
      const Eigen::Index column = static_cast<Eigen::Index>(element) * tiles + tile;
      dL_dhead.col(tile) += dL_dscore * last.col(column);
      chunk.dL_dactivation.col(column) = dL_dscore * head.col(tile);
    }
  }
  chunk.gradients[layout_.head_bias] = dL_dhead_bias;

  for (int layer = static_cast<int>(shape_.hidden.size()) - 1; layer >= 0; --layer) {
    const int outputs = shape_.hidden[layer];
    const int inputs = layer_input_size(layer);
    const Matrix& layer_input = layer == 0 ? chunk.input : chunk.activations[layer - 1];
    // ReLU passes the gradient where its output was positive.
    chunk.dL_dpre_activation =
        (chunk.activations[layer].array() > Scalar(0)).select(chunk.dL_dactivation, Scalar(0));
    MatrixMap dL_dweights(chunk.gradients.data() + layout_.weights[layer], outputs, inputs);
    VectorMap dL_dbiases(chunk.gradients.data() + layout_.biases[layer], outputs);
    dL_dweights.noalias() = chunk.dL_dpre_activation * layer_input.transpose();
    dL_dbiases = chunk.dL_dpre_activation.rowwise().sum();
    if (layer > 0) {
      const Eigen::Map<const Matrix> weights(parameters_.data() + layout_.weights[layer], outputs, inputs);
      chunk.dL_dactivation.noalias() = weights.transpose() * chunk.dL_dpre_activation;
    }
  }
}

template class TileScorer<float>;
template class TileScorer<double>;

}  // namespace penumbra::sort
