#pragma once
/// A batch of float RGBA images, row-major [view][row][col][channel], row 0 at the top, and image files.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "penumbra/files.h"

namespace penumbra {

struct Images {
  int views = 0;
  int height = 0;
  int width = 0;
  std::vector<float> rgba;  ///< views * height * width * 4 floats

  Images() = default;
  Images(int views_, int height_, int width_, float fill = 0.0f)
      : views(views_),
        height(height_),
        width(width_),
        rgba(static_cast<std::size_t>(views_) * height_ * width_ * 4, fill) {}

  std::size_t index(int view, int row, int col, int channel = 0) const {
    return ((static_cast<std::size_t>(view) * height + row) * width + col) * 4 + channel;
  }
  float& at(int view, int row, int col, int channel) { return rgba[index(view, row, col, channel)]; }
  float at(int view, int row, int col, int channel) const { return rgba[index(view, row, col, channel)]; }
  std::size_t pixels_per_view() const { return static_cast<std::size_t>(height) * width; }
};

/// An image file read as one RGBA view in [0, 1], and how many channels the file stored.
struct ImageFile {
  Images pixels;     ///< grey is copied to RGB; alpha is 1 where the file has none
  int channels = 0;  ///< 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA
  bool has_alpha() const { return channels == 2 || channels == 4; }
};

/// Reads a PNG or JPEG, 8 or 16 bits per channel (stb_image); throws penumbra::Error naming the file if it is
/// missing, unreadable or of another format.
ImageFile read_image(const std::filesystem::path& path);
/// The same from the bytes of such a file held in memory (e.g. a texture embedded in a .glb); `where` names
/// it in errors.
ImageFile read_image(std::span<const unsigned char> bytes, const std::string& where);
/// read_image(path).pixels.
Images load_image(const std::filesystem::path& path);

/// Resamples every view to width x height with a box filter (area average when shrinking); alpha-weighted, so
/// colours of transparent pixels do not bleed. Throws penumbra::Error for a size below 1.
Images resize_images(const Images& images, int width, int height);

/// Writes one view as an 8-bit RGBA PNG (values clamped to [0, 1]), atomically; throws penumbra::Error if
/// unwritable.
void save_png(const Images& images, int view, const std::filesystem::path& path);
/// Writes one view's RGB as a JPEG of the given quality (1-100; alpha is dropped), atomically.
void save_jpeg(const Images& images, int view, const std::filesystem::path& path, int quality = 95);
/// Writes all views as float32 NumPy .npy of shape [views, height, width, 4], atomically.
void save_npy(const Images& images, const std::filesystem::path& path);

}  // namespace penumbra
