#pragma once
/// A loss curve drawn into an image (no plotting library): white background, black axes with numbered ticks
/// (each decade on a log scale, with 2x and 5x inside when it spans at most two; "nice" steps of 1, 2 or 5
/// times a power of ten otherwise), a title
/// naming the y quantity and "step" under the x axis, the curve in blue. The caller writes it with
/// penumbra::save_png.
#include <string>
#include <vector>

#include "penumbra/image.h"

namespace penumbra::learning {

/// Plots `values` (values[i] belongs to step i + 1) into a width x height image. With `log_scale` the y axis
/// is log10 (non-positive values are left out). `y_label` is the title above the plot. Throws
/// penumbra::Error for a size below 160 x 100.
Images plot_loss_curve(const std::vector<double>& values, int width, int height, bool log_scale,
                       const std::string& y_label = "loss");

/// Tick positions for an axis over [low, high]: about `count` multiples of 1, 2 or 5 times a power of ten.
std::vector<double> nice_ticks(double low, double high, int count);

}  // namespace penumbra::learning
