#pragma once
/// A small CNN tile encoder for ranking supervision (diffsort scores each digit with a CNN).
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "penumbra/sort/chunked_scorer.h"

namespace penumbra::sort {

/// Shape of a ConvTileScorer: an element is `tile_rows` rows of `tiles * tile_cols` pixels.
struct ConvTileScorerShape {
  int tile_rows = 28;
  int tile_cols = 28;
  int tiles = 4;
  int kernel = 5;      ///< side of both square convolution kernels (valid, stride 1)
  int channels1 = 8;   ///< output channels of the first convolution
  int channels2 = 16;  ///< output channels of the second convolution
  int features = 64;   ///< width of the fully connected ReLU layer
};

/// Activations of one block of elements: column e * tiles + k is tile k of element e. A feature map is
/// stored as [rows * cols][channels] with the channels of a pixel contiguous.
template <typename Scalar>
struct ConvTileScorerBlock {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  int begin = 0;
  int end = 0;
  Matrix input;              // tile pixels, one tile per column
  Matrix pooled1;            // after stage 1's pool and ReLU, one tile per column
  std::vector<int> argmax1;  // index into its tile's stage 1 convolution output of each pooled entry
  Matrix pooled2;            // after stage 2's pool and ReLU: the fully connected layer's input
  std::vector<int> argmax2;
  Matrix features;                // after the fully connected ReLU
  std::vector<Scalar> gradients;  // this block's share of dL/dparameters
};

/// What one thread needs while it computes a block, reused from block to block.
template <typename Scalar>
struct ConvTileScorerScratch {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  Matrix columns;    // im2col of every tile of the block, side by side
  Matrix convolved;  // convolution output of every tile (backward: its gradient)
  Matrix dL_dfeatures;
  Matrix dL_dflat;
  Matrix dL_dcolumns;
  Matrix dL_dpooled1;
};

/// score = bias + sum_k head_k . encode(tile_k), where encode, shared by all tiles, is
/// conv -> 2x2 max-pool -> ReLU -> conv -> 2x2 max-pool -> ReLU -> fully connected -> ReLU
/// (pooling before ReLU gives the same values as after it, on 4x fewer entries). A linear head per tile
/// position weighs the features, the prior that a 4-digit number is a weighted sum of per-digit values.
/// Pooling drops a trailing odd row or column. Each convolution of a block of elements is one matrix product
/// over all its tiles (im2col, then the BLAS); blocks are split over `thread_count` threads (0: every CPU the
/// process may run on), with results bit-identical for every thread count.
template <typename Scalar>
class ConvTileScorer final
    : public ChunkedScorer<Scalar, ConvTileScorerBlock<Scalar>, ConvTileScorerScratch<Scalar>> {
 public:
  /// He-normal weights from `seed`, zero biases. Throws penumbra::Error when a size is not positive or the
  /// tile is too small for two convolutions and poolings.
  ConvTileScorer(ConvTileScorerShape shape, std::uint64_t seed, int thread_count = 0);

  const ConvTileScorerShape& shape() const { return shape_; }
  int element_size() const override { return shape_.tile_rows * shape_.tiles * shape_.tile_cols; }

 private:
  using Block = ConvTileScorerBlock<Scalar>;
  using Scratch = ConvTileScorerScratch<Scalar>;
  using Base = ChunkedScorer<Scalar, Block, Scratch>;
  using Base::gradients_;
  using Base::parameters_;
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

  // Spatial sizes of one convolution stage.
  struct Stage {
    int in_channels = 0;
    int out_channels = 0;
    int in_rows = 0;
    int in_cols = 0;
    int conv_rows = 0;  // in - kernel + 1
    int conv_cols = 0;
    int pool_rows = 0;  // conv / 2
    int pool_cols = 0;
    std::size_t weights = 0;  // offset of [out][in * kernel * kernel], column-major
    std::size_t biases = 0;
    int input_size() const { return in_channels * in_rows * in_cols; }
    int positions() const { return conv_rows * conv_cols; }
    int pooled_size() const { return out_channels * pool_rows * pool_cols; }
  };

  void forward_block(Block& block, Scratch& scratch, const Scalar* pixels, Scalar* scores) const override;
  void backward_block(Block& block, Scratch& scratch, const Scalar* dL_dscores) const override;
  void convolve_pool(const Stage& stage, const Matrix& input, Scratch& scratch, Matrix& pooled,
                     std::vector<int>& argmax) const;
  void backward_stage(const Stage& stage, const Matrix& input, const Matrix& pooled,
                      const std::vector<int>& argmax, const Scalar* dL_dpooled, Scratch& scratch,
                      std::vector<Scalar>& gradients, Matrix* dL_dinput) const;
  void im2col(const Stage& stage, const Matrix& input, Matrix& columns) const;

  ConvTileScorerShape shape_;
  Stage stage1_;
  Stage stage2_;
  std::size_t fc_weights_ = 0;  // [features][flat]
  std::size_t fc_biases_ = 0;
  std::size_t head_ = 0;  // [features][tiles]
  std::size_t head_bias_ = 0;
};

extern template class ConvTileScorer<float>;
extern template class ConvTileScorer<double>;

}  // namespace penumbra::sort
