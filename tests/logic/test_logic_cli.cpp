// End-to-end: `penumbra logic-train` and `logic-eval` on a small synthetic IDX dataset, and the one-line
// error with exit code 2 for every bad model file, mismatched dataset or bad flag; a run stopped by
// --max-minutes and resumed sitting after sitting ends bit for bit where an uninterrupted one does; SIGINT
// checkpoints and exits 130.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "command_line.h"

namespace penumbra::test {

namespace {

namespace fs = std::filesystem;

void write_big_endian(std::ofstream& file, std::uint32_t value) {
  const char bytes[4] = {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
  file.write(bytes, 4);
}

// Uncompressed IDX files under the .gz names (zlib reads both). Class c lights the pixels of row c % size
// and column c / 2, plus noise, so a small network can learn it.
void write_split(const fs::path& folder, const std::string& prefix, int count, int size, unsigned seed) {
  std::mt19937 rng(seed);
  std::ofstream images(folder / (prefix + "-images-idx3-ubyte.gz"), std::ios::binary);
  std::ofstream labels(folder / (prefix + "-labels-idx1-ubyte.gz"), std::ios::binary);
  write_big_endian(images, 0x00000803);
  write_big_endian(images, std::uint32_t(count));
  write_big_endian(images, std::uint32_t(size));
  write_big_endian(images, std::uint32_t(size));
  write_big_endian(labels, 0x00000801);
  write_big_endian(labels, std::uint32_t(count));
  for (int s = 0; s < count; ++s) {
    const int label = int(rng() % 10);
    labels.put(char(label));
    for (int r = 0; r < size; ++r) {
      for (int c = 0; c < size; ++c) {
        const bool lit = r == label % size || c == label / 2;
        images.put(char(lit ? 200 + int(rng() % 50) : int(rng() % 60)));
      }
    }
  }
}

std::string one_line(const std::string& text) { return text.substr(0, text.find('\n')); }

class LogicCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = fs::temp_directory_path() / ("penumbra_logic_cli_" + std::to_string(::getpid()));
    fs::create_directories(folder_ / "data");
    fs::create_directories(folder_ / "other");
    write_split(folder_ / "data", "train", 600, 8, 1);
    write_split(folder_ / "data", "t10k", 200, 8, 2);
    write_split(folder_ / "other", "train", 20, 10, 3);
    write_split(folder_ / "other", "t10k", 20, 10, 4);
    trained_ =
        run_penumbra("logic-train --dataset toy --data-dir " + (folder_ / "data").string() +
                     " --layers 2 --width 200 --tau 4 --steps 300 --eval-every 100 --threshold 0.5,0.75"
                     " --threads 2 --seed 3 --out " +
                     (folder_ / "run").string());
  }
  static void TearDownTestSuite() { fs::remove_all(folder_); }

  static fs::path model() { return folder_ / "run" / "model.bin"; }
  static std::vector<char> model_bytes() {
    std::ifstream file(model(), std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  }
  static fs::path write_model(const std::string& name, const std::vector<char>& bytes) {
    const fs::path path = folder_ / name;
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    return path;
  }
  static CommandResult eval(const std::string& arguments) {
    return run_penumbra("logic-eval --data-dir " + (folder_ / "data").string() + " --seconds 0.02 " +
                        arguments);
  }
  static void expect_usage_error(const CommandResult& result, const std::string& needle) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
    EXPECT_EQ(result.err, one_line(result.err) + "\n") << "one line on stderr";
  }

  static inline fs::path folder_;
  static inline CommandResult trained_;
};

TEST_F(LogicCli, TrainWritesMetricsCurvesAndModel) {
  ASSERT_EQ(trained_.exit_code, 0) << trained_.err;
  std::ifstream json_file(folder_ / "run" / "metrics.json");
  const auto metrics = nlohmann::json::parse(json_file);
  EXPECT_EQ(metrics["gates"], 400);
  EXPECT_EQ(metrics["steps"], 300);
  EXPECT_GT(metrics["discrete_test_accuracy"].get<double>(), 0.5);
  EXPECT_GT(metrics["relaxed_test_accuracy"].get<double>(), 0.5);
  EXPECT_GE(metrics["train_seconds"].get<double>(), 0.0);
  EXPECT_EQ(metrics["gate_histograms"].size(), 2u);
  std::ifstream curves(folder_ / "run" / "curves.csv");
  std::string line;
  int lines = 0;
  while (std::getline(curves, line)) ++lines;
  EXPECT_EQ(lines, 4);  // header and steps 100, 200, 300
  const auto bytes = model_bytes();
  ASSERT_GT(bytes.size(), 12u);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 8), "PNBLOGIC");
}

TEST_F(LogicCli, EvalReportsAccuracyAndThroughputAndExportsC) {
  ASSERT_EQ(trained_.exit_code, 0) << trained_.err;
  const fs::path c_file = folder_ / "net.c";
  const CommandResult result = eval("--model " + model().string() + " --export-c " + c_file.string());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("discrete"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("images/s"), std::string::npos) << result.out;
  EXPECT_TRUE(fs::exists(c_file));
}

TEST_F(LogicCli, DamagedModelsFailWithExitCodeTwo) {
  ASSERT_EQ(trained_.exit_code, 0) << trained_.err;
  auto bytes = model_bytes();
  const auto truncated = write_model("truncated.bin", std::vector<char>(bytes.begin(), bytes.begin() + 40));
  expect_usage_error(eval("--model " + truncated.string()), "truncated");
  auto flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x01;
  expect_usage_error(eval("--model " + write_model("corrupted.bin", flipped).string()), "corrupted");
  auto versioned = bytes;
  versioned[8] = 2;
  expect_usage_error(eval("--model " + write_model("version.bin", versioned).string()), "version 2");
  expect_usage_error(eval("--model " + (folder_ / "missing.bin").string()), "cannot open");
}

TEST_F(LogicCli, MismatchedDatasetFailsWithExitCodeTwo) {
  ASSERT_EQ(trained_.exit_code, 0) << trained_.err;
  expect_usage_error(eval("--model " + model().string() + " --dataset fashion-mnist"), "trained on 'toy'");
  const CommandResult other = run_penumbra("logic-eval --seconds 0.02 --model " + model().string() +
                                           " --data-dir " + (folder_ / "other").string());
  expect_usage_error(other, "10x10");
}

TEST_F(LogicCli, BadSettingsFailWithExitCodeTwo) {
  const std::string data =
      " --dataset toy --data-dir " + (folder_ / "data").string() + " --out " + (folder_ / "bad").string();
  expect_usage_error(run_penumbra("logic-train --width 205 --steps 1" + data), "multiple");
  expect_usage_error(run_penumbra("logic-train --threshold 1.5 --steps 1" + data), "threshold");
  expect_usage_error(run_penumbra("logic-train --wiring sideways --steps 1" + data), "wiring");
  EXPECT_EQ(run_penumbra("logic-train --layers 0" + data).exit_code, 2);
}

// curves.csv without its time column.
std::string curves_without_times(const fs::path& folder) {
  std::istringstream in(read_bytes(folder / "curves.csv"));
  std::string line;
  std::string kept;
  while (std::getline(in, line)) kept += line.substr(0, line.rfind(',')) + "\n";
  return kept;
}

TEST_F(LogicCli, StoppedAndResumedRunEndsBitForBitWhereAnUninterruptedOneDoes) {
  const std::string run = "logic-train --dataset toy --data-dir " + (folder_ / "data").string() +
                          " --layers 2 --width 200 --tau 4 --steps 5 --eval-every 2 --threads 2 --seed 4";
  ASSERT_EQ(run_penumbra(run + " --out " + (folder_ / "whole").string()).exit_code, 0);
  // A budget of a microsecond stops every sitting after one step, cleanly (exit 0, status "stopped").
  const fs::path pieces = folder_ / "pieces";
  CommandResult sitting = run_penumbra(run + " --max-minutes 0.00000001 --out " + pieces.string());
  int sittings = 1;
  while (sitting.exit_code == 0 && sittings < 10 &&
         nlohmann::json::parse(read_bytes(pieces / "metrics.json"))["status"] == "stopped") {
    sitting = run_penumbra("logic-train --threads 1 --max-minutes 0.00000001 --resume " + pieces.string());
    ++sittings;
  }
  ASSERT_EQ(sitting.exit_code, 0) << sitting.err;
  EXPECT_EQ(sittings, 5);
  EXPECT_EQ(nlohmann::json::parse(read_bytes(pieces / "metrics.json"))["status"], "done");
  EXPECT_EQ(read_bytes(folder_ / "whole" / "model.bin"), read_bytes(pieces / "model.bin"));
  EXPECT_EQ(read_bytes(folder_ / "whole" / "loss.csv"), read_bytes(pieces / "loss.csv"));
  EXPECT_EQ(curves_without_times(folder_ / "whole"), curves_without_times(pieces));
  EXPECT_TRUE(fs::is_regular_file(pieces / "loss.png"));
}

TEST_F(LogicCli, InterruptWritesACheckpointAndExits130) {
  const fs::path out = folder_ / "interrupted";
  // SIGINT once the first checkpoint exists, i.e. while training runs (or give up if the run ends first).
  const std::string script =
      "sh -c '" + std::string(PENUMBRA_CLI) + " logic-train --dataset toy --data-dir " +
      (folder_ / "data").string() + " --layers 2 --width 200 --steps 100000000 --eval-every 1 --out " +
      out.string() + " > /dev/null & pid=$!; while [ ! -f " + (out / "checkpoint.bin").string() +
      " ] && kill -0 $pid; do sleep 0.05; done; kill -INT $pid; wait $pid; exit $?'";
  const int status = std::system(script.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const auto metrics = nlohmann::json::parse(read_bytes(out / "metrics.json"));
  EXPECT_EQ(metrics["status"], "interrupted");
  EXPECT_GE(metrics["steps"].get<long long>(), 1);
  EXPECT_TRUE(fs::is_regular_file(out / "model.bin"));
}

}  // namespace

}  // namespace penumbra::test
