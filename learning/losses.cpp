#include "penumbra/learning/losses.h"

#include <cmath>
#include <string>

#include "penumbra/error.h"

namespace penumbra::learning {
namespace {

constexpr double kUnionEpsilon = 1e-6;

void check_shapes(const Images& pred, const Images& target, const Images* dL_dpred, const char* loss) {
  const auto same = [&](const Images& other) {
    return other.views == pred.views && other.height == pred.height && other.width == pred.width &&
           other.rgba.size() == pred.rgba.size();
  };
  if (!same(target) || (dL_dpred != nullptr && !same(*dL_dpred))) {
    throw Error(std::string(loss) + ": images of shape [" + std::to_string(pred.views) + ", " +
                    std::to_string(pred.height) + ", " + std::to_string(pred.width) + ", 4] and [" +
                    std::to_string(target.views) + ", " + std::to_string(target.height) + ", " +
                    std::to_string(target.width) + ", 4] (and the gradient) differ",
                loss, "compare a render with a target of the same views and size");
  }
}

std::pair<int, int> channel_range(Channels channels) {
  switch (channels) {
    case Channels::rgb:
      return {0, 3};
    case Channels::alpha:
      return {3, 4};
    case Channels::rgba:
      return {0, 4};
  }
  return {0, 4};
}

// One pixel-wise loss: `value(difference)` summed, `slope(difference)` its derivative.
template <typename Value, typename Slope>
double pixel_loss(const Images& pred, const Images& target, Channels channels, Images* dL_dpred,
                  double weight, Value value, Slope slope) {
  const auto [first, last] = channel_range(channels);
  const std::size_t pixels = std::size_t(pred.views) * pred.pixels_per_view();
  const double count = double(pixels) * double(last - first);
  if (count == 0.0) return 0.0;
  double sum = 0.0;
  for (std::size_t p = 0; p < pixels; ++p) {
    for (int c = first; c < last; ++c) {
      const std::size_t i = p * 4 + std::size_t(c);
      const double difference = double(pred.rgba[i]) - double(target.rgba[i]);
      sum += value(difference);
      if (dL_dpred != nullptr) dL_dpred->rgba[i] += float(weight * slope(difference) / count);
    }
  }
  return sum / count;
}

}  // namespace

double silhouette_iou_loss(const Images& pred, const Images& target, Images* dL_dpred, double weight) {
  check_shapes(pred, target, dL_dpred, "silhouette_iou_loss");
  if (pred.views == 0) return 0.0;
  const std::size_t pixels = pred.pixels_per_view();
  double loss = 0.0;
  for (int view = 0; view < pred.views; ++view) {
    const std::size_t base = std::size_t(view) * pixels * 4 + 3;
    double intersection = 0.0, union_ = 0.0;
    for (std::size_t p = 0; p < pixels; ++p) {
      const double a = pred.rgba[base + p * 4], t = target.rgba[base + p * 4];
      intersection += a * t;
      union_ += a + t - a * t;
    }
    const double denominator = union_ + kUnionEpsilon;
    loss += 1.0 - intersection / denominator;
    if (dL_dpred == nullptr) continue;
    // d/da of -I/U with dI/da = t and dU/da = 1 - t.
    const double scale = weight / double(pred.views) / (denominator * denominator);
    for (std::size_t p = 0; p < pixels; ++p) {
      const double t = target.rgba[base + p * 4];
      dL_dpred->rgba[base + p * 4] += float(-scale * (t * denominator - intersection * (1.0 - t)));
    }
  }
  return loss / double(pred.views);
}

double l1_loss(const Images& pred, const Images& target, Channels channels, Images* dL_dpred, double weight) {
  check_shapes(pred, target, dL_dpred, "l1_loss");
  return pixel_loss(
      pred, target, channels, dL_dpred, weight, [](double d) { return std::abs(d); },
      [](double d) { return d > 0.0 ? 1.0 : (d < 0.0 ? -1.0 : 0.0); });
}

double l2_loss(const Images& pred, const Images& target, Channels channels, Images* dL_dpred, double weight) {
  check_shapes(pred, target, dL_dpred, "l2_loss");
  return pixel_loss(
      pred, target, channels, dL_dpred, weight, [](double d) { return d * d; },
      [](double d) { return 2.0 * d; });
}

}  // namespace penumbra::learning
