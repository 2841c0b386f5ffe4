#include "penumbra/learning/loss_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "penumbra/error.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_easy_font.h>
#pragma GCC diagnostic pop

namespace penumbra::learning {
namespace {

// Pixels between the image border and the plot area: room for tick labels left and below, a title above.
constexpr int kLeft = 64, kRight = 16, kTop = 28, kBottom = 40;

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
  int text_width(const std::string& text) const {
    return stb_easy_font_width(const_cast<char*>(text.c_str()));
  }
  // Black text with its top-left corner at (x, y): stb_easy_font's quads filled pixel by pixel.
  void text(int x, int y, const std::string& text) {
    std::vector<float> quads(300 * 16 * (text.size() + 1));  // stb uses about 270 bytes per character
    const int count = stb_easy_font_print(float(x), float(y), const_cast<char*>(text.c_str()), nullptr,
                                          quads.data(), int(quads.size() * sizeof(float)));
    for (int q = 0; q < count; ++q) {
      const float* corner = quads.data() + 16 * q;  // four vertices of x, y, z and 4 colour bytes each
      const int x0 = int(corner[0]), y0 = int(corner[1]), x1 = int(corner[8]), y1 = int(corner[9]);
      for (int py = y0; py < y1; ++py) {
        for (int px = x0; px < x1; ++px) set(px, py, 0, 0, 0);
      }
    }
  }
};

std::string tick_label(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", std::abs(value) < 1e-12 ? 0.0 : value);
  return text;
}

// Log-axis ticks (in log10 units) over whole decades [low, high]: each decade, and 2x and 5x within it when
// the axis spans two decades or fewer.
std::vector<double> log_ticks(double low, double high) {
  std::vector<double> ticks;
  const bool fine = high - low <= 2.0;
  for (double decade = low; decade <= high + 1e-9; decade += 1.0) {
    ticks.push_back(decade);
    if (!fine || decade + 1.0 > high + 1e-9) continue;
    ticks.push_back(decade + std::log10(2.0));
    ticks.push_back(decade + std::log10(5.0));
  }
  return ticks;
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int count) {
  std::vector<double> ticks;
  if (!(high > low) || count < 1) return ticks;
  const double rough = (high - low) / count;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = power;
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * power;
    if (step >= rough) break;
  }
  for (double t = std::ceil(low / step - 1e-9) * step; t <= high + 1e-9 * step; t += step) ticks.push_back(t);
  return ticks;
}

Images plot_loss_curve(const std::vector<double>& values, int width, int height, bool log_scale,
                       const std::string& y_label) {
  if (width < 160 || height < 100) {
    throw Error("loss plot of " + std::to_string(width) + "x" + std::to_string(height) + " is too small",
                "plot_loss_curve", "use at least 160x100");
  }
  Images image(1, height, width, 1.0f);
  Canvas canvas{image};
  const int left = kLeft, right = width - kRight, top = kTop, bottom = height - kBottom;

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

  canvas.text(left, top - 18, y_label + (log_scale ? " (log scale)" : ""));
  canvas.text((left + right) / 2 - canvas.text_width("step") / 2, bottom + 24, "step");
  const auto to_y = [&](double t) {
    return int(std::lround(bottom - (t - low) / (high - low) * (bottom - top)));
  };
  if (any) {
    const std::vector<double> y_ticks = log_scale ? log_ticks(low, high) : nice_ticks(low, high, 5);
    for (const double t : y_ticks) {
      const int y = to_y(t);
      canvas.line(left - 4, y, left, y, 0, 0, 0);
      for (int x = left + 1; x < right; x += 4) canvas.set(x, y, 0.85f, 0.85f, 0.85f);
      const std::string label = tick_label(log_scale ? std::pow(10.0, t) : t);
      canvas.text(left - 8 - canvas.text_width(label), y - 4, label);
    }
  }
  // Steps 1 .. n along x.
  const double last_step = std::max<double>(2.0, double(values.size()));
  const auto to_x = [&](double step) {
    return int(std::lround(left + (step - 1.0) / (last_step - 1.0) * (right - left)));
  };
  for (const double step : nice_ticks(1.0, last_step, 6)) {
    const int x = to_x(step);
    canvas.line(x, bottom, x, bottom + 4, 0, 0, 0);
    const std::string label = tick_label(step);
    canvas.text(x - canvas.text_width(label) / 2, bottom + 8, label);
  }
  canvas.line(left, top, left, bottom, 0, 0, 0);
  canvas.line(left, bottom, right, bottom, 0, 0, 0);
  if (!any) return image;

  // The curve: consecutive plottable points joined by lines.
  int previous_x = -1, previous_y = -1;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!std::isfinite(v) || (log_scale && v <= 0.0)) continue;
    const int x = to_x(double(i + 1));
    const int y = to_y(transform(v));
    if (previous_x >= 0) canvas.line(previous_x, previous_y, x, y, 0.1f, 0.3f, 0.9f);
    previous_x = x;
    previous_y = y;
  }
  return image;
}

}  // namespace penumbra::learning
