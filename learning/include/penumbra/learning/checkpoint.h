#pragma once
/// Checkpoint files: a small binary record (magic, then little-endian fields as written, then a checksum of all
/// that), written with penumbra::write_file_atomically so a crash never leaves a half-written checkpoint, and
/// checked whole before any field is used so a damaged one never resumes silently.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace penumbra::learning {

/// Appends raw values to a byte string.
class RecordWriter {
 public:
  explicit RecordWriter(const std::string& magic) { bytes_ = magic; }
  template <typename T>
  void value(const T& v) {
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void floats(const std::vector<float>& values);
  /// Writes the record and its checksum to `path` atomically.
  void save(const std::filesystem::path& path) const;

 private:
  std::string bytes_;
};

/// Reads what RecordWriter wrote. A wrong magic, a checksum that does not match (a damaged or truncated file)
/// and every read past the end throw penumbra::Error naming the file.
class RecordReader {
 public:
  RecordReader(const std::filesystem::path& path, const std::string& magic);
  template <typename T>
  T value() {
    T v;
    read(&v, sizeof(T));
    return v;
  }
  std::vector<float> floats();
  /// Bytes not read yet: what a count read from the file can be checked against before allocating.
  std::size_t remaining() const { return bytes_.size() - offset_; }
  /// Throws unless every byte was read.
  void finish() const;
  const std::string& where() const { return where_; }

 private:
  void read(void* out, std::size_t size);
  std::string bytes_;
  std::size_t offset_ = 0;
  std::string where_;
};

}  // namespace penumbra::learning
