#include "penumbra/data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <memory>
#include <string>

#include "penumbra/error.h"

namespace penumbra::data {
namespace {

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};

std::uint32_t big_endian(const unsigned char* bytes) {
  return (std::uint32_t(bytes[0]) << 24) | (std::uint32_t(bytes[1]) << 16) | (std::uint32_t(bytes[2]) << 8) |
         std::uint32_t(bytes[3]);
}

void read_exactly(gzFile file, void* out, std::size_t size, const std::filesystem::path& path) {
  auto* cursor = static_cast<unsigned char*>(out);
  while (size > 0) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size, 1u << 30));
    const int got = gzread(file, cursor, chunk);
    if (got <= 0) {
      throw Error("IDX file is truncated or not gzip/IDX data", path.string(),
                  "reinstall the dataset (apt-get install --reinstall dataset-fashion-mnist)");
    }
    cursor += got;
    size -= static_cast<std::size_t>(got);
  }
}

}  // namespace

IdxArray read_idx(const std::filesystem::path& path) {
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.string().c_str(), "rb"));
  if (!file) {
    throw Error("cannot open IDX file", path.string(), "check the path, or install dataset-fashion-mnist");
  }
  unsigned char header[4];
  read_exactly(file.get(), header, 4, path);
  if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] < 1 || header[3] > 4) {
    throw Error("not an unsigned-byte IDX file (bad magic number)", path.string(),
                "pass an *-idx?-ubyte(.gz) file of (Fashion-)MNIST");
  }
  IdxArray array;
  std::uint64_t total = 1;
  for (int axis = 0; axis < header[3]; ++axis) {
    unsigned char bytes[4];
    read_exactly(file.get(), bytes, 4, path);
    const std::uint32_t dim = big_endian(bytes);
    total *= dim;
    if (dim == 0 || total > (std::uint64_t(1) << 32)) {
      throw Error("IDX dimensions are zero or absurdly large", path.string(), "the file is corrupted");
    }
    array.dims.push_back(dim);
  }
  // The values arrive in blocks, each allocated once its bytes are being read: a short file with a forged
  // header fails after allocating what it holds plus one block, not the 4 GiB its header may claim.
  constexpr std::uint64_t kBlock = std::uint64_t(1) << 24;
  for (std::uint64_t done = 0; done < total;) {
    const std::uint64_t block = std::min(kBlock, total - done);
    array.values.resize(std::size_t(done + block));
    read_exactly(file.get(), array.values.data() + done, std::size_t(block), path);
    done += block;
  }
  return array;
}

LabelledImages read_mnist_split(const std::filesystem::path& folder, const std::string& prefix) {
  const auto images_path = folder / (prefix + "-images-idx3-ubyte.gz");
  const auto labels_path = folder / (prefix + "-labels-idx1-ubyte.gz");
  IdxArray images = read_idx(images_path);
  IdxArray labels = read_idx(labels_path);
  if (images.dims.size() != 3 || labels.dims.size() != 1 || images.dims[0] != labels.dims[0]) {
    throw Error("images and labels do not match (expected [N, rows, cols] images and [N] labels)",
                images_path.string(), "use the image and label files of the same split");
  }
  LabelledImages set;
  set.count = static_cast<int>(images.dims[0]);
  set.rows = static_cast<int>(images.dims[1]);
  set.cols = static_cast<int>(images.dims[2]);
  set.pixels = std::move(images.values);
  set.labels = std::move(labels.values);
  return set;
}

std::filesystem::path default_fashion_mnist_folder() { return "/usr/share/datasets/fashion-mnist"; }

}  // namespace penumbra::data
