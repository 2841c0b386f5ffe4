// Oracles: the truth tables of the 16 gates; the exact expectation under independent Bernoulli inputs;
// the bitwise forms evaluated lane by lane.
#include <gtest/gtest.h>

#include <cstdint>

#include "penumbra/logic/gates.h"

namespace penumbra::test {

using namespace logic;

namespace {

// Truth tables written out by hand, outputs at (A, B) = 00, 01, 10, 11.
constexpr int kTables[kGateCount][4] = {{0, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 1, 0}, {0, 0, 1, 1},
                                        {0, 1, 0, 0}, {0, 1, 0, 1}, {0, 1, 1, 0}, {0, 1, 1, 1},
                                        {1, 0, 0, 0}, {1, 0, 0, 1}, {1, 0, 1, 0}, {1, 0, 1, 1},
                                        {1, 1, 0, 0}, {1, 1, 0, 1}, {1, 1, 1, 0}, {1, 1, 1, 1}};

TEST(LogicGates, RelaxationsEqualTruthTablesAtTheCorners) {
  for (int id = 0; id < kGateCount; ++id) {
    for (int a = 0; a <= 1; ++a) {
      for (int b = 0; b <= 1; ++b) {
        EXPECT_EQ(gate_truth(id, a, b), kTables[id][2 * a + b]) << gate_name(id);
        EXPECT_EQ(relaxed_gate<double>(id, a, b), double(kTables[id][2 * a + b])) << gate_name(id);
      }
    }
  }
}

TEST(LogicGates, RelaxationsAreBernoulliExpectations) {
  const double points[][2] = {{0.3, 0.8}, {0.5, 0.5}, {0.9, 0.1}, {0.25, 0.0}, {1.0, 0.6}};
  for (int id = 0; id < kGateCount; ++id) {
    for (const auto& point : points) {
      const double p = point[0], q = point[1];
      const double expectation = (1 - p) * (1 - q) * kTables[id][0] + (1 - p) * q * kTables[id][1] +
                                 p * (1 - q) * kTables[id][2] + p * q * kTables[id][3];
      EXPECT_NEAR(relaxed_gate<double>(id, p, q), expectation, 1e-15) << gate_name(id);
    }
  }
}

TEST(LogicGates, BitwiseFormsMatchTruthTablesInEveryLane) {
  // Lanes 4k + 2a + b hold every input pair many times over.
  std::uint64_t a = 0, b = 0;
  for (int lane = 0; lane < 64; ++lane) {
    a |= std::uint64_t((lane >> 1) & 1) << lane;
    b |= std::uint64_t(lane & 1) << lane;
  }
  for (int id = 0; id < kGateCount; ++id) {
    const std::uint64_t out = bitwise_gate<std::uint64_t>(id, a, b);
    for (int lane = 0; lane < 64; ++lane) {
      EXPECT_EQ(int((out >> lane) & 1), kTables[id][lane & 3]) << gate_name(id) << " lane " << lane;
    }
  }
}

}  // namespace
}  // namespace penumbra::test
