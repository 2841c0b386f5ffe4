#include "penumbra/core/optimiser.h"

#include <cmath>
#include <string>

#include "penumbra/core/parallel_for.h"
#include "penumbra/error.h"

namespace penumbra::core {

Optimiser::Optimiser(OptimiserSettings settings, std::size_t parameters)
    : settings_(settings),
      parameters_(parameters),
      state_((settings.kind == OptimiserKind::adam ? 2 : 1) * parameters, 0.0f) {}

void Optimiser::step(std::span<float> parameters, std::span<const float> gradients, double learning_rate,
                     int threads) {
  if (parameters.size() != parameters_ || gradients.size() != parameters_) {
    throw Error("optimiser got " + std::to_string(parameters.size()) + " parameters and " +
                    std::to_string(gradients.size()) + " gradients, expected " + std::to_string(parameters_),
                "Optimiser::step", "pass the arrays it was created for");
  }
  ++steps_;
  if (settings_.kind == OptimiserKind::sgd) {
    float* velocity = state_.data();
    const double momentum = settings_.momentum;
    parallel_chunks(parameters_, threads, [&](std::size_t begin, std::size_t end, int) {
      for (std::size_t i = begin; i < end; ++i) {
        velocity[i] = float(momentum * velocity[i] + gradients[i]);
        parameters[i] -= float(learning_rate * velocity[i]);
      }
    });
    return;
  }
  float* m = state_.data();
  float* v = state_.data() + parameters_;
  const double b1 = settings_.beta1, b2 = settings_.beta2, epsilon = settings_.epsilon;
  // Bias-corrected step size, as in Kingma & Ba's Algorithm 1 (efficient form).
  const double correction1 = 1.0 - std::pow(b1, double(steps_));
  const double correction2 = 1.0 - std::pow(b2, double(steps_));
  const double step_size = learning_rate / correction1;
  parallel_chunks(parameters_, threads, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t i = begin; i < end; ++i) {
      const double g = gradients[i];
      m[i] = float(b1 * m[i] + (1.0 - b1) * g);
      v[i] = float(b2 * v[i] + (1.0 - b2) * g * g);
      parameters[i] -= float(step_size * m[i] / (std::sqrt(v[i] / correction2) + epsilon));
    }
  });
}

void Optimiser::restore(std::vector<float> state, std::int64_t steps) {
  if (state.size() != state_.size() || steps < 0) {
    throw Error("optimiser state of " + std::to_string(state.size()) + " floats does not fit one of " +
                    std::to_string(state_.size()),
                "Optimiser::restore", "restore a state saved by an optimiser of the same kind and size");
  }
  state_ = std::move(state);
  steps_ = steps;
}

std::string_view name(OptimiserKind kind) { return kind == OptimiserKind::adam ? "adam" : "sgd"; }

OptimiserKind parse_optimiser_kind(std::string_view text) {
  if (text == "adam") return OptimiserKind::adam;
  if (text == "sgd") return OptimiserKind::sgd;
  throw Error("unknown optimiser '" + std::string(text) + "'", "optimiser", "use adam or sgd");
}

}  // namespace penumbra::core
