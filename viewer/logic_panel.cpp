#include "logic_panel.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>

#include <imgui.h>

#include "image_views.h"
#include "penumbra/logic/binary_dataset.h"
#include "penumbra/logic/bit_packed_network.h"
#include "penumbra/logic/discrete_network.h"
#include "penumbra/logic/logic_network.h"
#include "penumbra/logic/trainer.h"
#include "texture_cache.h"

namespace penumbra::viewer {

namespace {

constexpr const char* kClassNames[10] = {"T-shirt", "trouser", "pullover", "dress", "coat",
                                         "sandal",  "shirt",   "sneaker",  "bag",   "boot"};
constexpr int kEvaluateEvery = 100;  // steps between curve points
constexpr int kTestSamples = 2000;   // test images per evaluation: enough for a curve, quick on one core
constexpr int kImageSide = 28;
constexpr const char* kImagesTexture = "logic test images";

}  // namespace

void LogicPanel::start_training() {
  if (job_.running()) return;
  job_.start([this, layers = layers_, width = width_, tau = tau_,
              steps = steps_](const std::atomic<bool>& stop_requested) {
    TrainingProgress progress;
    TrainingProgress staged;
    auto publish = [&] {
      staged = progress;
      progress_.publish(staged);
    };
    progress.status = "loading Fashion-MNIST";
    publish();
    try {
      logic::DatasetSplits data = logic::load_binary_splits("fashion-mnist", "", {0.5f});
      logic::keep_first(data.test, kTestSamples);
      logic::NetworkSpec spec;
      spec.inputs = data.train.inputs;
      spec.layers = layers;
      spec.width = width;
      spec.classes = 10;
      spec.tau = tau;
      logic::LogicNetwork network(spec);
      logic::TrainSettings settings;
      settings.batch = 64;
      logic::Trainer trainer(network, data.train, settings);
      progress.images.assign(data.test.bits.begin(),
                             data.test.bits.begin() + std::ptrdiff_t(kShownImages) * data.test.inputs);
      progress.labels.assign(data.test.labels.begin(), data.test.labels.begin() + kShownImages);
      progress.status = "training";

      double loss_sum = 0.0;
      for (long long step = 1; step <= steps && !stop_requested; ++step) {
        loss_sum += trainer.step();
        if (step % kEvaluateEvery != 0 && step != steps) continue;
        const logic::Accuracy accuracy = logic::evaluate(network, data.test, 1);
        const logic::DiscreteNetwork discrete = logic::discretize(network);
        progress.loss.push_back(float(loss_sum / kEvaluateEvery));
        progress.relaxed.push_back(float(accuracy.relaxed));
        progress.discrete.push_back(float(accuracy.discrete));
        progress.gate_histograms = logic::gate_histograms(discrete);
        progress.predictions = logic::BitPackedNetwork(discrete).predict(data.test.bits.data(), kShownImages);
        progress.step = step;
        loss_sum = 0.0;
        publish();
      }
      progress.status = stop_requested ? "stopped" : "done";
    } catch (const std::exception& error) {
      progress.status = error.what();
    }
    publish();
  });
}

void LogicPanel::show(TextureCache& textures) {
  progress_.copy_if_newer(shown_, seen_version_);
  ImGui::BeginChild("logic controls", ImVec2(340, 0), true);
  ImGui::TextUnformatted("Logic gate network (binarised Fashion-MNIST)");
  ImGui::SliderInt("layers", &layers_, 1, 8);
  ImGui::SliderInt("width", &width_, 100, 8000);
  width_ = std::max(10, width_ / 10 * 10);  // GroupSum needs a multiple of the 10 classes
  ImGui::SliderFloat("tau", &tau_, 1.0f, 100.0f, "%.1f", ImGuiSliderFlags_Logarithmic);
  ImGui::SliderInt("steps", &steps_, 100, 100000, "%d", ImGuiSliderFlags_Logarithmic);
  if (!job_.running()) {
    if (ImGui::Button("train")) start_training();
  } else if (ImGui::Button("stop")) {
    job_.stop();
  }
  if (!shown_.status.empty()) ImGui::TextWrapped("%s (step %lld)", shown_.status.c_str(), shown_.step);
  const float plot_width = ImGui::GetContentRegionAvail().x;
  char overlay[48] = "";
  if (!shown_.loss.empty()) std::snprintf(overlay, sizeof overlay, "loss %.3f", shown_.loss.back());
  ImGui::TextUnformatted("training cross-entropy");
  ImGui::PlotLines("##logic loss", shown_.loss.data(), int(shown_.loss.size()), 0, overlay, FLT_MAX, FLT_MAX,
                   ImVec2(plot_width, 70));
  if (!shown_.relaxed.empty()) std::snprintf(overlay, sizeof overlay, "relaxed %.3f", shown_.relaxed.back());
  ImGui::TextUnformatted("test accuracy, relaxed gates");
  ImGui::PlotLines("##logic relaxed", shown_.relaxed.data(), int(shown_.relaxed.size()), 0, overlay, 0.0f,
                   1.0f, ImVec2(plot_width, 70));
  if (!shown_.discrete.empty())
    std::snprintf(overlay, sizeof overlay, "discretised %.3f", shown_.discrete.back());
  ImGui::TextUnformatted("test accuracy, discretised (bit-packed)");
  ImGui::PlotLines("##logic discrete", shown_.discrete.data(), int(shown_.discrete.size()), 0, overlay, 0.0f,
                   1.0f, ImVec2(plot_width, 70));
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("logic views");
  const float width = ImGui::GetContentRegionAvail().x;
  show_histograms(width);
  show_predictions(textures, width);
  ImGui::EndChild();
}

void LogicPanel::show_histograms(float width) const {
  ImGui::TextUnformatted("chosen gate per layer (share of the layer's neurons)");
  if (shown_.gate_histograms.empty()) {
    ImGui::TextDisabled("train to see the gates");
    return;
  }
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float row_height = 26.0f;
  const float label_width = 70.0f;
  const float cell = (width - label_width) / float(logic::kGateCount);
  ImVec2 origin = ImGui::GetCursorScreenPos();
  // Gate names where they fit, otherwise ids with a legend below.
  bool names_fit = true;
  for (int gate = 0; gate < logic::kGateCount; ++gate)
    names_fit = names_fit && ImGui::CalcTextSize(logic::gate_name(gate)).x < cell - 2;
  for (int gate = 0; gate < logic::kGateCount; ++gate)
    draw->AddText(ImVec2(origin.x + label_width + cell * float(gate) + 2, origin.y),
                  IM_COL32(200, 200, 200, 255),
                  names_fit ? logic::gate_name(gate) : std::to_string(gate).c_str());
  origin.y += row_height;
  for (std::size_t layer = 0; layer < shown_.gate_histograms.size(); ++layer) {
    const auto& counts = shown_.gate_histograms[layer];
    long long total = 0;
    for (long long count : counts) total += count;
    char label[32];
    std::snprintf(label, sizeof label, "layer %zu", layer + 1);
    const float y = origin.y + float(layer) * row_height;
    draw->AddText(ImVec2(origin.x, y + 2), IM_COL32(200, 200, 200, 255), label);
    for (int gate = 0; gate < logic::kGateCount; ++gate) {
      const float share = total ? float(counts[std::size_t(gate)]) / float(total) : 0.0f;
      const float x = origin.x + label_width + cell * float(gate);
      // Bar height is the share; the colour saturates at a quarter of the layer.
      const auto color = heat_color(std::min(1.0f, 0.1f + 4.0f * share));
      draw->AddRectFilled(ImVec2(x, y + row_height - 2 - (row_height - 4) * std::min(1.0f, 4.0f * share)),
                          ImVec2(x + cell - 2, y + row_height - 2),
                          IM_COL32(color[0], color[1], color[2], 255));
    }
  }
  ImGui::Dummy(ImVec2(width, row_height * float(shown_.gate_histograms.size() + 1) + 4));
  if (!names_fit) {
    std::string legend;
    for (int gate = 0; gate < logic::kGateCount; ++gate)
      legend +=
          std::to_string(gate) + " " + logic::gate_name(gate) + (gate + 1 < logic::kGateCount ? ", " : "");
    ImGui::TextWrapped("%s", legend.c_str());
  }
}

void LogicPanel::show_predictions(TextureCache& textures, float width) {
  if (shown_.images.size() != std::size_t(kShownImages) * kImageSide * kImageSide) return;
  if (uploaded_version_ != seen_version_) {
    // The images side by side in one texture, white bits on black.
    std::vector<std::uint8_t> pixels(std::size_t(kShownImages) * kImageSide * kImageSide * 4);
    for (int image = 0; image < kShownImages; ++image)
      for (int row = 0; row < kImageSide; ++row)
        for (int col = 0; col < kImageSide; ++col) {
          const std::uint8_t bit = shown_.images[std::size_t((image * kImageSide + row) * kImageSide + col)];
          std::uint8_t* out =
              &pixels[(std::size_t(row) * kShownImages * kImageSide + image * kImageSide + col) * 4];
          out[0] = out[1] = out[2] = bit ? 235 : 20;
          out[3] = 255;
        }
    textures.update(kImagesTexture, kShownImages * kImageSide, kImageSide, pixels);
    uploaded_version_ = seen_version_;
  }
  ImGui::TextUnformatted("test images (binarised) with the discretised network's prediction");
  const float side = std::min(96.0f, width / float(kShownImages) - 8.0f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (int image = 0; image < kShownImages; ++image) {
    const float x = origin.x + float(image) * (side + 8.0f);
    const float u = 1.0f / float(kShownImages);
    draw->AddImage(textures.id(kImagesTexture), ImVec2(x, origin.y), ImVec2(x + side, origin.y + side),
                   ImVec2(u * float(image), 0.0f), ImVec2(u * float(image + 1), 1.0f));
    if (std::size_t(image) >= shown_.predictions.size()) continue;
    const int predicted = shown_.predictions[std::size_t(image)];
    const int truth = shown_.labels[std::size_t(image)];
    draw->AddText(ImVec2(x, origin.y + side + 4),
                  predicted == truth ? IM_COL32(120, 220, 120, 255) : IM_COL32(240, 110, 110, 255),
                  kClassNames[predicted]);
    draw->AddText(ImVec2(x, origin.y + side + 20), IM_COL32(160, 160, 160, 255), kClassNames[truth]);
  }
  ImGui::Dummy(ImVec2(width, side + 40));
}

}  // namespace penumbra::viewer
