#include "penumbra/logic/logic_layer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "penumbra/logic/gates.h"
#include "penumbra/core/parallel_for.h"
#include "penumbra/error.h"

namespace penumbra::logic {
namespace {

// Sums over the batch are split into this many interleaved partial sums: independent chains that the
// compiler can keep in one vector register, in a fixed order so results stay deterministic.
constexpr std::size_t kLanes = 8;

// e^x for x ≤ 0, relative error below 3e-7: 2^n by exponent bits times a degree-6 Taylor polynomial of
// the remainder r, |r| ≤ ln2/2.
// Branch-free, so the 16 exponentials of a softmax vectorise (std::exp is a call per element).
inline float exp_nonpositive(float x) {
  x = std::max(x, -87.0f);
  // Adding and subtracting 1.5·2^23 rounds to the nearest integer (vectorises, unlike nearbyint).
  const float n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
  const float r = (x - n * 0.693145752f) - n * 1.42860677e-6f;
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const std::uint32_t bits = std::uint32_t(int(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof(scale));
  return p * scale;
}

constexpr auto kGateCoefficients = [] {
  std::array<std::array<float, 4>, kGateCount> table{};
  for (int id = 0; id < kGateCount; ++id) table[static_cast<std::size_t>(id)] = gate_coefficients(id);
  return table;
}();

}  // namespace

LogicLayer::LogicLayer(int inputs, int outputs, WiringScheme scheme, GateInit init, std::uint64_t seed,
                       float residual_logit)
    : inputs_(inputs), wiring_(make_wiring(scheme, inputs, outputs, seed)) {
  logits_.assign(std::size_t(outputs) * kGateCount, 0.0f);
  if (init == GateInit::Gaussian) {
    // A stream apart from the wiring's, so that changing the init keeps the wiring.
    std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& logit : logits_) logit = normal(rng);
  } else {
    for (int j = 0; j < outputs; ++j) {
      logits_[std::size_t(j) * kGateCount + std::size_t(Gate::A)] = residual_logit;
    }
  }
  dL_dlogits_.assign(logits_.size(), 0.0f);
}

LogicLayer::LogicLayer(int inputs, Wiring wiring, std::vector<float> logits)
    : inputs_(inputs), wiring_(std::move(wiring)), logits_(std::move(logits)) {
  const std::size_t outputs = wiring_.a.size();
  if (inputs < 1 || outputs == 0 || wiring_.b.size() != outputs || logits_.size() != outputs * kGateCount) {
    throw Error("inconsistent logic layer: wiring and logits disagree in size", "LogicLayer",
                "give 16 logits and one (a, b) pair per neuron");
  }
  for (std::size_t j = 0; j < outputs; ++j) {
    if (wiring_.a[j] >= std::uint32_t(inputs) || wiring_.b[j] >= std::uint32_t(inputs)) {
      throw Error("logic layer wiring reads an input out of range", "neuron " + std::to_string(j),
                  "each wire must index one of the layer's " + std::to_string(inputs) + " inputs");
    }
  }
  dL_dlogits_.assign(logits_.size(), 0.0f);
}

void LogicLayer::prepare(GateChoice choice, int threads) {
  const std::size_t count = std::size_t(outputs());
  probabilities_.resize(count * kGateCount);
  coefficients_.resize(count * 4);
  core::parallel_chunks(count, threads, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t j = begin; j < end; ++j) {
      const float* logit = &logits_[j * kGateCount];
      float* p = &probabilities_[j * kGateCount];
      float* c = &coefficients_[j * 4];
      if (choice == GateChoice::Discrete) {
        const auto& chosen = kGateCoefficients[std::size_t(argmax_gate(int(j)))];
        std::copy(chosen.begin(), chosen.end(), c);
        continue;
      }
      // Softmax with the maximum subtracted, so large logits cannot overflow.
      const float top = *std::max_element(logit, logit + kGateCount);
      for (int i = 0; i < kGateCount; ++i) p[i] = exp_nonpositive(logit[i] - top);
      float total = 0.0f;
      for (int i = 0; i < kGateCount; ++i) total += p[i];
      const float inverse_total = 1.0f / total;
      std::fill(c, c + 4, 0.0f);
      for (int i = 0; i < kGateCount; ++i) {
        p[i] *= inverse_total;
        for (int k = 0; k < 4; ++k) c[k] += p[i] * kGateCoefficients[std::size_t(i)][std::size_t(k)];
      }
    }
  });
}

void LogicLayer::forward(const float* x, float* y, int batch, int threads) const {
  const std::size_t n = std::size_t(batch);
  core::parallel_chunks(std::size_t(outputs()), threads, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t j = begin; j < end; ++j) {
      const float* a = x + wiring_.a[j] * n;
      const float* b = x + wiring_.b[j] * n;
      const float* c = &coefficients_[j * 4];
      const float c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
      float* out = y + j * n;
      for (std::size_t s = 0; s < n; ++s) out[s] = c0 + c1 * a[s] + c2 * b[s] + c3 * a[s] * b[s];
    }
  });
}

void LogicLayer::backward(const float* x, const float* dL_dy, float* dL_dx, int batch, int threads) {
  const std::size_t n = std::size_t(batch);
  const std::size_t count = std::size_t(outputs());

  // Logit gradients, per neuron: the batch sums of g·{1, a, b, ab} give dL/dp_i for all 16 gates at once,
  // then the softmax Jacobian maps dL/dp to dL/dlogits.
  core::parallel_chunks(count, threads, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t j = begin; j < end; ++j) {
      const float* a = x + wiring_.a[j] * n;
      const float* b = x + wiring_.b[j] * n;
      const float* g = dL_dy + j * n;
      float lane_g[kLanes] = {}, lane_ga[kLanes] = {}, lane_gb[kLanes] = {}, lane_gab[kLanes] = {};
      std::size_t s = 0;
      for (; s + kLanes <= n; s += kLanes) {
        for (std::size_t k = 0; k < kLanes; ++k) {
          const float gs = g[s + k];
          lane_g[k] += gs;
          lane_ga[k] += gs * a[s + k];
          lane_gb[k] += gs * b[s + k];
          lane_gab[k] += gs * a[s + k] * b[s + k];
        }
      }
      for (std::size_t k = 0; s < n; ++s, ++k) {
        lane_g[k] += g[s];
        lane_ga[k] += g[s] * a[s];
        lane_gb[k] += g[s] * b[s];
        lane_gab[k] += g[s] * a[s] * b[s];
      }
      float sum_g = 0.0f, sum_ga = 0.0f, sum_gb = 0.0f, sum_gab = 0.0f;
      for (std::size_t k = 0; k < kLanes; ++k) {
        sum_g += lane_g[k];
        sum_ga += lane_ga[k];
        sum_gb += lane_gb[k];
        sum_gab += lane_gab[k];
      }
      const float* p = &probabilities_[j * kGateCount];
      std::array<float, kGateCount> dL_dp{};
      float expected = 0.0f;
      for (int i = 0; i < kGateCount; ++i) {
        const auto& k = kGateCoefficients[std::size_t(i)];
        dL_dp[std::size_t(i)] = k[0] * sum_g + k[1] * sum_ga + k[2] * sum_gb + k[3] * sum_gab;
        expected += p[i] * dL_dp[std::size_t(i)];
      }
      float* dL_dlogit = &dL_dlogits_[j * kGateCount];
      for (int i = 0; i < kGateCount; ++i) dL_dlogit[i] = p[i] * (dL_dp[std::size_t(i)] - expected);
    }
  });
  if (dL_dx == nullptr) return;

  // Input gradients, split over the batch so that every thread owns its columns of dL_dx: no races, and
  // the neurons are always visited in the same order, so sums are deterministic.
  core::parallel_chunks(n, threads, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t i = 0; i < std::size_t(inputs_); ++i)
      std::fill(dL_dx + i * n + begin, dL_dx + i * n + end, 0.0f);
    for (std::size_t j = 0; j < count; ++j) {
      const float* a = x + wiring_.a[j] * n;
      const float* b = x + wiring_.b[j] * n;
      const float* g = dL_dy + j * n;
      float* dL_da = dL_dx + wiring_.a[j] * n;
      float* dL_db = dL_dx + wiring_.b[j] * n;
      const float* c = &coefficients_[j * 4];
      const float c1 = c[1], c2 = c[2], c3 = c[3];
      for (std::size_t s = begin; s < end; ++s) {
        const float gs = g[s];
        const float bs = b[s];
        const float as = a[s];
        dL_da[s] += gs * (c1 + c3 * bs);
        dL_db[s] += gs * (c2 + c3 * as);
      }
    }
  });
}

int LogicLayer::argmax_gate(int neuron) const {
  const float* logit = &logits_[std::size_t(neuron) * kGateCount];
  return int(std::max_element(logit, logit + kGateCount) - logit);
}

}  // namespace penumbra::logic
