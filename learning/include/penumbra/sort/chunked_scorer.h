#pragma once
/// The part the tile scorers share: the elements of a batch cut into blocks of a fixed size, each block's
/// forward and backward with its own activations, blocks handed to threads in contiguous runs (scratch memory
/// per thread), and the blocks' parameter gradients summed in block order. Blocks do not depend on the thread
/// count, so scores and gradients are bit-identical for every thread count. Also: cutting elements into tiles
/// and the linear head per tile position.
#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "penumbra/core/parallel_for.h"
#include "penumbra/error.h"
#include "penumbra/sort/element_scorer.h"

namespace penumbra::sort {

/// Cuts `elements` elements, each `tile_rows` rows of `tiles * tile_cols` pixels, into one column per tile of
/// `columns` (row-major inside the tile): column e * tiles + k is tile k of element e.
template <typename Scalar, typename Matrix>
void cut_into_tiles(const Scalar* pixels, int elements, int tile_rows, int tile_cols, int tiles,
                    Matrix& columns) {
  const int row_width = tiles * tile_cols;
  const std::size_t element_size = static_cast<std::size_t>(tile_rows) * row_width;
  columns.resize(tile_rows * tile_cols, static_cast<Eigen::Index>(elements) * tiles);
  for (int element = 0; element < elements; ++element) {
    const Scalar* source = pixels + static_cast<std::size_t>(element) * element_size;
    for (int tile = 0; tile < tiles; ++tile) {
      Scalar* column = columns.col(static_cast<Eigen::Index>(element) * tiles + tile).data();
      for (int row = 0; row < tile_rows; ++row) {
        std::copy_n(source + row * row_width + tile * tile_cols, tile_cols, column + row * tile_cols);
      }
    }
  }
}

/// The linear head per tile position: score_e = head_bias + sum_k head.col(k) . features.col(e * tiles + k),
/// for `head` [features][tiles] and `features` [features][elements * tiles].
template <typename Scalar, typename Head, typename Matrix>
void score_tiles(const Head& head, Scalar head_bias, const Matrix& features, int tiles, int elements,
                 Scalar* scores) {
  for (int element = 0; element < elements; ++element) {
    Scalar score = head_bias;
    for (int tile = 0; tile < tiles; ++tile) {
      score += head.col(tile).dot(features.col(static_cast<Eigen::Index>(element) * tiles + tile));
    }
    scores[element] = score;
  }
}

/// Backward of score_tiles: adds to dL_dhead and dL_dhead_bias, and writes dL_dfeatures (the shape of
/// `features`).
template <typename Scalar, typename Head, typename HeadGradient, typename Matrix>
void score_tiles_backward(const Head& head, const Matrix& features, int tiles, int elements,
                          const Scalar* dL_dscores, HeadGradient& dL_dhead, Scalar& dL_dhead_bias,
                          Matrix& dL_dfeatures) {
  dL_dfeatures.resize(features.rows(), static_cast<Eigen::Index>(elements) * tiles);
  for (int element = 0; element < elements; ++element) {
    const Scalar dL_dscore = dL_dscores[element];
    dL_dhead_bias += dL_dscore;
    for (int tile = 0; tile < tiles; ++tile) {
      const Eigen::Index column = static_cast<Eigen::Index>(element) * tiles + tile;
      dL_dhead.col(tile) += dL_dscore * features.col(column);
      dL_dfeatures.col(column) = dL_dscore * head.col(tile);
    }
  }
}

/// Per-thread scratch of a scorer that needs none.
struct NoScratch {};

/// `Block` holds one block's activations; it has `int begin, end` (its elements) and `std::vector<Scalar>
/// gradients` (its share of dL/dparameters, which backward_block overwrites). `Scratch` is what a block needs
/// only while it is being computed, one per thread.
template <typename Scalar, typename Block, typename Scratch = NoScratch>
class ChunkedScorer : public ElementScorer<Scalar> {
 public:
  /// Elements per block: a block's matrix products are wide enough to run near the CPU's peak, and a batch
  /// of 100 sets of n = 5 still splits evenly over a few threads.
  static constexpr int kBlockElements = 4;

  /// All weights and biases, flat; an optimiser steps them in place.
  std::span<Scalar> parameters() override { return parameters_; }
  std::span<const Scalar> parameters() const { return parameters_; }
  /// dL/dparameters from the last backward(), in the layout of parameters().
  std::span<const Scalar> gradients() const override { return gradients_; }

  /// Scores `count` elements (`pixels` is [count][element_size()]) into `scores` ([count]); keeps the
  /// activations that backward() needs.
  void forward(std::span<const Scalar> pixels, int count, std::span<Scalar> scores) final {
    const auto size = static_cast<std::size_t>(this->element_size());
    if (count < 1 || pixels.size() != static_cast<std::size_t>(count) * size ||
        scores.size() != static_cast<std::size_t>(count)) {
      throw Error("scorer input holds " + std::to_string(pixels.size()) + " pixels and " +
                      std::to_string(scores.size()) + " scores for " + std::to_string(count) + " elements",
                  name_ + "::forward", "pass count * element_size() pixels and count scores");
    }
    const int block_count = (count + kBlockElements - 1) / kBlockElements;
    blocks_.resize(static_cast<std::size_t>(block_count));
    for (int index = 0; index < block_count; ++index) {
      blocks_[static_cast<std::size_t>(index)].begin = index * kBlockElements;
      blocks_[static_cast<std::size_t>(index)].end = std::min(count, (index + 1) * kBlockElements);
    }
    for_each_block([&](Block& block, Scratch& scratch) {
      forward_block(block, scratch, pixels.data() + static_cast<std::size_t>(block.begin) * size,
                    scores.data() + block.begin);
    });
  }

  /// Overwrites gradients() with dL/dparameters, given dL/dscores ([count]) for the last forward().
  void backward(std::span<const Scalar> dL_dscores) final {
    const int count = blocks_.empty() ? 0 : blocks_.back().end;
    if (count == 0 || dL_dscores.size() != static_cast<std::size_t>(count)) {
      throw Error("dL/dscores must have one entry per element of the last forward", name_ + "::backward",
                  "call forward first and pass its count of gradients");
    }
    for_each_block([&](Block& block, Scratch& scratch) {
      backward_block(block, scratch, dL_dscores.data() + block.begin);
    });
    std::copy(blocks_[0].gradients.begin(), blocks_[0].gradients.end(), gradients_.begin());
    for (std::size_t block = 1; block < blocks_.size(); ++block) {
      for (std::size_t i = 0; i < gradients_.size(); ++i) gradients_[i] += blocks_[block].gradients[i];
    }
  }

 protected:
  /// `name` appears in error messages; `thread_count` 0 means all hardware threads.
  ChunkedScorer(std::string name, int thread_count)
      : name_(std::move(name)), thread_count_(core::thread_count(thread_count)) {}

  /// Scores the block's elements (`pixels` and `scores` start at its first element).
  virtual void forward_block(Block& block, Scratch& scratch, const Scalar* pixels, Scalar* scores) const = 0;
  /// Writes block.gradients from dL/dscores of the block's elements and the activations forward_block kept.
  virtual void backward_block(Block& block, Scratch& scratch, const Scalar* dL_dscores) const = 0;

  std::vector<Scalar> parameters_;
  std::vector<Scalar> gradients_;  ///< sized with parameters_ by the constructor of the scorer

 private:
  // Calls body(block, scratch) for every block, each thread on a contiguous run of blocks with its scratch.
  template <typename Body>
  void for_each_block(Body&& body) {
    const int block_count = static_cast<int>(blocks_.size());
    const int workers = std::clamp(thread_count_, 1, block_count);
    if (scratch_.size() < static_cast<std::size_t>(workers))
      scratch_.resize(static_cast<std::size_t>(workers));
    core::parallel_chunks(block_count, workers, [&](int begin, int end, int worker) {
      for (int block = begin; block < end; ++block) {
        body(blocks_[static_cast<std::size_t>(block)], scratch_[static_cast<std::size_t>(worker)]);
      }
    });
  }

  std::string name_;
  int thread_count_;
  std::vector<Block> blocks_;
  std::vector<Scratch> scratch_;
};

}  // namespace penumbra::sort
