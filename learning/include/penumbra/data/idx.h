#pragma once
// Reader of the IDX format of (Fashion-)MNIST, plain or gzip-compressed (zlib reads both).
#include <cstdint>
#include <filesystem>
#include <vector>

namespace penumbra::data {

/// An IDX tensor of unsigned bytes: dims (e.g. {60000, 28, 28}) and values, row-major.
struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> values;
};

/// Reads an unsigned-byte IDX file (magic 0x00000801 labels, 0x00000803 images). Throws penumbra::Error
/// naming the file on a missing file, a wrong magic number, absurd dimensions or truncated data.
IdxArray read_idx(const std::filesystem::path& path);

/// A labelled image set: `count` images of rows x cols bytes each, and one label per image.
struct LabelledImages {
  int count = 0;
  int rows = 0;
  int cols = 0;
  std::vector<std::uint8_t> pixels;  ///< count * rows * cols, row-major
  std::vector<std::uint8_t> labels;  ///< count
};

/// Reads "<prefix>-images-idx3-ubyte.gz" and "<prefix>-labels-idx1-ubyte.gz" from `folder`
/// (prefix "train" or "t10k") and checks that they agree.
LabelledImages read_mnist_split(const std::filesystem::path& folder, const std::string& prefix);

/// Where Debian's dataset-fashion-mnist package installs the data.
std::filesystem::path default_fashion_mnist_folder();

}  // namespace penumbra::data
