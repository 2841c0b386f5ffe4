#include "penumbra/learning/checkpoint.h"

#include <cstring>
#include <string_view>

#include "penumbra/error.h"
#include "penumbra/files.h"

namespace penumbra::learning {
namespace {

// Far above the state of any mesh this engine fits; a larger file is not a checkpoint.
constexpr std::uintmax_t kMaxCheckpointBytes = std::uintmax_t(1) << 32;

}  // namespace

void RecordWriter::floats(const std::vector<float>& values) {
  value<std::uint64_t>(values.size());
  if (!values.empty())
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

void RecordWriter::save(const std::filesystem::path& path) const {
  std::string sealed = bytes_;
  const std::uint64_t sum = checksum64(bytes_);
  sealed.append(reinterpret_cast<const char*>(&sum), sizeof(sum));
  write_file_atomically(path, sealed);
}

RecordReader::RecordReader(const std::filesystem::path& path, const std::string& magic)
    : where_(path.string()) {
  bytes_ = read_file(path, kMaxCheckpointBytes, "checkpoint");
  if (bytes_.compare(0, magic.size(), magic) != 0) {
    throw Error("not a checkpoint of this kind or version (bad magic)", where_,
                "resume from a folder this version of penumbra wrote, or start the run again");
  }
  std::uint64_t stored = 0;
  if (bytes_.size() >= magic.size() + sizeof(stored))
    std::memcpy(&stored, bytes_.data() + bytes_.size() - sizeof(stored), sizeof(stored));
  if (bytes_.size() < magic.size() + sizeof(stored) ||
      stored != checksum64(std::string_view(bytes_).substr(0, bytes_.size() - sizeof(stored)))) {
    throw Error("the checkpoint is damaged (checksum mismatch)", where_,
                "restore the folder from a copy, or start the run again without --resume");
  }
  bytes_.resize(bytes_.size() - sizeof(stored));
  offset_ = magic.size();
}

std::vector<float> RecordReader::floats() {
  const auto count = value<std::uint64_t>();
  if (count > (bytes_.size() - offset_) / sizeof(float)) {
    throw Error("checkpoint is truncated", where_, "the file is damaged; resume from an earlier copy");
  }
  std::vector<float> values(count);
  read(values.data(), count * sizeof(float));
  return values;
}

void RecordReader::finish() const {
  if (offset_ != bytes_.size()) throw Error("checkpoint has trailing bytes", where_, "the file is damaged");
}

void RecordReader::read(void* out, std::size_t size) {
  if (size == 0) return;  // an empty array: its data() may be null, which memcpy must not see
  if (size > bytes_.size() - offset_) {
    throw Error("checkpoint is truncated", where_, "the file is damaged; resume from an earlier copy");
  }
  std::memcpy(out, bytes_.data() + offset_, size);
  offset_ += size;
}

}  // namespace penumbra::learning
