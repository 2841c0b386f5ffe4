// Oracles: the discretised float forward (arg-max gates on inputs in {0, 1}) is the reference; bit-packed
// inference and the exported C, compiled here by the system compiler, must give the same class counts.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "penumbra/logic/bit_packed_network.h"
#include "penumbra/logic/discrete_network.h"
#include "penumbra/logic/export_c.h"
#include "penumbra/logic/logic_network.h"

namespace penumbra::test {

using namespace logic;

namespace {

struct RandomCase {
  LogicNetwork network;
  std::vector<std::uint8_t> bits;  // count × inputs
  int count;
};

RandomCase make_case(int inputs, int layers, int width, int classes, int count, std::uint64_t seed) {
  NetworkSpec spec;
  spec.inputs = inputs;
  spec.layers = layers;
  spec.width = width;
  spec.classes = classes;
  spec.tau = 3.0f;
  spec.seed = seed;
  spec.wiring = seed % 2 ? WiringScheme::Random : WiringScheme::Unique;
  RandomCase random_case{LogicNetwork(spec), {}, count};
  std::mt19937 rng{static_cast<unsigned>(seed)};
  random_case.bits.resize(std::size_t(count) * std::size_t(inputs));
  for (auto& bit : random_case.bits) bit = std::uint8_t(rng() & 1u);
  return random_case;
}

// Class counts of the discretised float forward: scores · tau, which are exact small integers.
std::vector<int> float_counts(RandomCase& random_case) {
  LogicNetwork& network = random_case.network;
  const int inputs = network.spec().inputs, count = random_case.count, classes = network.spec().classes;
  NetworkWorkspace workspace = network.make_workspace(count);
  std::vector<float> x(std::size_t(inputs) * std::size_t(count));
  for (int s = 0; s < count; ++s) {
    for (int i = 0; i < inputs; ++i) {
      x[std::size_t(i) * std::size_t(count) + std::size_t(s)] =
          random_case.bits[std::size_t(s) * std::size_t(inputs) + std::size_t(i)];
    }
  }
  network.prepare(GateChoice::Discrete, 2);
  network.forward(x.data(), workspace, 2);
  std::vector<int> counts(std::size_t(count) * std::size_t(classes));
  for (std::size_t k = 0; k < counts.size(); ++k) {
    counts[k] = int(std::lround(workspace.scores[k] * network.spec().tau));
  }
  return counts;
}

TEST(LogicBitPacked, MatchesDiscretisedFloatForwardOnRandomInputs) {
  // Sizes that are not multiples of 64 or of a block, groups that are not multiples of 8.
  const int shapes[][5] = {
      {30, 2, 40, 4, 300}, {100, 4, 150, 10, 257}, {17, 1, 9, 3, 64}, {64, 3, 2000, 10, 520}};
  std::uint64_t seed = 1;
  for (const auto& shape : shapes) {
    RandomCase random_case = make_case(shape[0], shape[1], shape[2], shape[3], shape[4], seed++);
    const BitPackedNetwork packed(discretize(random_case.network));
    EXPECT_EQ(packed.class_counts(random_case.bits.data(), random_case.count), float_counts(random_case))
        << "shape " << shape[0] << " inputs, " << shape[1] << "x" << shape[2];
  }
}

TEST(LogicBitPacked, HistogramsCountEveryGate) {
  RandomCase random_case = make_case(20, 3, 50, 5, 1, 3);
  const auto histograms = gate_histograms(discretize(random_case.network));
  ASSERT_EQ(histograms.size(), 3u);
  for (const auto& layer : histograms) {
    long long total = 0;
    for (long long n : layer) total += n;
    EXPECT_EQ(total, 50);
  }
}

TEST(LogicExportC, CompiledCGivesTheSameCountsBitForBit) {
  if (std::system("cc --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no system C compiler (cc)";
  RandomCase random_case = make_case(40, 3, 60, 6, 64, 5);
  const DiscreteNetwork discrete = discretize(random_case.network);
  const auto expected = BitPackedNetwork(discrete).class_counts(random_case.bits.data(), 64);

  const auto folder =
      std::filesystem::temp_directory_path() / ("penumbra_logic_export_" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  write_c_file(folder / "net.c", discrete);
  // The driver reads 40 packed words from stdin and prints the 64 × 6 counts.
  std::ofstream(folder / "driver.c")
      << "#include <stdio.h>\n#include \"net.c\"\n"
         "int main(void) {\n"
         "  uint64_t in[LOGIC_NET_INPUTS];\n"
         "  int counts[64 * LOGIC_NET_CLASSES];\n"
         "  for (int i = 0; i < LOGIC_NET_INPUTS; ++i)\n"
         "    if (scanf(\"%llu\", (unsigned long long*)&in[i]) != 1) return 1;\n"
         "  logic_net_eval(in, counts);\n"
         "  for (int k = 0; k < 64 * LOGIC_NET_CLASSES; ++k) printf(\"%d\\n\", counts[k]);\n"
         "  return 0;\n}\n";
  {
    std::ofstream input(folder / "input.txt");
    for (int i = 0; i < 40; ++i) {
      std::uint64_t word = 0;
      for (int s = 0; s < 64; ++s)
        word |= std::uint64_t(random_case.bits[std::size_t(s) * 40 + std::size_t(i)]) << s;
      input << word << '\n';
    }
  }
  const std::string compile = "cc -std=c99 -O1 -Wall -Werror -o " + (folder / "driver").string() + " " +
                              (folder / "driver.c").string();
  ASSERT_EQ(std::system(compile.c_str()), 0) << compile;
  const std::string run = (folder / "driver").string() + " < " + (folder / "input.txt").string();
  FILE* pipe = popen(run.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::vector<int> actual;
  int value = 0;
  while (std::fscanf(pipe, "%d", &value) == 1) actual.push_back(value);
  EXPECT_EQ(pclose(pipe), 0);
  EXPECT_EQ(actual, expected);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace penumbra::test
