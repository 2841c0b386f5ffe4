#include "sort/conv_tile_scorer.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "penumbra/error.h"

namespace penumbra::sort {

template <typename Scalar>
ConvTileScorer<Scalar>::ConvTileScorer(ConvTileScorerShape shape, std::uint64_t seed, int thread_count)
    : ChunkedScorer<Scalar, ConvTileScorerChunk<Scalar>>("ConvTileScorer", thread_count),
      shape_(std::move(shape)) {
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

// Row (ky * kernel + kx) * in_channels + c, column y * conv_cols + x holds input channel c at (y + ky, x +
// kx): the channels of one pixel are contiguous in both.
template <typename Scalar>
void ConvTileScorer<Scalar>::im2col(const Stage& stage, const Scalar* input, Matrix& columns) const {
  const int kernel = shape_.kernel;
  const int channels = stage.in_channels;
  columns.resize(static_cast<Eigen::Index>(kernel) * kernel * channels,
                 static_cast<Eigen::Index>(stage.conv_rows) * stage.conv_cols);
  for (int y = 0; y < stage.conv_rows; ++y) {
    for (int x = 0; x < stage.conv_cols; ++x) {
      Scalar* column = columns.col(static_cast<Eigen::Index>(y) * stage.conv_cols + x).data();
      for (int ky = 0; ky < kernel; ++ky) {
        const Scalar* source = input + static_cast<std::size_t>((y + ky) * stage.in_cols + x) * channels;
        std::copy_n(source, kernel * channels, column + static_cast<std::size_t>(ky) * kernel * channels);
      }
    }
  }
}

template <typename Scalar>
void ConvTileScorer<Scalar>::convolve_pool(const Stage& stage, const Scalar* input, Chunk& chunk,
                                           Scalar* pooled, int* argmax) const {
  const int out = stage.out_channels;
  im2col(stage, input, chunk.columns);
  const Eigen::Map<const Matrix> weights(parameters_.data() + stage.weights, out, chunk.columns.rows());
  const Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> biases(parameters_.data() + stage.biases,
                                                                          out);
  chunk.convolved.noalias() = weights * chunk.columns;
  chunk.convolved.colwise() += biases;
  const Scalar* convolved = chunk.convolved.data();
  for (int py = 0; py < stage.pool_rows; ++py) {
    for (int px = 0; px < stage.pool_cols; ++px) {
      const std::size_t pooled_offset = static_cast<std::size_t>(py * stage.pool_cols + px) * out;
      for (int channel = 0; channel < out; ++channel) {
        int best = (2 * py * stage.conv_cols + 2 * px) * out + channel;
        for (int dy = 0; dy < 2; ++dy) {
          for (int dx = 0; dx < 2; ++dx) {
            const int index = ((2 * py + dy) * stage.conv_cols + 2 * px + dx) * out + channel;
            if (convolved[index] > convolved[best]) best = index;
          }
        }
        pooled[pooled_offset + channel] = std::max(convolved[best], Scalar(0));
        argmax[pooled_offset + channel] = best;
      }
    }
  }
}

template <typename Scalar>
void ConvTileScorer<Scalar>::forward_chunk(Chunk& chunk, const Scalar* pixels, Scalar* scores) const {
  const int elements = chunk.end - chunk.begin;
  const int tiles = shape_.tiles;
  const Eigen::Index tile_count = static_cast<Eigen::Index>(elements) * tiles;
  // One column per tile, row-major inside the tile: one channel per pixel.
  cut_into_tiles(pixels, elements, shape_.tile_rows, shape_.tile_cols, tiles, chunk.input);
  const int size1 = stage1_.out_channels * stage1_.pool_rows * stage1_.pool_cols;
  const int size2 = stage2_.out_channels * stage2_.pool_rows * stage2_.pool_cols;
  chunk.pooled1.resize(size1, tile_count);
  chunk.pooled2.resize(size2, tile_count);
  chunk.argmax1.resize(static_cast<std::size_t>(size1) * tile_count);
  chunk.argmax2.resize(static_cast<std::size_t>(size2) * tile_count);
  for (Eigen::Index tile = 0; tile < tile_count; ++tile) {
    convolve_pool(stage1_, chunk.input.col(tile).data(), chunk, chunk.pooled1.col(tile).data(),
                  chunk.argmax1.data() + tile * size1);
    convolve_pool(stage2_, chunk.pooled1.col(tile).data(), chunk, chunk.pooled2.col(tile).data(),
                  chunk.argmax2.data() + tile * size2);
  }
  const int features = shape_.features;
  const Eigen::Map<const Matrix> fc(parameters_.data() + fc_weights_, features, size2);
  const Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> fc_biases(parameters_.data() + fc_biases_,
                                                                             features);
  chunk.features.noalias() = fc * chunk.pooled2;
  chunk.features = (chunk.features.colwise() + fc_biases).cwiseMax(Scalar(0));

  const Eigen::Map<const Matrix> head(parameters_.data() + head_, features, tiles);
  score_tiles(head, parameters_[head_bias_], chunk.features, tiles, elements, scores);
}

// Accumulates one tile's dL/dweights and dL/dbiases of `stage` given dL/d(pooled, after ReLU); writes
// dL/dinput when `dL_dinput` is not null.
template <typename Scalar>
void ConvTileScorer<Scalar>::backward_stage(const Stage& stage, const Scalar* input, const Scalar* pooled,
                                            const int* argmax, const Scalar* dL_dpooled, Chunk& chunk,
                                            Scalar* dL_dinput) const {
  const int out = stage.out_channels;
  const int kernel = shape_.kernel;
  const int channels = stage.in_channels;
  const Eigen::Index positions = static_cast<Eigen::Index>(stage.conv_rows) * stage.conv_cols;
  // ReLU passes the gradient where the pooled value was positive; the pool routes it to its maximum.
  chunk.convolved.setZero(out, positions);
  Scalar* dL_dconvolved = chunk.convolved.data();
  const int pooled_size = out * stage.pool_rows * stage.pool_cols;
  for (int i = 0; i < pooled_size; ++i) {
    if (pooled[i] > Scalar(0)) dL_dconvolved[argmax[i]] = dL_dpooled[i];
  }
  im2col(stage, input, chunk.columns);
  Eigen::Map<Matrix> dL_dweights(chunk.gradients.data() + stage.weights, out, chunk.columns.rows());
  Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> dL_dbiases(chunk.gradients.data() + stage.biases, out);
  dL_dweights.noalias() += chunk.convolved * chunk.columns.transpose();
  dL_dbiases += chunk.convolved.rowwise().sum();
  if (dL_dinput == nullptr) return;

  const Eigen::Map<const Matrix> weights(parameters_.data() + stage.weights, out, chunk.columns.rows());
  chunk.dL_dcolumns.noalias() = weights.transpose() * chunk.convolved;
  std::fill_n(dL_dinput, static_cast<std::size_t>(channels) * stage.in_rows * stage.in_cols, Scalar(0));
  for (int y = 0; y < stage.conv_rows; ++y) {
    for (int x = 0; x < stage.conv_cols; ++x) {
      const Scalar* column = chunk.dL_dcolumns.col(static_cast<Eigen::Index>(y) * stage.conv_cols + x).data();
      for (int ky = 0; ky < kernel; ++ky) {
        Scalar* target = dL_dinput + static_cast<std::size_t>((y + ky) * stage.in_cols + x) * channels;
        const Scalar* source = column + static_cast<std::size_t>(ky) * kernel * channels;
        for (int i = 0; i < kernel * channels; ++i) target[i] += source[i];
      }
    }
  }
}

template <typename Scalar>
void ConvTileScorer<Scalar>::backward_chunk(Chunk& chunk, const Scalar* dL_dscores) const {
  const int elements = chunk.end - chunk.begin;
  const int tiles = shape_.tiles;
  const int features = shape_.features;
  const Eigen::Index tile_count = static_cast<Eigen::Index>(elements) * tiles;
  chunk.gradients.assign(parameters_.size(), Scalar(0));

  // Head: score = bias + sum_k head_k . features_k.
  const Eigen::Map<const Matrix> head(parameters_.data() + head_, features, tiles);
  Eigen::Map<Matrix> dL_dhead(chunk.gradients.data() + head_, features, tiles);
  score_tiles_backward(head, chunk.features, tiles, elements, dL_dscores, dL_dhead,
                       chunk.gradients[head_bias_], chunk.dL_dfeatures);

  // Fully connected ReLU layer.
  const int size1 = stage1_.out_channels * stage1_.pool_rows * stage1_.pool_cols;
  const int size2 = stage2_.out_channels * stage2_.pool_rows * stage2_.pool_cols;
  chunk.dL_dfeatures = (chunk.features.array() > Scalar(0)).select(chunk.dL_dfeatures, Scalar(0));
  Eigen::Map<Matrix> dL_dfc(chunk.gradients.data() + fc_weights_, features, size2);
  Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> dL_dfc_biases(chunk.gradients.data() + fc_biases_,
                                                                     features);
  dL_dfc.noalias() = chunk.dL_dfeatures * chunk.pooled2.transpose();
  dL_dfc_biases = chunk.dL_dfeatures.rowwise().sum();
  const Eigen::Map<const Matrix> fc(parameters_.data() + fc_weights_, features, size2);
  chunk.dL_dflat.noalias() = fc.transpose() * chunk.dL_dfeatures;

  // Convolution stages, one tile at a time.
  chunk.dL_dinput1.resize(size1, 1);
  for (Eigen::Index tile = 0; tile < tile_count; ++tile) {
    backward_stage(stage2_, chunk.pooled1.col(tile).data(), chunk.pooled2.col(tile).data(),
                   chunk.argmax2.data() + tile * size2, chunk.dL_dflat.col(tile).data(), chunk,
                   chunk.dL_dinput1.data());
    backward_stage(stage1_, chunk.input.col(tile).data(), chunk.pooled1.col(tile).data(),
                   chunk.argmax1.data() + tile * size1, chunk.dL_dinput1.data(), chunk, nullptr);
  }
}

template class ConvTileScorer<float>;
template class ConvTileScorer<double>;

}  // namespace penumbra::sort
