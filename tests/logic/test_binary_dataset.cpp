// Binarisation by thresholds, worked by hand on a 2 × 2 image, and its refusals.
#include <gtest/gtest.h>

#include "penumbra/logic/binary_dataset.h"
#include "penumbra/error.h"

namespace penumbra::test {

using namespace logic;

namespace {

data::LabelledImages two_images() {
  data::LabelledImages images;
  images.count = 2;
  images.rows = 2;
  images.cols = 2;
  images.pixels = {0, 64, 128, 255, 200, 10, 90, 191};
  images.labels = {3, 1};
  return images;
}

TEST(LogicBinaryDataset, EachThresholdGivesOneBitPlane) {
  const BinaryDataset data = binarize(two_images(), {0.25f, 0.75f}, 4, "toy");
  EXPECT_EQ(data.inputs, 8);
  EXPECT_EQ(data.count, 2);
  // Pixel > 63.75, then pixel > 191.25; planes are threshold-major.
  const std::vector<std::uint8_t> expected = {0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0};
  EXPECT_EQ(data.bits, expected);
  EXPECT_EQ(data.labels, (std::vector<std::uint8_t>{3, 1}));
}

TEST(LogicBinaryDataset, KeepFirstTruncates) {
  BinaryDataset data = binarize(two_images(), {0.5f}, 4, "toy");
  keep_first(data, 1);
  EXPECT_EQ(data.count, 1);
  EXPECT_EQ(data.bits.size(), 4u);
  EXPECT_EQ(data.labels.size(), 1u);
}

TEST(LogicBinaryDataset, RefusesBadThresholdsAndLabels) {
  EXPECT_THROW(binarize(two_images(), {}, 4, "toy"), Error);
  EXPECT_THROW(binarize(two_images(), {1.0f}, 4, "toy"), Error);
  EXPECT_THROW(binarize(two_images(), {0.5f}, 3, "toy"), Error);  // label 3 with 3 classes
  EXPECT_THROW(load_binary_splits("unknown-set", "", {0.5f}), Error);
  EXPECT_EQ(even_thresholds(3), (std::vector<float>{0.25f, 0.5f, 0.75f}));
}

}  // namespace
}  // namespace penumbra::test
