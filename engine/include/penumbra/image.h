#pragma once
/// A batch of float RGBA images, row-major [view][row][col][channel], row 0 at the top.
#include <cstddef>
#include <filesystem>
#include <vector>

namespace penumbra {

struct Images {
  int views = 0;
  int height = 0;
  int width = 0;
  std::vector<float> rgba;  ///< views * height * width * 4 floats

  Images() = default;
  Images(int views_, int height_, int width_, float fill = 0.0f)
      : views(views_), height(height_), width(width_),
        rgba(static_cast<std::size_t>(views_) * height_ * width_ * 4, fill) {}

  std::size_t index(int view, int row, int col, int channel = 0) const {
    return ((static_cast<std::size_t>(view) * height + row) * width + col) * 4 + channel;
  }
  float& at(int view, int row, int col, int channel) { return rgba[index(view, row, col, channel)]; }
  float at(int view, int row, int col, int channel) const { return rgba[index(view, row, col, channel)]; }
  std::size_t pixels_per_view() const { return static_cast<std::size_t>(height) * width; }
};

/// Writes one view as an 8-bit RGBA PNG (values clamped to [0, 1]); throws penumbra::Error if unwritable.
void save_png(const Images& images, int view, const std::filesystem::path& path);
/// Writes all views as float32 NumPy .npy of shape [views, height, width, 4].
void save_npy(const Images& images, const std::filesystem::path& path);
/// Reads a PNG as one view (RGBA in [0, 1]); throws penumbra::Error naming the file if unreadable.
Images load_png(const std::filesystem::path& path);

}  // namespace penumbra
