#include "penumbra/sort/tile_scorer.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "penumbra/error.h"

namespace penumbra::sort {

template <typename Scalar>
TileScorer<Scalar>::TileScorer(TileScorerShape shape, std::uint64_t seed, int thread_count)
    : ChunkedScorer<Scalar, TileScorerBlock<Scalar>>("TileScorer", thread_count), shape_(std::move(shape)) {
  const bool bad_hidden =
      std::any_of(shape_.hidden.begin(), shape_.hidden.end(), [](int width) { return width < 1; });
  if (shape_.tile_rows < 1 || shape_.tile_cols < 1 || shape_.tiles < 1 || shape_.hidden.empty() ||
      bad_hidden) {
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
    for (std::size_t i = layout_.size; i < parameters_.size(); ++i)
      parameters_[i] = static_cast<Scalar>(he(rng));
    layout_.size = parameters_.size();
    layout_.biases.push_back(layout_.size);
    layout_.size += outputs;
    parameters_.resize(layout_.size, Scalar(0));
  }
  const int features = shape_.hidden.back();
  layout_.head = layout_.size;
  parameters_.resize(layout_.size + static_cast<std::size_t>(features) * shape_.tiles);
  std::normal_distribution<double> head_init(0.0, std::sqrt(1.0 / features));
  for (std::size_t i = layout_.head; i < parameters_.size(); ++i)
    parameters_[i] = static_cast<Scalar>(head_init(rng));
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
void TileScorer<Scalar>::forward_block(Block& block, NoScratch&, const Scalar* pixels, Scalar* scores) const {
  const int elements = block.end - block.begin;
  const int tiles = shape_.tiles;
  cut_into_tiles(pixels, elements, shape_.tile_rows, shape_.tile_cols, tiles, block.input);
  const int layers = static_cast<int>(shape_.hidden.size());
  block.activations.resize(layers);
  const Matrix* layer_input = &block.input;
  for (int layer = 0; layer < layers; ++layer) {
    const int outputs = shape_.hidden[layer];
    const Eigen::Map<const Matrix> weights(parameters_.data() + layout_.weights[layer], outputs,
                                           layer_input_size(layer));
    const Eigen::Map<const Vector> biases(parameters_.data() + layout_.biases[layer], outputs);
    Matrix& activation = block.activations[layer];
    activation.noalias() = weights * *layer_input;
    activation = (activation.colwise() + biases).cwiseMax(Scalar(0));
    layer_input = &activation;
  }
  const Eigen::Map<const Matrix> head(parameters_.data() + layout_.head, shape_.hidden.back(), tiles);
  score_tiles(head, parameters_[layout_.head_bias], block.activations.back(), tiles, elements, scores);
}

template <typename Scalar>
void TileScorer<Scalar>::backward_block(Block& block, NoScratch&, const Scalar* dL_dscores) const {
  const int elements = block.end - block.begin;
  const int tiles = shape_.tiles;
  const int features = shape_.hidden.back();
  block.gradients.assign(layout_.size, Scalar(0));
  const Eigen::Map<const Matrix> head(parameters_.data() + layout_.head, features, tiles);
  MatrixMap dL_dhead(block.gradients.data() + layout_.head, features, tiles);
  score_tiles_backward(head, block.activations.back(), tiles, elements, dL_dscores, dL_dhead,
                       block.gradients[layout_.head_bias], block.dL_dactivation);

  for (int layer = static_cast<int>(shape_.hidden.size()) - 1; layer >= 0; --layer) {
    const int outputs = shape_.hidden[layer];
    const int inputs = layer_input_size(layer);
    const Matrix& layer_input = layer == 0 ? block.input : block.activations[layer - 1];
    // ReLU passes the gradient where its output was positive.
    block.dL_dpre_activation =
        (block.activations[layer].array() > Scalar(0)).select(block.dL_dactivation, Scalar(0));
    MatrixMap dL_dweights(block.gradients.data() + layout_.weights[layer], outputs, inputs);
    VectorMap dL_dbiases(block.gradients.data() + layout_.biases[layer], outputs);
    dL_dweights.noalias() = block.dL_dpre_activation * layer_input.transpose();
    dL_dbiases = block.dL_dpre_activation.rowwise().sum();
    if (layer > 0) {
      const Eigen::Map<const Matrix> weights(parameters_.data() + layout_.weights[layer], outputs, inputs);
      block.dL_dactivation.noalias() = weights.transpose() * block.dL_dpre_activation;
    }
  }
}

template class TileScorer<float>;
template class TileScorer<double>;

}  // namespace penumbra::sort
