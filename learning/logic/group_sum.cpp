#include "penumbra/logic/group_sum.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace penumbra::logic {

void group_sum_forward(const float* y, int width, int batch, int classes, float tau, float* scores) {
  const std::size_t n = std::size_t(batch);
  const int group = width / classes;
  std::vector<float> sums(n);
  for (int c = 0; c < classes; ++c) {
    std::fill(sums.begin(), sums.end(), 0.0f);
    for (int j = c * group; j < (c + 1) * group; ++j) {
      const float* row = y + std::size_t(j) * n;
      for (std::size_t s = 0; s < n; ++s) sums[s] += row[s];
    }
    for (std::size_t s = 0; s < n; ++s) scores[s * std::size_t(classes) + std::size_t(c)] = sums[s] / tau;
  }
}

void group_sum_backward(const float* dL_dscores, int width, int batch, int classes, float tau, float* dL_dy) {
  const std::size_t n = std::size_t(batch);
  const int group = width / classes;
  for (int j = 0; j < width; ++j) {
    const std::size_t c = std::size_t(j / group);
    float* row = dL_dy + std::size_t(j) * n;
    for (std::size_t s = 0; s < n; ++s) row[s] = dL_dscores[s * std::size_t(classes) + c] / tau;
  }
}

double softmax_cross_entropy(const float* scores, const std::uint8_t* labels, int batch, int classes,
                             float* dL_dscores) {
  double loss = 0.0;
  for (int s = 0; s < batch; ++s) {
    const float* score = scores + std::size_t(s) * std::size_t(classes);
    float* grad = dL_dscores + std::size_t(s) * std::size_t(classes);
    const float top = *std::max_element(score, score + classes);
    double total = 0.0;
    for (int c = 0; c < classes; ++c) total += std::exp(double(score[c] - top));
    const int label = labels[s];
    loss += std::log(total) - double(score[label] - top);
    for (int c = 0; c < classes; ++c) {
      const double p = std::exp(double(score[c] - top)) / total;
      grad[c] = float((p - (c == label ? 1.0 : 0.0)) / batch);
    }
  }
  return loss / batch;
}

}  // namespace penumbra::logic
