#include "penumbra/sort/four_digit_sets.h"

#include <string>

#include "penumbra/error.h"

namespace penumbra::sort {
namespace {

// Fashion-MNIST's pixel mean and standard deviation (of byte / 255): centred inputs train the scorer faster.
constexpr float kPixelMean = 0.2860f;
constexpr float kPixelStd = 0.3530f;

}  // namespace

FourDigitSets::FourDigitSets(const data::LabelledImages& images, int first, int count)
    : images_(images), first_(first), count_(count) {
  if (images.rows != kImageSide || images.cols != kImageSide) {
    throw Error("four-digit sets need 28 x 28 images, got " + std::to_string(images.rows) + " x " +
                    std::to_string(images.cols),
                "images", "use (Fashion-)MNIST");
  }
  if (first < 0 || count < 1 || first + count > images.count) {
    throw Error("image range [" + std::to_string(first) + ", " + std::to_string(first + count) +
                    ") is outside the split of " + std::to_string(images.count) + " images",
                "images", "choose a range inside the split");
  }
}

void FourDigitSets::sample(std::mt19937_64& rng, int set_count, int n, std::span<float> pixels,
                           std::span<int> values) const {
  const std::size_t elements = static_cast<std::size_t>(set_count) * n;
  if (pixels.size() != elements * element_size() || values.size() != elements) {
    throw Error("output buffers do not hold " + std::to_string(set_count) + " sets of " + std::to_string(n),
                "FourDigitSets::sample", "size pixels as sets * n * 28 * 112 and values as sets * n");
  }
  std::uniform_int_distribution<int> pick(first_, first_ + count_ - 1);
  constexpr int side = kImageSide;
  constexpr int row_width = kDigits * side;
  for (std::size_t element = 0; element < elements; ++element) {
    float* element_pixels = pixels.data() + element * element_size();
    int number = 0;
    for (int digit = 0; digit < kDigits; ++digit) {
      const int image = pick(rng);
      number = 10 * number + images_.labels[image];
      const std::uint8_t* source = images_.pixels.data() + static_cast<std::size_t>(image) * side * side;
      for (int row = 0; row < side; ++row) {
        for (int col = 0; col < side; ++col) {
          element_pixels[row * row_width + digit * side + col] =
              (source[row * side + col] / 255.0f - kPixelMean) / kPixelStd;
        }
      }
    }
    values[element] = number;
  }
}

}  // namespace penumbra::sort
