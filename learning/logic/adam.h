#pragma once
// Adam optimiser over one flat array of parameters.
#include <cstddef>
#include <span>
#include <vector>

namespace penumbra::logic {

/// Adam's step size and moment decay rates (Kingma & Ba); difflogic trains with lr 0.01.
struct AdamSettings {
  float learning_rate = 0.01f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
};

/// Keeps the first and second moments of `size` parameters.
class Adam {
 public:
  Adam(std::size_t size, AdamSettings settings);
  /// One bias-corrected update of params from grads (both of the size given to the constructor).
  void step(std::span<float> params, std::span<const float> grads, int threads);

 private:
  AdamSettings settings_;
  std::vector<float> first_moment_;
  std::vector<float> second_moment_;
  long long steps_ = 0;
};

}  // namespace penumbra::logic
