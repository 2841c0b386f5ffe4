#include "penumbra/learning/result_images.h"

#include <algorithm>
#include <cmath>

#include "penumbra/error.h"

namespace penumbra::learning {

Images over_checkerboard(const Images& images) {
  Images result = images;
  const int cell = std::max(4, images.width / 16);
  for (int view = 0; view < images.views; ++view) {
    for (int row = 0; row < images.height; ++row) {
      for (int col = 0; col < images.width; ++col) {
        const float background = (row / cell + col / cell) % 2 == 0 ? 0.6f : 0.4f;
        const float alpha = std::clamp(images.at(view, row, col, 3), 0.0f, 1.0f);
        for (int c = 0; c < 3; ++c) {
          const float color = std::clamp(images.at(view, row, col, c), 0.0f, 1.0f);
          result.at(view, row, col, c) = alpha * color + (1.0f - alpha) * background;
        }
        result.at(view, row, col, 3) = 1.0f;
      }
    }
  }
  return result;
}

Images comparison_grid(const Images& targets, const Images& results) {
  if (targets.views != results.views || targets.width != results.width || targets.height != results.height) {
    throw Error("comparison of differently shaped batches", "comparison_grid",
                "render the result like the targets");
  }
  constexpr int kGap = 2;
  const int width = targets.width, height = targets.height;
  Images grid(1, targets.views * (height + kGap) - kGap, 3 * width + 2 * kGap, 1.0f);
  const Images target = over_checkerboard(targets), result = over_checkerboard(results);
  for (int view = 0; view < targets.views; ++view) {
    const int top = view * (height + kGap);
    for (int row = 0; row < height; ++row) {
      for (int col = 0; col < width; ++col) {
        for (int c = 0; c < 3; ++c) {
          const float t = target.at(view, row, col, c), r = result.at(view, row, col, c);
          grid.at(0, top + row, col, c) = t;
          grid.at(0, top + row, width + kGap + col, c) = r;
          grid.at(0, top + row, 2 * (width + kGap) + col, c) = std::abs(t - r);
        }
      }
    }
  }
  return grid;
}

}  // namespace penumbra::learning
