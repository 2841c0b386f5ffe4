#pragma once
// GroupSum head: the last layer's neurons split into one contiguous group per class; a class score is
// its group's sum divided by the temperature τ. Scores feed a softmax cross-entropy.
#include <cstdint>

namespace penumbra::logic {

/// scores[s·classes + c] = Σ_{j in group c} y[j·batch + s] / tau, for y of width × batch
/// (width divisible by classes).
void group_sum_forward(const float* y, int width, int batch, int classes, float tau, float* scores);

/// dL_dy[j·batch + s] = dL_dscores[s·classes + group(j)] / tau.
void group_sum_backward(const float* dL_dscores, int width, int batch, int classes, float tau, float* dL_dy);

/// Mean softmax cross-entropy of scores (batch × classes) against labels; writes its gradient.
double softmax_cross_entropy(const float* scores, const std::uint8_t* labels, int batch, int classes,
                             float* dL_dscores);

}  // namespace penumbra::logic
