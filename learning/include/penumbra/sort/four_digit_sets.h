#pragma once
/// Sets of "four-digit" elements for ranking supervision (diffsort's four-digit MNIST, on Fashion-MNIST):
/// an element is 4 images side by side (28 x 112) whose value is the 4-digit number of their class labels.
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "penumbra/data/idx.h"

namespace penumbra::sort {

/// Draws sets of four-digit elements from a range of images of one labelled split.
class FourDigitSets {
 public:
  static constexpr int kDigits = 4;      ///< images per element
  static constexpr int kImageSide = 28;  ///< rows and columns of one image

  /// Uses images [first, first + count) of `images`, which must outlive this object; throws penumbra::Error
  /// when the range is out of bounds or the images are not 28 x 28.
  FourDigitSets(const data::LabelledImages& images, int first, int count);

  /// Pixels of one element: kImageSide rows of kDigits * kImageSide columns.
  static constexpr int element_size() { return kImageSide * kImageSide * kDigits; }

  /// Fills `pixels` ([set][element][28][112], standardised by Fashion-MNIST's pixel mean and deviation) and `values` ([set][element], the 4-digit
  /// numbers) with `set_count` sets of `n` elements, each image drawn uniformly from the range.
  void sample(std::mt19937_64& rng, int set_count, int n, std::span<float> pixels,
              std::span<int> values) const;

 private:
  const data::LabelledImages& images_;
  int first_;
  int count_;
};

}  // namespace penumbra::sort
