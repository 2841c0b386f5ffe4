// Tiny networks must learn Boolean functions exactly: after discretisation, XOR and 3-bit parity are
// classified without error on all inputs.
#include <gtest/gtest.h>

#include "penumbra/logic/training_run.h"

namespace penumbra::test {

using namespace logic;

namespace {

// Every assignment of `bits` inputs, labelled by parity.
BinaryDataset parity_table(int bits) {
  BinaryDataset data;
  data.name = "parity";
  data.inputs = bits;
  data.classes = 2;
  data.count = 1 << bits;
  for (int row = 0; row < data.count; ++row) {
    int ones = 0;
    for (int i = 0; i < bits; ++i) {
      data.bits.push_back(std::uint8_t((row >> i) & 1));
      ones += (row >> i) & 1;
    }
    data.labels.push_back(std::uint8_t(ones % 2));
  }
  return data;
}

Accuracy train_on_table(int bits, int layers, int width, long long steps) {
  const BinaryDataset table = parity_table(bits);
  NetworkSpec spec;
  spec.inputs = bits;
  spec.layers = layers;
  spec.width = width;
  spec.classes = 2;
  spec.tau = 1.0f;
  spec.seed = 1;
  LogicNetwork network(spec);
  RunSettings run;
  run.steps = steps;
  run.eval_every = steps;
  run.train.batch = 16;
  run.train.learning_rate = 0.05;
  return run_training(network, table, table, run).back().test;
}

TEST(LogicLearning, LearnsXorExactly) {
  const Accuracy accuracy = train_on_table(2, 2, 8, 600);
  EXPECT_EQ(accuracy.discrete, 1.0);
  EXPECT_EQ(accuracy.relaxed, 1.0);
}

TEST(LogicLearning, LearnsThreeBitParityExactly) {
  const Accuracy accuracy = train_on_table(3, 3, 16, 2000);
  EXPECT_EQ(accuracy.discrete, 1.0);
}

}  // namespace
}  // namespace penumbra::test
