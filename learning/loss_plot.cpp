#include "loss_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "penumbra/error.h"

namespace penumbra::learning {
namespace {

constexpr int kMargin = 12;  // pixels between the image border and the axes

struct Canvas {
  Images& image;
  void set(int x, int y, float r, float g, float b) {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
    image.at(0, y, x, 0) = r;
    image.at(0, y, x, 1) = g;
    image.at(0, y, x, 2) = b;
  }
  // Bresenham line.
  void line(int x0, int y0, int x1, int y1, float r, float g, float b) {
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
    const int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int error = dx + dy;
    while (true) {
      set(x0, y0, r, g, b);
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * error;
      if (e2 >= dy) error += dy, x0 += sx;
      if (e2 <= dx) error += dx, y0 += sy;
    }
  }
};

}  // namespace

Images plot_loss_curve(const std::vector<double>& values, int width, int height, bool log_scale) {
  if (width < 32 || height < 32) {
    throw Error("loss plot of " + std::to_string(width) + "x" + std::to_string(height) + " is too small",
                "plot_loss_curve", "use at least 32x32");
  }
  Images image(1, height, width, 1.0f);
  Canvas canvas{image};
  const int left = kMargin, right = width - kMargin, top = kMargin, bottom = height - kMargin;

  const auto transform = [log_scale](double v) { return log_scale ? std::log10(v) : v; };
  double low = std::numeric_limits<double>::max(), high = std::numeric_limits<double>::lowest();
  for (double v : values) {
    if (!std::isfinite(v) || (log_scale && v <= 0.0)) continue;
    low = std::min(low, transform(v));
    high = std::max(high, transform(v));
  }
  const bool any = low <= high;
  if (any && high - low < 1e-12) low -= 0.5, high += 0.5;
  if (any && log_scale) low = std::floor(low), high = std::ceil(high);
  if (any && !log_scale) low = std::min(low, 0.0);

  const auto to_y = [&](double t) {
    return int(std::lround(bottom - (t - low) / (high - low) * (bottom - top)));
  };
  // Ticks on the y axis: one per decade, or ten on a linear axis.
  if (any) {
    const double tick = log_scale ? 1.0 : (high - low) / 10.0;
    for (double t = low; t <= high + 1e-9; t += tick) {
      const int y = to_y(t);
      canvas.line(left - 4, y, left, y, 0, 0, 0);
      for (int x = left + 1; x < right; x += 4) canvas.set(x, y, 0.85f, 0.85f, 0.85f);
    }
  }
  for (int i = 0; i <= 10; ++i) {
    const int x = left + (right - left) * i / 10;
    canvas.line(x, bottom, x, bottom + 4, 0, 0, 0);
  }
  canvas.line(left, top, left, bottom, 0, 0, 0);
  canvas.line(left, bottom, right, bottom, 0, 0, 0);
  if (!any) return image;

  // The curve: consecutive plottable points joined by lines.
  const double last = std::max<double>(1.0, double(values.size() - 1));
  int previous_x = -1, previous_y = -1;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!std::isfinite(v) || (log_scale && v <= 0.0)) continue;
    const int x = int(std::lround(left + double(i) / last * (right - left)));
    const int y = to_y(transform(v));
    if (previous_x >= 0) canvas.line(previous_x, previous_y, x, y, 0.1f, 0.3f, 0.9f);
    previous_x = x;
    previous_y = y;
  }
  return image;
}

}  // namespace penumbra::learning
