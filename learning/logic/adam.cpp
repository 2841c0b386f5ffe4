#include "logic/adam.h"

#include <cmath>

#include "logic/parallel_for.h"
#include "penumbra/error.h"

namespace penumbra::logic {

Adam::Adam(std::size_t size, AdamSettings settings)
    : settings_(settings), first_moment_(size, 0.0f), second_moment_(size, 0.0f) {}

void Adam::step(std::span<float> params, std::span<const float> grads, int threads) {
  if (params.size() != first_moment_.size() || grads.size() != first_moment_.size()) {
    throw Error("Adam step with arrays of the wrong size", "Adam::step",
                "pass the parameters the optimiser was made for");
  }
  ++steps_;
  const AdamSettings s = settings_;
  const float correction1 = 1.0f - std::pow(s.beta1, float(steps_));
  const float correction2 = 1.0f - std::pow(s.beta2, float(steps_));
  const float step_size = s.learning_rate / correction1;
  const float sqrt_correction2 = std::sqrt(correction2);
  parallel_for(threads, params.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const float g = grads[i];
      float& m = first_moment_[i];
      float& v = second_moment_[i];
      m = s.beta1 * m + (1.0f - s.beta1) * g;
      v = s.beta2 * v + (1.0f - s.beta2) * g * g;
      params[i] -= step_size * m / (std::sqrt(v) / sqrt_correction2 + s.epsilon);
    }
  });
}

}  // namespace penumbra::logic
