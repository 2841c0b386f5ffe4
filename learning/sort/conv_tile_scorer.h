#pragma once
/// A small CNN tile encoder for ranking supervision (diffsort scores each digit with a CNN).
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "sort/chunked_scorer.h"

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

/// Activations of one thread's contiguous chunk of elements: column e * tiles + k is tile k of element e.
/// A feature map is stored as [channels][rows * cols], column-major.
template <typename Scalar>
struct ConvTileScorerChunk {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  int begin = 0;
  int end = 0;
  Matrix input;              // tile pixels, one tile per column
  Matrix pooled1;            // after stage 1's pool and ReLU, one tile per column
  std::vector<int> argmax1;  // index into stage 1's convolution output of each pooled entry
  Matrix pooled2;            // after stage 2's pool and ReLU: the fully connected layer's input
  std::vector<int> argmax2;
  Matrix features;      // after the fully connected ReLU
  Matrix columns;       // im2col scratch of one tile
  Matrix convolved;     // convolution output scratch of one tile
  Matrix dL_dfeatures;  // scratches of backward
  Matrix dL_dflat;
  Matrix dL_dcolumns;
  Matrix dL_dinput1;              // dL/d(stage 1 pooled) of one tile
  std::vector<Scalar> gradients;  // this chunk's share of dL/dparameters
};

/// score = bias + sum_k head_k . encode(tile_k), where encode, shared by all tiles, is
/// conv -> 2x2 max-pool -> ReLU -> conv -> 2x2 max-pool -> ReLU -> fully connected -> ReLU
/// (pooling before ReLU gives the same values as after it, on 4x fewer entries). A linear head per tile
/// position weighs the features, the prior that a 4-digit number is a weighted sum of per-digit values.
/// Pooling drops a trailing odd row or column. Elements are split over `thread_count` threads
/// (0: every CPU the process may run on).
template <typename Scalar>
class ConvTileScorer final : public ChunkedScorer<Scalar, ConvTileScorerChunk<Scalar>> {
 public:
  /// He-normal weights from `seed`, zero biases. Throws penumbra::Error when a size is not positive or the
  /// tile is too small for two convolutions and poolings.
  ConvTileScorer(ConvTileScorerShape shape, std::uint64_t seed, int thread_count = 0);

  const ConvTileScorerShape& shape() const { return shape_; }
  int element_size() const override { return shape_.tile_rows * shape_.tiles * shape_.tile_cols; }

 private:
  using Chunk = ConvTileScorerChunk<Scalar>;
  using ChunkedScorer<Scalar, Chunk>::parameters_;
  using ChunkedScorer<Scalar, Chunk>::gradients_;
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
  };

  void forward_chunk(Chunk& chunk, const Scalar* pixels, Scalar* scores) const override;
  void backward_chunk(Chunk& chunk, const Scalar* dL_dscores) const override;
  void convolve_pool(const Stage& stage, const Scalar* input, Chunk& chunk, Scalar* pooled,
                     int* argmax) const;
  void backward_stage(const Stage& stage, const Scalar* input, const Scalar* pooled, const int* argmax,
                      const Scalar* dL_dpooled, Chunk& chunk, Scalar* dL_dinput) const;
  void im2col(const Stage& stage, const Scalar* input, Matrix& columns) const;

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
