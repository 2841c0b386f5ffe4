#pragma once
/// A loss curve drawn into an image (no plotting library): white background, black axes with a tick per
/// decade (log scale) or per tenth (linear), the curve in blue. The caller writes it with penumbra::save_png.
#include <vector>

#include "penumbra/image.h"

namespace penumbra::learning {

/// Plots `values` (one per step) over the step axis into a width x height image. With `log_scale` the y axis
/// is log10 (non-positive values are left out). Throws penumbra::Error for a size below 32 x 32.
Images plot_loss_curve(const std::vector<double>& values, int width, int height, bool log_scale);

}  // namespace penumbra::learning
