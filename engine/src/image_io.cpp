// PNG through stb, and NumPy .npy for exact float comparisons.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>

#include "penumbra/error.h"
#include "penumbra/image.h"

namespace penumbra {

void save_png(const Images& images, int view, const std::filesystem::path& path) {
  if (view < 0 || view >= images.views) {
    throw Error("view " + std::to_string(view) + " does not exist", path.string(),
                "the batch has " + std::to_string(images.views) + " views");
  }
  std::vector<std::uint8_t> bytes(images.pixels_per_view() * 4);
  const float* source = images.rgba.data() + images.index(view, 0, 0);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const float value = std::isfinite(source[i]) ? std::clamp(source[i], 0.0f, 1.0f) : 0.0f;
    bytes[i] = static_cast<std::uint8_t>(std::lround(value * 255.0f));
  }
  if (!stbi_write_png(path.string().c_str(), images.width, images.height, 4, bytes.data(), images.width * 4)) {
    throw Error("cannot write PNG", path.string(), "check that the folder exists and is writable");
  }
}

void save_npy(const Images& images, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error("cannot write .npy file", path.string(), "check that the folder exists and is writable");
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(images.views) + ", " +
                       std::to_string(images.height) + ", " + std::to_string(images.width) + ", 4), }";
  // Version 1.0: magic, version, little-endian header length; the header pads to a multiple of 64 bytes.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  const auto length = static_cast<std::uint16_t>(header.size());
  out.write("\x93NUMPY\x01\x00", 8);
  const char length_bytes[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
  out.write(length_bytes, 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(images.rgba.data()),
            static_cast<std::streamsize>(images.rgba.size() * sizeof(float)));
  if (!out) throw Error("failed while writing .npy file", path.string(), "check free disk space");
}

Images load_png(const std::filesystem::path& path) {
  int width = 0, height = 0, channels = 0;
  stbi_uc* pixels = stbi_load(path.string().c_str(), &width, &height, &channels, 4);
  if (!pixels) {
    throw Error(std::string("cannot read PNG: ") + stbi_failure_reason(), path.string(),
                "check that the file exists and is a valid PNG");
  }
  Images image(1, height, width);
  for (std::size_t i = 0; i < image.rgba.size(); ++i) image.rgba[i] = pixels[i] / 255.0f;
  stbi_image_free(pixels);
  return image;
}

}  // namespace penumbra
