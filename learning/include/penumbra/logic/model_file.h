#pragma once
// The model file: a versioned binary header, the network spec, the dataset it was trained on, every
// layer's wiring and gate logits, and a checksum over all of it.
#include <filesystem>
#include <string>
#include <vector>

#include "penumbra/logic/logic_network.h"

namespace penumbra::logic {

/// Version written by save_model; load_model refuses any other.
inline constexpr std::uint32_t kModelFileVersion = 1;

/// What the model was trained on, so that evaluation can refuse other data.
struct ModelDataset {
  std::string name;               ///< e.g. "fashion-mnist"
  int rows = 0;                   ///< image height
  int cols = 0;                   ///< image width
  std::vector<float> thresholds;  ///< binarisation thresholds, fractions of full brightness
};

/// A network with the description of its data.
struct LogicModel {
  LogicNetwork network;
  ModelDataset dataset;
};

/// Writes `network` and `dataset` to `path` (little-endian). Throws penumbra::Error when it cannot write.
void save_model(const std::filesystem::path& path, const LogicNetwork& network, const ModelDataset& dataset);

/// Reads a model written by save_model. Throws penumbra::Error naming the file on a missing file, another
/// format, another version, a truncated or corrupted file, or inconsistent contents.
LogicModel load_model(const std::filesystem::path& path);

}  // namespace penumbra::logic
