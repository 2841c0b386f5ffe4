#pragma once
/// Image losses between a render and its target, each with its exact backward. Both images have the same
/// shape [view][row][col][rgba]; every loss is a mean over views, so its scale does not depend on the batch.
#include "penumbra/image.h"

namespace penumbra::learning {

/// Which channels a pixel loss compares.
enum class Channels { rgb, alpha, rgba };

/// Silhouette IoU loss on alpha: mean over views of `1 - Σ p t / (Σ (p + t - p t) + 1e-6)` (the 1e-6, as in
/// SoftRas, keeps empty views finite). Adds `weight * dL/dpred` into `dL_dpred` when it is not null.
double silhouette_iou_loss(const Images& pred, const Images& target, Images* dL_dpred, double weight = 1.0);

/// Mean absolute error over the chosen channels of every pixel; the gradient at equality is 0.
double l1_loss(const Images& pred, const Images& target, Channels channels, Images* dL_dpred,
               double weight = 1.0);

/// Mean squared error over the chosen channels of every pixel.
double l2_loss(const Images& pred, const Images& target, Channels channels, Images* dL_dpred,
               double weight = 1.0);

}  // namespace penumbra::learning
