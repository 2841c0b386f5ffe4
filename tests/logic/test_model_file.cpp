// Model files: an exact round trip, and a clear penumbra::Error for every kind of damage.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "penumbra/logic/model_file.h"
#include "penumbra/error.h"

namespace penumbra::test {

using namespace logic;

namespace {

class LogicModelFile : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("penumbra_logic_model_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(folder_);
    NetworkSpec spec;
    spec.inputs = 2 * 3 * 4;
    spec.layers = 2;
    spec.width = 30;
    spec.classes = 3;
    spec.tau = 2.5f;
    spec.wiring = WiringScheme::Unique;
    spec.seed = 77;
    network_ = std::make_unique<LogicNetwork>(spec);
    save_model(path(), *network_, dataset_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::filesystem::path path() const { return folder_ / "model.bin"; }
  std::vector<char> bytes() const {
    std::ifstream file(path(), std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  }
  void write(const std::vector<char>& bytes) const {
    std::ofstream(path(), std::ios::binary | std::ios::trunc)
        .write(bytes.data(), std::streamsize(bytes.size()));
  }
  std::string load_error() const {
    try {
      load_model(path());
    } catch (const Error& error) {
      return error.what();
    }
    return "no error";
  }

  std::filesystem::path folder_;
  std::unique_ptr<LogicNetwork> network_;
  ModelDataset dataset_{"toy", 3, 4, {0.25f, 0.75f}};
};

TEST_F(LogicModelFile, RoundTripKeepsEverything) {
  const LogicModel loaded = load_model(path());
  EXPECT_EQ(loaded.dataset.name, "toy");
  EXPECT_EQ(loaded.dataset.rows, 3);
  EXPECT_EQ(loaded.dataset.cols, 4);
  EXPECT_EQ(loaded.dataset.thresholds, dataset_.thresholds);
  const NetworkSpec& a = loaded.network.spec();
  const NetworkSpec& b = network_->spec();
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.layers, b.layers);
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.classes, b.classes);
  EXPECT_EQ(a.tau, b.tau);
  EXPECT_EQ(a.wiring, b.wiring);
  EXPECT_EQ(a.seed, b.seed);
  for (std::size_t l = 0; l < network_->layers().size(); ++l) {
    const auto& x = loaded.network.layers()[l];
    const auto& y = network_->layers()[l];
    EXPECT_EQ(x.wiring().a, y.wiring().a);
    EXPECT_EQ(x.wiring().b, y.wiring().b);
    EXPECT_TRUE(std::equal(x.logits().begin(), x.logits().end(), y.logits().begin(), y.logits().end()));
  }
}

TEST_F(LogicModelFile, TruncatedFileIsRefused) {
  auto data = bytes();
  for (std::size_t keep : {data.size() - 1, data.size() / 2, std::size_t(10), std::size_t(3)}) {
    write(std::vector<char>(data.begin(), data.begin() + std::ptrdiff_t(keep)));
    EXPECT_THROW(load_model(path()), Error) << "kept " << keep << " bytes";
  }
  write(std::vector<char>(data.begin(), data.begin() + std::ptrdiff_t(data.size() / 2)));
  EXPECT_NE(load_error().find("truncated"), std::string::npos) << load_error();
}

TEST_F(LogicModelFile, CorruptedByteIsRefused) {
  auto data = bytes();
  data[data.size() / 3] ^= 0x10;
  write(data);
  EXPECT_NE(load_error().find("corrupted"), std::string::npos) << load_error();
}

TEST_F(LogicModelFile, OtherVersionIsRefusedByName) {
  auto data = bytes();
  data[8] = 9;  // the version follows the 8 magic bytes
  write(data);
  EXPECT_NE(load_error().find("version 9"), std::string::npos) << load_error();
}

TEST_F(LogicModelFile, OtherFileIsNotAModel) {
  write({'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '\n'});
  EXPECT_NE(load_error().find("not a Penumbra logic model"), std::string::npos) << load_error();
  std::filesystem::remove(path());
  EXPECT_NE(load_error().find("cannot open"), std::string::npos) << load_error();
}

}  // namespace
}  // namespace penumbra::test
