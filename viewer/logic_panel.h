#pragma once
// The logic-network tab: a small difflogic network trains on binarised Fashion-MNIST on its own thread;
// the panel shows relaxed and discretised test accuracy curves, the chosen gates per layer and a few test
// images with the discretised network's prediction.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "background_job.h"
#include "penumbra/logic/gates.h"
#include "snapshot_exchange.h"

namespace penumbra::viewer {

class TextureCache;

class LogicPanel {
 public:
  static constexpr int kShownImages = 8;

  void show(TextureCache& textures);
  /// Starts the panel's training on its thread (no effect while one runs).
  void start_training();

 private:
  struct TrainingProgress {
    std::vector<float> loss, relaxed, discrete;
    std::vector<std::array<long long, logic::kGateCount>> gate_histograms;  // [layer][gate]
    std::vector<std::uint8_t> images;  // kShownImages test images, 28 x 28 bits each
    std::vector<std::uint8_t> labels, predictions;
    long long step = 0;
    std::string status;
  };

  void show_histograms(float width) const;
  void show_predictions(TextureCache& textures, float width);

  int layers_ = 4;
  int width_ = 2000;
  float tau_ = 10.0f;
  int steps_ = 20000;
  SnapshotExchange<TrainingProgress> progress_;
  TrainingProgress shown_;
  std::uint64_t seen_version_ = 0;
  std::uint64_t uploaded_version_ = 0;
  BackgroundJob job_;  // last: joined before the members it uses go away
};

}  // namespace penumbra::viewer
