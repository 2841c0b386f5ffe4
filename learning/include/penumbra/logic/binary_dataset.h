#pragma once
// Images turned into bits by one or several brightness thresholds: the inputs of a logic network.
#include <cstdint>
#include <string>
#include <vector>

#include "penumbra/data/idx.h"

namespace penumbra::logic {

/// `count` samples of `inputs` bits each (one byte per bit, 0 or 1, sample-major) with class labels.
struct BinaryDataset {
  std::string name;               ///< e.g. "fashion-mnist"; models remember it to refuse other data
  int rows = 0;                   ///< image height the bits came from
  int cols = 0;                   ///< image width
  std::vector<float> thresholds;  ///< bit t of pixel p is pixel/255 > thresholds[t]
  int inputs = 0;                 ///< rows · cols · thresholds.size()
  int classes = 0;
  int count = 0;
  std::vector<std::uint8_t> bits;    ///< count × inputs; input t·rows·cols + p is threshold t of pixel p
  std::vector<std::uint8_t> labels;  ///< count, each < classes

  const std::uint8_t* sample(int index) const {
    return bits.data() + std::size_t(index) * std::size_t(inputs);
  }
};

/// Binarises `images` by `thresholds` (each in (0, 1)); `classes` is the label count (labels are checked).
BinaryDataset binarize(const data::LabelledImages& images, const std::vector<float>& thresholds, int classes,
                       const std::string& name);

/// The train and test splits of an IDX image set.
struct DatasetSplits {
  BinaryDataset train;
  BinaryDataset test;
};

/// Reads the IDX split `prefix` ("train" or "t10k") of dataset `name` from `folder` and binarises it. An
/// empty folder means Debian's for the "fashion-mnist" dataset; other names need a folder. Throws
/// penumbra::Error.
BinaryDataset load_binary_split(const std::string& name, const std::string& folder, const std::string& prefix,
                                const std::vector<float>& thresholds);

/// Both splits, binarised with the same thresholds; throws when their image sizes differ.
DatasetSplits load_binary_splits(const std::string& name, const std::string& folder,
                                 const std::vector<float>& thresholds);

/// Keeps only the first `count` samples (all when count ≤ 0 or larger than the set).
void keep_first(BinaryDataset& data, int count);

/// Thresholds evenly spaced in (0, 1): 1 → {0.5}, 3 → {0.25, 0.5, 0.75}.
std::vector<float> even_thresholds(int count);

}  // namespace penumbra::logic
