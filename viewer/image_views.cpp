#include "image_views.h"

#include <algorithm>
#include <cmath>

namespace penumbra::viewer {

namespace {

std::uint8_t to_byte(float value) {
  return std::uint8_t(std::lround(std::clamp(value, 0.0f, 1.0f) * 255.0f));
}

constexpr float kBackground = 0.12f;

}  // namespace

std::array<std::uint8_t, 3> heat_color(float t) {
  // Piecewise-linear through five stops of a magma-like ramp.
  static constexpr float stops[5][3] = {{0.00f, 0.00f, 0.02f},
                                        {0.32f, 0.07f, 0.45f},
                                        {0.78f, 0.20f, 0.38f},
                                        {0.98f, 0.55f, 0.16f},
                                        {0.99f, 0.98f, 0.62f}};
  const float x = std::clamp(t, 0.0f, 1.0f) * 4.0f;
  const int i = std::min(int(x), 3);
  const float f = x - float(i);
  return {to_byte(stops[i][0] + f * (stops[i + 1][0] - stops[i][0])),
          to_byte(stops[i][1] + f * (stops[i + 1][1] - stops[i][1])),
          to_byte(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]))};
}

std::vector<std::uint8_t> color_pixels(const Images& images, int view) {
  std::vector<std::uint8_t> pixels(images.pixels_per_view() * 4);
  const float* in = images.rgba.data() + images.index(view, 0, 0);
  for (std::size_t p = 0; p < images.pixels_per_view(); ++p) {
    const float alpha = std::clamp(in[4 * p + 3], 0.0f, 1.0f);
    for (int c = 0; c < 3; ++c)
      pixels[4 * p + c] = to_byte(in[4 * p + c] * alpha + kBackground * (1.0f - alpha));
    pixels[4 * p + 3] = 255;
  }
  return pixels;
}

std::vector<std::uint8_t> silhouette_pixels(const Images& images, int view) {
  std::vector<std::uint8_t> pixels(images.pixels_per_view() * 4);
  const float* in = images.rgba.data() + images.index(view, 0, 0);
  for (std::size_t p = 0; p < images.pixels_per_view(); ++p) {
    const std::uint8_t grey = to_byte(in[4 * p + 3]);
    pixels[4 * p + 0] = pixels[4 * p + 1] = pixels[4 * p + 2] = grey;
    pixels[4 * p + 3] = 255;
  }
  return pixels;
}

std::vector<std::uint8_t> difference_pixels(const Images& a, const Images& b, int view) {
  std::vector<std::uint8_t> pixels(a.pixels_per_view() * 4);
  const float* in_a = a.rgba.data() + a.index(view, 0, 0);
  const float* in_b = b.rgba.data() + b.index(view, 0, 0);
  for (std::size_t p = 0; p < a.pixels_per_view(); ++p) {
    const auto color = heat_color(std::abs(in_a[4 * p + 3] - in_b[4 * p + 3]));
    std::copy(color.begin(), color.end(), pixels.begin() + std::ptrdiff_t(4 * p));
    pixels[4 * p + 3] = 255;
  }
  return pixels;
}

}  // namespace penumbra::viewer
