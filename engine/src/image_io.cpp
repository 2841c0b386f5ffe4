// Image files through stb (PNG and JPEG in, PNG out, box resampling), NumPy .npy for exact float comparisons,
// each written through write_file_atomically.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "penumbra/error.h"
#include "penumbra/image.h"

namespace penumbra {
namespace {

// What one image may hold: 8192 x 8192 pixels (1 GiB as float RGBA), and the file bytes read to get there.
constexpr std::int64_t kMaxImagePixels = std::int64_t(1) << 26;
constexpr std::uintmax_t kMaxImageFileBytes = std::uintmax_t(1) << 30;

std::uint32_t big_endian_u32(const stbi_uc* bytes) {
  return std::uint32_t(bytes[0]) << 24 | std::uint32_t(bytes[1]) << 16 | std::uint32_t(bytes[2]) << 8 |
         std::uint32_t(bytes[3]);
}

// stb allocates a PNG chunk's declared length before it reads the chunk, so a few forged bytes could make it
// allocate gigabytes: every chunk must lie inside the file before stb sees it.
void require_png_chunks_inside(const stbi_uc* bytes, std::size_t size, const std::string& where) {
  static constexpr stbi_uc kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (size < 8 || std::memcmp(bytes, kSignature, 8) != 0) return;
  std::size_t offset = 8;
  while (size - offset >= 8) {
    const std::uint64_t length = big_endian_u32(bytes + offset);
    // length, type, data, CRC
    if (length + 12 > size - offset) {
      throw Error("PNG chunk at byte " + std::to_string(offset) + " claims " + std::to_string(length) +
                      " bytes, more than the file holds",
                  where, "the file is truncated or damaged; re-export it");
    }
    if (std::memcmp(bytes + offset + 4, "IEND", 4) == 0) return;
    offset += std::size_t(length) + 12;
  }
}

// Decodes with stb at 16 bits per channel when the file has them, else 8; always to RGBA.
ImageFile decode(const stbi_uc* bytes, std::size_t size, const std::string& where) {
  if (size == 0 || size > std::size_t(INT_MAX)) {
    throw Error("image file is empty or too large", where, "give a PNG or JPEG image");
  }
  require_png_chunks_inside(bytes, size, where);
  const int length = int(size);
  int width = 0, height = 0, channels = 0;
  if (stbi_info_from_memory(bytes, length, &width, &height, &channels) &&
      std::int64_t(width) * height > kMaxImagePixels) {
    throw Error("image of " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels is larger than " + "the 8192x8192 Penumbra reads",
                where, "downscale the image");
  }
  ImageFile file;
  if (stbi_is_16_bit_from_memory(bytes, length)) {
    stbi_us* pixels = stbi_load_16_from_memory(bytes, length, &width, &height, &channels, 4);
    if (!pixels) {
      throw Error(std::string("cannot read image: ") + stbi_failure_reason(), where,
                  "give a valid PNG or JPEG");
    }
    file.pixels = Images(1, height, width);
    for (std::size_t i = 0; i < file.pixels.rgba.size(); ++i) file.pixels.rgba[i] = pixels[i] / 65535.0f;
    stbi_image_free(pixels);
  } else {
    stbi_uc* pixels = stbi_load_from_memory(bytes, length, &width, &height, &channels, 4);
    if (!pixels) {
      throw Error(std::string("cannot read image: ") + stbi_failure_reason(), where,
                  "give a valid PNG or JPEG");
    }
    file.pixels = Images(1, height, width);
    for (std::size_t i = 0; i < file.pixels.rgba.size(); ++i) file.pixels.rgba[i] = pixels[i] / 255.0f;
    stbi_image_free(pixels);
  }
  file.channels = channels;
  return file;
}

void write_to_string(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
}

}  // namespace

ImageFile read_image(std::span<const unsigned char> bytes, const std::string& where) {
  return decode(bytes.data(), bytes.size(), where);
}

ImageFile read_image(const std::filesystem::path& path) {
  const std::string bytes = read_file(path, kMaxImageFileBytes, "image");
  return decode(reinterpret_cast<const stbi_uc*>(bytes.data()), bytes.size(), path.string());
}

Images load_image(const std::filesystem::path& path) { return read_image(path).pixels; }

Images resize_images(const Images& images, int width, int height) {
  if (width < 1 || height < 1) {
    throw Error("cannot resize images to " + std::to_string(width) + "x" + std::to_string(height),
                "resize_images", "give a size of at least 1x1");
  }
  if (width == images.width && height == images.height) return images;
  Images result(images.views, height, width);
  for (int view = 0; view < images.views; ++view) {
    const int done =
        stbir_resize_float_generic(images.rgba.data() + images.index(view, 0, 0), images.width, images.height,
                                   0, result.rgba.data() + result.index(view, 0, 0), width, height, 0, 4, 3,
                                   0, STBIR_EDGE_CLAMP, STBIR_FILTER_BOX, STBIR_COLORSPACE_LINEAR, nullptr);
    if (!done) throw Error("image resampling failed", "resize_images", "give a smaller image");
  }
  return result;
}

namespace {

// One view as 8-bit values with `channels` of its four channels (3: RGB, 4: RGBA), clamped to [0, 1].
std::vector<std::uint8_t> view_bytes(const Images& images, int view, int channels,
                                     const std::filesystem::path& path) {
  if (view < 0 || view >= images.views) {
    throw Error("view " + std::to_string(view) + " does not exist", path.string(),
                "the batch has " + std::to_string(images.views) + " views");
  }
  std::vector<std::uint8_t> bytes(images.pixels_per_view() * std::size_t(channels));
  const float* source = images.rgba.data() + images.index(view, 0, 0);
  for (std::size_t pixel = 0; pixel < images.pixels_per_view(); ++pixel) {
    for (int c = 0; c < channels; ++c) {
      const float value = source[4 * pixel + std::size_t(c)];
      const float clamped = std::isfinite(value) ? std::clamp(value, 0.0f, 1.0f) : 0.0f;
      bytes[pixel * std::size_t(channels) + std::size_t(c)] =
          static_cast<std::uint8_t>(std::lround(clamped * 255.0f));
    }
  }
  return bytes;
}

}  // namespace

void save_png(const Images& images, int view, const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = view_bytes(images, view, 4, path);
  std::string encoded;
  if (!stbi_write_png_to_func(write_to_string, &encoded, images.width, images.height, 4, bytes.data(),
                              images.width * 4)) {
    throw Error("cannot encode PNG", path.string(), "check the image size");
  }
  write_file_atomically(path, encoded);
}

void save_jpeg(const Images& images, int view, const std::filesystem::path& path, int quality) {
  if (quality < 1 || quality > 100) {
    throw Error("JPEG quality " + std::to_string(quality) + " is out of range", path.string(),
                "use 1 to 100");
  }
  const std::vector<std::uint8_t> bytes = view_bytes(images, view, 3, path);
  std::string encoded;
  if (!stbi_write_jpg_to_func(write_to_string, &encoded, images.width, images.height, 3, bytes.data(),
                              quality)) {
    throw Error("cannot encode JPEG", path.string(), "check the image size");
  }
  write_file_atomically(path, encoded);
}

void save_npy(const Images& images, const std::filesystem::path& path) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(images.views) +
                       ", " + std::to_string(images.height) + ", " + std::to_string(images.width) + ", 4), }";
  // Version 1.0: magic, version, little-endian header length; the header pads to a multiple of 64 bytes.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  const auto length = static_cast<std::uint16_t>(header.size());
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes.push_back(static_cast<char>(length & 0xff));
  bytes.push_back(static_cast<char>(length >> 8));
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(images.rgba.data()), images.rgba.size() * sizeof(float));
  write_file_atomically(path, bytes);
}

}  // namespace penumbra
