// Oracle: central finite differences of the whole network's loss (logic layers, GroupSum, cross-entropy)
// with respect to every gate logit and every input, in float with steps large enough to stay above
// rounding and small enough for the O(h²) error to stay below the tolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "penumbra/logic/group_sum.h"
#include "penumbra/logic/logic_network.h"

namespace penumbra::test {

using namespace logic;

namespace {

constexpr int kBatch = 5;

struct Problem {
  NetworkSpec spec;
  std::vector<float> x;  // inputs × batch
  std::vector<std::uint8_t> labels;
};

Problem make_problem(GateInit init) {
  Problem problem;
  problem.spec.inputs = 6;
  problem.spec.layers = 3;
  problem.spec.width = 8;
  problem.spec.classes = 2;
  problem.spec.tau = 0.5f;
  problem.spec.init = init;
  problem.spec.residual_logit = 2.0f;
  problem.spec.seed = 4;
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> unit(0.05f, 0.95f);
  problem.x.resize(std::size_t(problem.spec.inputs) * kBatch);
  for (float& v : problem.x) v = unit(rng);
  for (int s = 0; s < kBatch; ++s) problem.labels.push_back(std::uint8_t(s % 2));
  return problem;
}

double loss_of(LogicNetwork& network, const Problem& problem, NetworkWorkspace& workspace) {
  network.prepare(GateChoice::Relaxed, 1);
  network.forward(problem.x.data(), workspace, 1);
  std::vector<float> unused(workspace.scores.size());
  return softmax_cross_entropy(workspace.scores.data(), problem.labels.data(), kBatch, problem.spec.classes,
                               unused.data());
}

void expect_close(double analytic, double numeric, const std::string& what) {
  EXPECT_NEAR(analytic, numeric, 2e-4 + 1e-2 * std::abs(numeric)) << what;
}

class LogicGradients : public ::testing::TestWithParam<GateInit> {};

TEST_P(LogicGradients, LogitAndInputGradientsMatchFiniteDifferences) {
  Problem problem = make_problem(GetParam());
  LogicNetwork network(problem.spec);
  NetworkWorkspace workspace = network.make_workspace(kBatch);
  loss_of(network, problem, workspace);
  std::vector<float> dL_dx(problem.x.size());
  network.backward(problem.x.data(), problem.labels.data(), workspace, 1, dL_dx.data());

  std::vector<std::vector<float>> dL_dlogits;
  for (const auto& layer : network.layers()) {
    dL_dlogits.emplace_back(layer.dL_dlogits().begin(), layer.dL_dlogits().end());
  }
  double largest = 0.0;
  const float h = 1e-2f;
  for (std::size_t l = 0; l < network.layers().size(); ++l) {
    auto logits = network.layers()[l].logits();
    for (std::size_t i = 0; i < logits.size(); ++i) {
      const float kept = logits[i];
      logits[i] = kept + h;
      const double up = loss_of(network, problem, workspace);
      logits[i] = kept - h;
      const double down = loss_of(network, problem, workspace);
      logits[i] = kept;
      const double numeric = (up - down) / (2.0 * h);
      largest = std::max(largest, std::abs(numeric));
      expect_close(dL_dlogits[l][i], numeric, "layer " + std::to_string(l) + " logit " + std::to_string(i));
    }
  }
  for (std::size_t i = 0; i < problem.x.size(); ++i) {
    const float kept = problem.x[i];
    problem.x[i] = kept + h;
    const double up = loss_of(network, problem, workspace);
    problem.x[i] = kept - h;
    const double down = loss_of(network, problem, workspace);
    problem.x[i] = kept;
    expect_close(dL_dx[i], (up - down) / (2.0 * h), "input " + std::to_string(i));
  }
  EXPECT_GT(largest, 1e-3) << "the check is vacuous: no logit moves the loss";
}

INSTANTIATE_TEST_SUITE_P(BothInits, LogicGradients,
                         ::testing::Values(GateInit::Gaussian, GateInit::Residual));

TEST(LogicGradients, TrainingIsTheSameForAnyThreadCount) {
  Problem problem = make_problem(GateInit::Gaussian);
  LogicNetwork one(problem.spec), two(problem.spec);
  NetworkWorkspace w1 = one.make_workspace(kBatch), w2 = two.make_workspace(kBatch);
  std::vector<float> g1(problem.x.size()), g2(problem.x.size());
  one.prepare(GateChoice::Relaxed, 1);
  two.prepare(GateChoice::Relaxed, 3);
  one.forward(problem.x.data(), w1, 1);
  two.forward(problem.x.data(), w2, 3);
  EXPECT_EQ(one.backward(problem.x.data(), problem.labels.data(), w1, 1, g1.data()),
            two.backward(problem.x.data(), problem.labels.data(), w2, 3, g2.data()));
  EXPECT_EQ(g1, g2);
  for (std::size_t l = 0; l < one.layers().size(); ++l) {
    const auto a = one.layers()[l].dL_dlogits(), b = two.layers()[l].dL_dlogits();
    EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin())) << "layer " << l;
  }
}

}  // namespace
}  // namespace penumbra::test
