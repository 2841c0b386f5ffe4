#pragma once
/// Adam (Kingma & Ba 2015) on a flat parameter vector. penumbra_sort keeps its own small copy because it
/// must not depend on penumbra_learning, which builds on the renderer.
#include <cmath>
#include <span>
#include <vector>

namespace penumbra::sort {

template <typename Scalar>
class Adam {
 public:
  /// `size` parameters, step size `learning_rate`, the usual decay rates and epsilon.
  Adam(std::size_t size, double learning_rate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
      : learning_rate_(learning_rate), beta1_(beta1), beta2_(beta2), epsilon_(epsilon), first_(size), second_(size) {}

  /// Step size of the following updates (a schedule sets it before each step).
  void set_learning_rate(double learning_rate) { learning_rate_ = learning_rate; }

  /// One update of `parameters` from `gradients` (both of the size given at construction).
  void step(std::span<Scalar> parameters, std::span<const Scalar> gradients) {
    ++steps_;
    const double first_correction = 1 - std::pow(beta1_, steps_);
    const double second_correction = 1 - std::pow(beta2_, steps_);
    const auto step_size = static_cast<Scalar>(learning_rate_ * std::sqrt(second_correction) / first_correction);
    const auto beta1 = static_cast<Scalar>(beta1_);
    const auto beta2 = static_cast<Scalar>(beta2_);
    // Epsilon scaled so that it applies to the bias-corrected second moment, as in the paper.
    const auto epsilon = static_cast<Scalar>(epsilon_ * std::sqrt(second_correction));
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      const Scalar gradient = gradients[i];
      first_[i] = beta1 * first_[i] + (1 - beta1) * gradient;
      second_[i] = beta2 * second_[i] + (1 - beta2) * gradient * gradient;
      parameters[i] -= step_size * first_[i] / (std::sqrt(second_[i]) + epsilon);
    }
  }

 private:
  double learning_rate_;
  double beta1_;
  double beta2_;
  double epsilon_;
  int steps_ = 0;
  std::vector<Scalar> first_;
  std::vector<Scalar> second_;
};

}  // namespace penumbra::sort
