#include "penumbra/logic/model_file.h"

#include <bit>
#include <cstring>
#include <string_view>

#include "penumbra/error.h"
#include "penumbra/files.h"

namespace penumbra::logic {
namespace {

constexpr char kMagic[8] = {'P', 'N', 'B', 'L', 'O', 'G', 'I', 'C'};
// Far above any network this engine can train: rejects absurd sizes before allocating.
constexpr std::uint32_t kMaxCount = 1u << 28;
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 32;

static_assert(std::endian::native == std::endian::little, "model files are little-endian");

class Writer {
 public:
  template <typename T>
  void put(const T& value) {
    const char* raw = reinterpret_cast<const char*>(&value);
    bytes_.insert(bytes_.end(), raw, raw + sizeof(T));
  }
  template <typename T>
  void put_array(const std::vector<T>& values) {
    put(std::uint32_t(values.size()));
    const char* raw = reinterpret_cast<const char*>(values.data());
    bytes_.insert(bytes_.end(), raw, raw + values.size() * sizeof(T));
  }
  void put_string(const std::string& text) { put_array(std::vector<char>(text.begin(), text.end())); }
  std::vector<char>& bytes() { return bytes_; }

 private:
  std::vector<char> bytes_;
};

class Reader {
 public:
  Reader(const std::vector<char>& bytes, std::size_t end, std::string where)
      : bytes_(bytes), end_(end), where_(std::move(where)) {}

  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  template <typename T>
  std::vector<T> get_array() {
    const auto count = get<std::uint32_t>();
    if (count > kMaxCount) fail("an array claims " + std::to_string(count) + " entries");
    // The bytes are taken before the array is allocated: a forged count fails here, not in the allocator.
    const char* raw = take(std::size_t(count) * sizeof(T));
    std::vector<T> values(count);
    if (count > 0) std::memcpy(values.data(), raw, std::size_t(count) * sizeof(T));
    return values;
  }
  std::string get_string() {
    const auto chars = get_array<char>();
    return std::string(chars.begin(), chars.end());
  }
  bool at_end() const { return position_ == end_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error("corrupted logic model: " + what, where_, "retrain or re-save the model");
  }

 private:
  const char* take(std::size_t size) {
    if (size > end_ - position_) fail("the contents end early");
    const char* at = bytes_.data() + position_;
    position_ += size;
    return at;
  }
  const std::vector<char>& bytes_;
  std::size_t end_;
  std::size_t position_ = sizeof(kMagic) + sizeof(std::uint32_t);
  std::string where_;
};

}  // namespace

void save_model(const std::filesystem::path& path, const LogicNetwork& network, const ModelDataset& dataset) {
  const NetworkSpec& spec = network.spec();
  Writer out;
  for (char c : kMagic) out.put(c);
  out.put(kModelFileVersion);
  out.put_string(dataset.name);
  out.put(std::int32_t(dataset.rows));
  out.put(std::int32_t(dataset.cols));
  out.put_array(dataset.thresholds);
  out.put(std::int32_t(spec.inputs));
  out.put(std::int32_t(spec.layers));
  out.put(std::int32_t(spec.width));
  out.put(std::int32_t(spec.classes));
  out.put(spec.tau);
  out.put(std::uint8_t(spec.wiring == WiringScheme::Random ? 0 : 1));
  out.put(std::uint8_t(spec.init == GateInit::Gaussian ? 0 : 1));
  out.put(spec.residual_logit);
  out.put(spec.seed);
  for (const auto& layer : network.layers()) {
    out.put(std::int32_t(layer.inputs()));
    out.put_array(layer.wiring().a);
    out.put_array(layer.wiring().b);
    out.put_array(std::vector<float>(layer.logits().begin(), layer.logits().end()));
  }
  out.put(checksum64(std::string_view(out.bytes().data(), out.bytes().size())));
  write_file_atomically(path, std::string_view(out.bytes().data(), out.bytes().size()));
}

LogicModel load_model(const std::filesystem::path& path) {
  const std::string file = read_file(path, kMaxFileBytes, "logic model file");
  const std::vector<char> bytes(file.begin(), file.end());
  const std::string where = path.string();

  constexpr std::size_t kHeader = sizeof(kMagic) + sizeof(std::uint32_t);
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    throw Error("not a Penumbra logic model (bad magic bytes)", where,
                "pass a model.bin written by logic-train");
  }
  if (bytes.size() < kHeader + sizeof(std::uint64_t)) {
    throw Error("logic model file is truncated", where,
                "the file ends inside its header; retrain or re-copy it");
  }
  std::uint32_t version;
  std::memcpy(&version, bytes.data() + sizeof(kMagic), sizeof(version));
  if (version != kModelFileVersion) {
    throw Error("logic model has format version " + std::to_string(version) + ", this build reads version " +
                    std::to_string(kModelFileVersion),
                where, "retrain the model with this build of penumbra");
  }
  const std::size_t body_end = bytes.size() - sizeof(std::uint64_t);
  std::uint64_t stored;
  std::memcpy(&stored, bytes.data() + body_end, sizeof(stored));
  if (stored != checksum64(std::string_view(bytes.data(), body_end))) {
    throw Error("logic model file is truncated or corrupted (checksum mismatch)", where,
                "retrain or re-copy the model file");
  }

  Reader in(bytes, body_end, where);
  ModelDataset dataset;
  dataset.name = in.get_string();
  dataset.rows = in.get<std::int32_t>();
  dataset.cols = in.get<std::int32_t>();
  dataset.thresholds = in.get_array<float>();
  NetworkSpec spec;
  spec.inputs = in.get<std::int32_t>();
  spec.layers = in.get<std::int32_t>();
  spec.width = in.get<std::int32_t>();
  spec.classes = in.get<std::int32_t>();
  spec.tau = in.get<float>();
  spec.wiring = in.get<std::uint8_t>() == 0 ? WiringScheme::Random : WiringScheme::Unique;
  spec.init = in.get<std::uint8_t>() == 0 ? GateInit::Gaussian : GateInit::Residual;
  spec.residual_logit = in.get<float>();
  spec.seed = in.get<std::uint64_t>();
  if (spec.layers < 1 || std::uint32_t(spec.layers) > kMaxCount) in.fail("bad layer count");
  if (std::int64_t(dataset.rows) * dataset.cols * std::int64_t(dataset.thresholds.size()) != spec.inputs) {
    in.fail("the dataset description does not match the input count");
  }
  std::vector<LogicLayer> layers;
  try {
    for (int l = 0; l < spec.layers; ++l) {
      const int inputs = in.get<std::int32_t>();
      Wiring wiring;
      wiring.a = in.get_array<std::uint32_t>();
      wiring.b = in.get_array<std::uint32_t>();
      auto logits = in.get_array<float>();
      layers.emplace_back(inputs, std::move(wiring), std::move(logits));
    }
    if (!in.at_end()) in.fail("unexpected bytes after the last layer");
    return {LogicNetwork(spec, std::move(layers)), std::move(dataset)};
  } catch (const Error& error) {
    // Layer and network checks name themselves; the user needs the file.
    if (error.where() == where) throw;
    throw Error("corrupted logic model: " + error.problem(), where, "retrain or re-save the model");
  }
}

}  // namespace penumbra::logic
