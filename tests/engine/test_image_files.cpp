// Image files that lie about their size: a PNG chunk that claims more bytes than the file holds, and a header
// that claims more pixels than Penumbra reads, are refused before stb allocates for them; a real PNG written by
// save_png reads back.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "penumbra/error.h"
#include "penumbra/image.h"

namespace penumbra {
namespace {

std::string big_endian(std::uint32_t value) {
  return {char(value >> 24), char((value >> 16) & 0xff), char((value >> 8) & 0xff), char(value & 0xff)};
}

// Signature and an IHDR chunk of `width` x `height` 8-bit RGBA (the CRC is not checked before the sizes).
std::string png_start(std::uint32_t width, std::uint32_t height) {
  std::string bytes("\x89PNG\r\n\x1a\n", 8);
  bytes +=
      big_endian(13) + "IHDR" + big_endian(width) + big_endian(height) + std::string("\x08\x06\0\0\0", 5);
  bytes += big_endian(0);
  return bytes;
}

ImageFile read(const std::string& bytes) {
  return read_image(std::span(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()),
                    "forged.png");
}

TEST(ImageFiles, AChunkLongerThanTheFileIsRefused) {
  const std::string bytes = png_start(16, 16) + big_endian(0x7ffffff0) + "IDAT" + "abcd";
  try {
    read(bytes);
    FAIL() << "accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("more than the file holds"), std::string::npos) << error.what();
    EXPECT_EQ(error.where(), "forged.png");
  }
}

TEST(ImageFiles, MorePixelsThanPenumbraReadsAreRefusedFromTheHeader) {
  const std::string bytes = png_start(10000, 10000) + big_endian(0) + "IEND" + big_endian(0);
  try {
    read(bytes);
    FAIL() << "accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("10000x10000"), std::string::npos) << error.what();
  }
}

TEST(ImageFiles, APngWrittenBySavePngReadsBack) {
  Images image(1, 3, 5, 0.5f);
  const auto path = std::filesystem::temp_directory_path() / "penumbra_image_files.png";
  save_png(image, 0, path);
  const ImageFile file = read_image(path);
  EXPECT_EQ(file.pixels.width, 5);
  EXPECT_EQ(file.pixels.height, 3);
  EXPECT_NEAR(file.pixels.at(0, 2, 4, 0), 128.0f / 255.0f, 1e-6f);
}

}  // namespace
}  // namespace penumbra
