#include "penumbra/learning/checkpoint.h"

#include <cstring>
#include <fstream>
#include <iterator>

#include "penumbra/error.h"

namespace penumbra::learning {

void RecordWriter::floats(const std::vector<float>& values) {
  value<std::uint64_t>(values.size());
  if (!values.empty())
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

RecordReader::RecordReader(const std::filesystem::path& path, const std::string& magic)
    : where_(path.string()) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("cannot open checkpoint", where_, "check the path; resume from the folder a fit wrote");
  bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (bytes_.compare(0, magic.size(), magic) != 0) {
    throw Error("not a checkpoint of this kind (bad magic)", where_, "resume from the folder a fit wrote");
  }
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
