#pragma once
/// The scorer of ranking supervision: maps one element (a row of image tiles) to one scalar.
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "sort/element_scorer.h"

namespace penumbra::sort {

/// Shape of a TileScorer: an element is `tile_rows` rows of `tiles * tile_cols` pixels.
struct TileScorerShape {
  int tile_rows = 28;
  int tile_cols = 28;
  int tiles = 4;
  std::vector<int> hidden = {64};  ///< widths of the ReLU layers of the tile encoder
};

/// score = bias + sum_k head_k . encode(tile_k): one MLP, shared by all tiles, encodes each tile; a linear head
/// per tile position weighs the features. This is a CNN whose convolution has kernel = stride = the tile, the
/// prior that a 4-digit number is a weighted sum of per-digit values. Scalar is float (training) or double
/// (gradient tests). Elements are split over `thread_count` threads
/// (0: every CPU the process may run on).
template <typename Scalar>
class TileScorer final : public ElementScorer<Scalar> {
 public:
  /// He-normal weights from `seed`, zero biases. Throws penumbra::Error on a non-positive size.
  TileScorer(TileScorerShape shape, std::uint64_t seed, int thread_count = 0);

  const TileScorerShape& shape() const { return shape_; }
  /// Pixels per element: tile_rows * tiles * tile_cols.
  int element_size() const override { return shape_.tile_rows * shape_.tiles * shape_.tile_cols; }
  /// All weights and biases, flat; an optimiser steps them in place.
  std::span<Scalar> parameters() override { return parameters_; }
  std::span<const Scalar> parameters() const { return parameters_; }
  /// dL/dparameters from the last backward(), in the layout of parameters().
  std::span<const Scalar> gradients() const override { return gradients_; }

  /// Scores `count` elements (`pixels` is [count][tile_rows][tiles * tile_cols]) into `scores` ([count]);
  /// keeps the activations that backward() needs.
  void forward(std::span<const Scalar> pixels, int count, std::span<Scalar> scores) override;

  /// Overwrites gradients() with dL/dparameters, given dL/dscores ([count]) for the last forward().
  void backward(std::span<const Scalar> dL_dscores) override;

 private:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using MatrixMap = Eigen::Map<Matrix>;
  using VectorMap = Eigen::Map<Vector>;

  // Activations of one thread's contiguous chunk of elements: column e * tiles + k is tile k of element e.
  struct Chunk {
    int begin = 0;
    int end = 0;
    Matrix input;                     // tile pixels, one tile per column
    std::vector<Matrix> activations;  // after each ReLU layer
    Matrix dL_dactivation;            // scratch of backward
    Matrix dL_dpre_activation;        // scratch of backward
    std::vector<Scalar> gradients;    // this chunk's share of dL/dparameters
  };

  // Offsets into the flat parameter vector.
  struct Layout {
    std::vector<std::size_t> weights;  // layer l: [out][in] stored column-major (Eigen's default)
    std::vector<std::size_t> biases;
    std::size_t head = 0;              // [features][tiles]
    std::size_t head_bias = 0;
    std::size_t size = 0;
  };

  void forward_chunk(Chunk& chunk, const Scalar* pixels, Scalar* scores) const;
  void backward_chunk(Chunk& chunk, const Scalar* dL_dscores) const;
  int layer_input_size(int layer) const;

  TileScorerShape shape_;
  int thread_count_;
  Layout layout_;
  std::vector<Scalar> parameters_;
  std::vector<Scalar> gradients_;
  std::vector<Chunk> chunks_;
};

extern template class TileScorer<float>;
extern template class TileScorer<double>;

}  // namespace penumbra::sort
