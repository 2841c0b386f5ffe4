#include "penumbra/sort/conv_tile_scorer.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "penumbra/error.h"
#include "penumbra/sort/gemm.h"

namespace penumbra::sort {

template <typename Scalar>
ConvTileScorer<Scalar>::ConvTileScorer(ConvTileScorerShape shape, std::uint64_t seed, int thread_count)
    : Base("ConvTileScorer", thread_count), shape_(std::move(shape)) {
  const ConvTileScorerShape& s = shape_;
  const auto stage_sizes = [&](Stage& stage, int in_channels, int out_channels, int rows, int cols) {
    stage.in_channels = in_channels;
    stage.out_channels = out_channels;
    stage.in_rows = rows;
    stage.in_cols = cols;
    stage.conv_rows = rows - s.kernel + 1;
    stage.conv_cols = cols - s.kernel + 1;
    stage.pool_rows = stage.conv_rows / 2;
    stage.pool_cols = stage.conv_cols / 2;
  };
  const bool positive = s.tile_rows > 0 && s.tile_cols > 0 && s.tiles > 0 && s.kernel > 0 &&
                        s.channels1 > 0 && s.channels2 > 0 && s.features > 0;
  if (positive) {
    stage_sizes(stage1_, 1, s.channels1, s.tile_rows, s.tile_cols);
    stage_sizes(stage2_, s.channels1, s.channels2, stage1_.pool_rows, stage1_.pool_cols);
  }
  if (!positive || stage2_.pool_rows < 1 || stage2_.pool_cols < 1) {
    throw Error("conv tile scorer sizes must be positive and the tile must survive two kernel-" +
                    std::to_string(s.kernel) + " convolutions each followed by a 2x2 pool",
                "ConvTileScorerShape", "e.g. 28 x 28 tiles, kernel 5, channels 8 and 16, 64 features");
  }

  std::mt19937_64 rng(seed);
  // Appends `count` parameters, normal with deviation `deviation` (0: zeros); returns their offset.
  const auto append = [&](std::size_t count, double deviation) {
    const std::size_t offset = parameters_.size();
    parameters_.resize(offset + count, Scalar(0));
    if (deviation > 0) {
      std::normal_distribution<double> normal(0.0, deviation);
      for (std::size_t i = offset; i < parameters_.size(); ++i)
        parameters_[i] = static_cast<Scalar>(normal(rng));
    }
    return offset;
  };
  for (Stage* stage : {&stage1_, &stage2_}) {
    const int fan_in = stage->in_channels * s.kernel * s.kernel;
    stage->weights = append(static_cast<std::size_t>(stage->out_channels) * fan_in, std::sqrt(2.0 / fan_in));
    stage->biases = append(stage->out_channels, 0);
  }
  const int flat = stage2_.out_channels * stage2_.pool_rows * stage2_.pool_cols;
  fc_weights_ = append(static_cast<std::size_t>(s.features) * flat, std::sqrt(2.0 / flat));
  fc_biases_ = append(s.features, 0);
  head_ = append(static_cast<std::size_t>(s.features) * s.tiles, std::sqrt(1.0 / s.features));
  head_bias_ = append(1, 0);
  gradients_.assign(parameters_.size(), Scalar(0));
}

// Row (ky * kernel + kx) * in_channels + c, column t * positions + y * conv_cols + x holds input channel c of
// tile t at (y + ky, x + kx): the channels of one pixel are contiguous in both.
template <typename Scalar>
void ConvTileScorer<Scalar>::im2col(const Stage& stage, const Matrix& input, Matrix& columns) const {
  const int kernel = shape_.kernel;
  const int channels = stage.in_channels;
  const Eigen::Index positions = stage.positions();
  columns.resize(static_cast<Eigen::Index>(kernel) * kernel * channels, positions * input.cols());
  for (Eigen::Index tile = 0; tile < input.cols(); ++tile) {
    const Scalar* tile_input = input.col(tile).data();
    for (int y = 0; y < stage.conv_rows; ++y) {
      for (int x = 0; x < stage.conv_cols; ++x) {
        Scalar* column = columns.col(tile * positions + y * stage.conv_cols + x).data();
        for (int ky = 0; ky < kernel; ++ky) {
          const Scalar* source =
              tile_input + static_cast<std::size_t>((y + ky) * stage.in_cols + x) * channels;
          Scalar* target = column + static_cast<std::size_t>(ky) * kernel * channels;
          // A plain loop: the runs are a few values long, too short for memmove to pay.
          for (int i = 0; i < kernel * channels; ++i) target[i] = source[i];
        }
      }
    }
  }
}

template <typename Scalar>
void ConvTileScorer<Scalar>::convolve_pool(const Stage& stage, const Matrix& input, Scratch& scratch,
                                           Matrix& pooled, std::vector<int>& argmax) const {
  const int out = stage.out_channels;
  const Eigen::Index tiles = input.cols();
  im2col(stage, input, scratch.columns);
  const auto rows = static_cast<int>(scratch.columns.rows());
  const auto columns = static_cast<int>(scratch.columns.cols());
  scratch.convolved.resize(out, columns);
  gemm(false, false, out, columns, rows, Scalar(1), parameters_.data() + stage.weights, out,
       scratch.columns.data(), rows, Scalar(0), scratch.convolved.data(), out);
  const Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> biases(parameters_.data() + stage.biases,
                                                                          out);
  scratch.convolved.colwise() += biases;

  const int pooled_size = stage.pooled_size();
  pooled.resize(pooled_size, tiles);
  argmax.resize(static_cast<std::size_t>(pooled_size) * tiles);
  for (Eigen::Index tile = 0; tile < tiles; ++tile) {
    const Scalar* convolved = scratch.convolved.col(tile * stage.positions()).data();
    Scalar* tile_pooled = pooled.col(tile).data();
    int* tile_argmax = argmax.data() + tile * pooled_size;
    const int right = out;                    // offset of the window's right neighbour
    const int below = stage.conv_cols * out;  // and of the pixel below
    for (int py = 0; py < stage.pool_rows; ++py) {
      for (int px = 0; px < stage.pool_cols; ++px) {
        const std::size_t pooled_offset = static_cast<std::size_t>(py * stage.pool_cols + px) * out;
        const int first = (2 * py * stage.conv_cols + 2 * px) * out;
        for (int channel = 0; channel < out; ++channel) {
          // The first of equal maxima wins, in reading order.
          int best = first + channel;
          for (const int candidate : {best + right, best + below, best + below + right}) {
            if (convolved[candidate] > convolved[best]) best = candidate;
          }
          tile_pooled[pooled_offset + channel] = std::max(convolved[best], Scalar(0));
          tile_argmax[pooled_offset + channel] = best;
        }
      }
    }
  }
}

template <typename Scalar>
void ConvTileScorer<Scalar>::forward_block(Block& block, Scratch& scratch, const Scalar* pixels,
                                           Scalar* scores) const {
  const int elements = block.end - block.begin;
  const int tiles = shape_.tiles;
  // One column per tile, row-major inside the tile: one channel per pixel.
  cut_into_tiles(pixels, elements, shape_.tile_rows, shape_.tile_cols, tiles, block.input);
  convolve_pool(stage1_, block.input, scratch, block.pooled1, block.argmax1);
  convolve_pool(stage2_, block.pooled1, scratch, block.pooled2, block.argmax2);

  const int features = shape_.features;
  const int flat = stage2_.pooled_size();
  const auto tile_count = static_cast<int>(block.pooled2.cols());
  block.features.resize(features, tile_count);
  gemm(false, false, features, tile_count, flat, Scalar(1), parameters_.data() + fc_weights_, features,
       block.pooled2.data(), flat, Scalar(0), block.features.data(), features);
  const Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> fc_biases(parameters_.data() + fc_biases_,
                                                                             features);
  block.features = (block.features.colwise() + fc_biases).cwiseMax(Scalar(0));

  const Eigen::Map<const Matrix> head(parameters_.data() + head_, features, tiles);
  score_tiles(head, parameters_[head_bias_], block.features, tiles, elements, scores);
}

// Writes the block's dL/dweights and dL/dbiases of `stage` into `gradients` given dL/d(pooled, after ReLU)
// ([pooled size][tiles]); writes dL/dinput when `dL_dinput` is not null.
template <typename Scalar>
void ConvTileScorer<Scalar>::backward_stage(const Stage& stage, const Matrix& input, const Matrix& pooled,
                                            const std::vector<int>& argmax, const Scalar* dL_dpooled,
                                            Scratch& scratch, std::vector<Scalar>& gradients,
                                            Matrix* dL_dinput) const {
  const int out = stage.out_channels;
  const int kernel = shape_.kernel;
  const int channels = stage.in_channels;
  const Eigen::Index tiles = input.cols();
  const Eigen::Index positions = stage.positions();
  const int pooled_size = stage.pooled_size();
  // ReLU passes the gradient where the pooled value was positive; the pool routes it to its maximum.
  scratch.convolved.setZero(out, positions * tiles);
  for (Eigen::Index tile = 0; tile < tiles; ++tile) {
    Scalar* dL_dconvolved = scratch.convolved.col(tile * positions).data();
    const Scalar* tile_pooled = pooled.col(tile).data();
    const int* tile_argmax = argmax.data() + tile * pooled_size;
    const Scalar* tile_dL_dpooled = dL_dpooled + tile * pooled_size;
    for (int i = 0; i < pooled_size; ++i) {
      if (tile_pooled[i] > Scalar(0)) dL_dconvolved[tile_argmax[i]] = tile_dL_dpooled[i];
    }
  }
  im2col(stage, input, scratch.columns);
  const auto rows = static_cast<int>(scratch.columns.rows());
  const auto columns = static_cast<int>(scratch.columns.cols());
  gemm(false, true, out, rows, columns, Scalar(1), scratch.convolved.data(), out, scratch.columns.data(),
       rows, Scalar(0), gradients.data() + stage.weights, out);
  Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> dL_dbiases(gradients.data() + stage.biases, out);
  dL_dbiases = scratch.convolved.rowwise().sum();
  if (dL_dinput == nullptr) return;

  scratch.dL_dcolumns.resize(rows, columns);
  gemm(true, false, rows, columns, out, Scalar(1), parameters_.data() + stage.weights, out,
       scratch.convolved.data(), out, Scalar(0), scratch.dL_dcolumns.data(), rows);
  dL_dinput->setZero(stage.input_size(), tiles);
  for (Eigen::Index tile = 0; tile < tiles; ++tile) {
    Scalar* tile_dL_dinput = dL_dinput->col(tile).data();
    for (int y = 0; y < stage.conv_rows; ++y) {
      for (int x = 0; x < stage.conv_cols; ++x) {
        const Scalar* column = scratch.dL_dcolumns.col(tile * positions + y * stage.conv_cols + x).data();
        for (int ky = 0; ky < kernel; ++ky) {
          Scalar* target = tile_dL_dinput + static_cast<std::size_t>((y + ky) * stage.in_cols + x) * channels;
          const Scalar* source = column + static_cast<std::size_t>(ky) * kernel * channels;
          for (int i = 0; i < kernel * channels; ++i) target[i] += source[i];
        }
      }
    }
  }
}

template <typename Scalar>
void ConvTileScorer<Scalar>::backward_block(Block& block, Scratch& scratch, const Scalar* dL_dscores) const {
  const int elements = block.end - block.begin;
  const int tiles = shape_.tiles;
  const int features = shape_.features;
  const auto tile_count = static_cast<int>(block.features.cols());
  block.gradients.assign(parameters_.size(), Scalar(0));

  // Head: score = bias + sum_k head_k . features_k.
  const Eigen::Map<const Matrix> head(parameters_.data() + head_, features, tiles);
  Eigen::Map<Matrix> dL_dhead(block.gradients.data() + head_, features, tiles);
  score_tiles_backward(head, block.features, tiles, elements, dL_dscores, dL_dhead,
                       block.gradients[head_bias_], scratch.dL_dfeatures);

  // Fully connected ReLU layer.
  const int flat = stage2_.pooled_size();
  scratch.dL_dfeatures = (block.features.array() > Scalar(0)).select(scratch.dL_dfeatures, Scalar(0));
  gemm(false, true, features, flat, tile_count, Scalar(1), scratch.dL_dfeatures.data(), features,
       block.pooled2.data(), flat, Scalar(0), block.gradients.data() + fc_weights_, features);
  Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> dL_dfc_biases(block.gradients.data() + fc_biases_,
                                                                     features);
  dL_dfc_biases = scratch.dL_dfeatures.rowwise().sum();
  scratch.dL_dflat.resize(flat, tile_count);
  gemm(true, false, flat, tile_count, features, Scalar(1), parameters_.data() + fc_weights_, features,
       scratch.dL_dfeatures.data(), features, Scalar(0), scratch.dL_dflat.data(), flat);

  // Convolution stages, every tile of the block in one product each.
  backward_stage(stage2_, block.pooled1, block.pooled2, block.argmax2, scratch.dL_dflat.data(), scratch,
                 block.gradients, &scratch.dL_dpooled1);
  backward_stage(stage1_, block.input, block.pooled1, block.argmax1, scratch.dL_dpooled1.data(), scratch,
                 block.gradients, nullptr);
}

template class ConvTileScorer<float>;
template class ConvTileScorer<double>;

}  // namespace penumbra::sort
