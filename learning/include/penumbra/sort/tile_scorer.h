#pragma once
/// The scorer of ranking supervision: maps one element (a row of image tiles) to one scalar.
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "penumbra/sort/chunked_scorer.h"

namespace penumbra::sort {

/// Shape of a TileScorer: an element is `tile_rows` rows of `tiles * tile_cols` pixels.
struct TileScorerShape {
  int tile_rows = 28;
  int tile_cols = 28;
  int tiles = 4;
  std::vector<int> hidden = {64};  ///< widths of the ReLU layers of the tile encoder
};

/// Activations of one block of elements: column e * tiles + k is tile k of element e.
template <typename Scalar>
struct TileScorerBlock {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  int begin = 0;
  int end = 0;
  Matrix input;                     // tile pixels, one tile per column
  std::vector<Matrix> activations;  // after each ReLU layer
  Matrix dL_dactivation;            // scratch of backward
  Matrix dL_dpre_activation;        // scratch of backward
  std::vector<Scalar> gradients;    // this block's share of dL/dparameters
};

/// score = bias + sum_k head_k . encode(tile_k): one MLP, shared by all tiles, encodes each tile; a linear head
/// per tile position weighs the features. This is a CNN whose convolution has kernel = stride = the tile, the
/// prior that a 4-digit number is a weighted sum of per-digit values. Scalar is float (training) or double
/// (gradient tests). Blocks of elements are split over `thread_count` threads (0: every CPU the process
/// may run on).
template <typename Scalar>
class TileScorer final : public ChunkedScorer<Scalar, TileScorerBlock<Scalar>> {
 public:
  /// He-normal weights from `seed`, zero biases. Throws penumbra::Error on a non-positive size.
  TileScorer(TileScorerShape shape, std::uint64_t seed, int thread_count = 0);

  const TileScorerShape& shape() const { return shape_; }
  /// Pixels per element: tile_rows * tiles * tile_cols.
  int element_size() const override { return shape_.tile_rows * shape_.tiles * shape_.tile_cols; }

 private:
  using Block = TileScorerBlock<Scalar>;
  using ChunkedScorer<Scalar, Block>::parameters_;
  using ChunkedScorer<Scalar, Block>::gradients_;
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using MatrixMap = Eigen::Map<Matrix>;
  using VectorMap = Eigen::Map<Vector>;

  // Offsets into the flat parameter vector.
  struct Layout {
    std::vector<std::size_t> weights;  // layer l: [out][in] stored column-major (Eigen's default)
    std::vector<std::size_t> biases;
    std::size_t head = 0;  // [features][tiles]
    std::size_t head_bias = 0;
    std::size_t size = 0;
  };

  void forward_block(Block& block, NoScratch&, const Scalar* pixels, Scalar* scores) const override;
  void backward_block(Block& block, NoScratch&, const Scalar* dL_dscores) const override;
  int layer_input_size(int layer) const;

  TileScorerShape shape_;
  Layout layout_;
};

extern template class TileScorer<float>;
extern template class TileScorer<double>;

}  // namespace penumbra::sort
