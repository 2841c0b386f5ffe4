#pragma once
/// What ranking training needs of a scorer: one scalar per element, and dL/dparameters from dL/dscores.
#include <span>

namespace penumbra::sort {

/// A trainable map from an element (a row of image tiles) to a scalar score.
template <typename Scalar>
class ElementScorer {
 public:
  virtual ~ElementScorer() = default;

  /// Pixels per element.
  virtual int element_size() const = 0;
  /// All weights and biases, flat; an optimiser steps them in place.
  virtual std::span<Scalar> parameters() = 0;
  /// dL/dparameters from the last backward(), in the layout of parameters().
  virtual std::span<const Scalar> gradients() const = 0;
  /// Scores `count` elements (`pixels` is [count][element_size()]) into `scores` ([count]); keeps what
  /// backward() needs.
  virtual void forward(std::span<const Scalar> pixels, int count, std::span<Scalar> scores) = 0;
  /// Overwrites gradients() with dL/dparameters, given dL/dscores ([count]) for the last forward().
  virtual void backward(std::span<const Scalar> dL_dscores) = 0;
};

}  // namespace penumbra::sort
