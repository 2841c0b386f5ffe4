#include "sort_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <sstream>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "penumbra/data/idx.h"
#include "image_views.h"
#include "penumbra/sort/soft_sort.h"

namespace penumbra::viewer {

namespace {

constexpr int kMaxWires = 32;

ImU32 to_imgui(const std::array<std::uint8_t, 3>& color) {
  return IM_COL32(color[0], color[1], color[2], 255);
}

std::string format_values(const std::vector<double>& values) {
  std::string text;
  char number[32];
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::snprintf(number, sizeof number, "%s%.2f", i ? ", " : "", values[i]);
    text += number;
  }
  return text;
}

}  // namespace

SortPanel::SortPanel() {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int i = 0; i < n_; ++i) values_.push_back(std::round(uniform(random_) * 100.0) / 100.0);
  values_text_ = format_values(values_);
  // A training small enough for a panel: one thread, small batches, frequent curve points.
  training_.n = 5;
  training_.steps = 3000;
  training_.sets_per_batch = 16;
  training_.hidden = {32};
  training_.eval_every = 20;
  training_.validation_sets = 100;
  training_.test_sets = 200;
  training_.threads = 1;
  training_.data_folder = data::default_fashion_mnist_folder();
  recompute();
}

void SortPanel::recompute() {
  const sort::SortingNetwork network = sort::SortingNetwork::create(kind_, n_);
  layers_ = network.layers();
  const sort::SoftSortResult<double> result = sort::soft_sort(network, relaxation_, values_);
  sorted_ = result.sorted;
  permutation_ = result.permutation;
}

void SortPanel::show() {
  ImGui::BeginChild("sort controls", ImVec2(340, 0), true);
  show_network_controls();
  ImGui::Separator();
  show_training();
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("sort drawing");
  const ImVec2 available = ImGui::GetContentRegionAvail();
  const float matrix_side = std::min(available.x * 0.4f, available.y - 40.0f);
  ImGui::TextUnformatted("network (dots: min wire, bars: max wire; colour: how decided each swap is)");
  show_network(available.x - matrix_side - 24.0f, matrix_side);
  ImGui::SameLine();
  ImGui::BeginGroup();
  show_permutation(matrix_side);
  ImGui::EndGroup();
  ImGui::EndChild();
}

void SortPanel::show_network_controls() {
  bool changed = false;
  ImGui::TextUnformatted("Relaxed sorting network");
  int kind = int(kind_);
  if (ImGui::Combo("network", &kind, "odd_even\0bitonic\0bitonic_mirror\0")) {
    kind_ = sort::NetworkKind(kind);
    changed = true;
  }
  int relaxation = int(relaxation_.kind);
  if (ImGui::Combo("relaxation", &relaxation,
                   "logistic\0logistic_phi\0gaussian\0reciprocal\0cauchy\0optimal\0")) {
    relaxation_.kind = sort::RelaxationKind(relaxation);
    changed = true;
  }
  float steepness = float(relaxation_.steepness);
  if (ImGui::SliderFloat("steepness", &steepness, 0.1f, 1000.0f, "%.2f",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    relaxation_.steepness = steepness;
    changed = true;
  }
  if (relaxation_.kind == sort::RelaxationKind::logistic_phi) {
    float lambda = float(relaxation_.art_lambda);
    if (ImGui::SliderFloat("ART lambda", &lambda, 0.0f, 1.0f)) {
      relaxation_.art_lambda = lambda;
      changed = true;
    }
  }
  if (ImGui::InputText("values", &values_text_, ImGuiInputTextFlags_EnterReturnsTrue)) {
    std::vector<double> parsed;
    std::stringstream stream(values_text_);
    std::string item;
    bool ok = true;
    while (std::getline(stream, item, ',')) {
      try {
        std::size_t used = 0;
        parsed.push_back(std::stod(item, &used));
        ok = ok && std::isfinite(parsed.back()) && item.find_first_not_of(" \t", used) == std::string::npos;
      } catch (const std::exception&) {
        ok = false;
      }
    }
    if (!ok || parsed.size() < 2 || parsed.size() > kMaxWires) {
      input_error_ = "type 2 to 32 finite numbers separated by commas";
    } else {
      input_error_.clear();
      values_ = parsed;
      n_ = int(parsed.size());
      changed = true;
    }
  }
  const bool resized = ImGui::SliderInt("n", &n_, 2, kMaxWires);
  if (ImGui::Button("random input") || resized) {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    values_.clear();
    for (int i = 0; i < n_; ++i) values_.push_back(std::round(uniform(random_) * 100.0) / 100.0);
    values_text_ = format_values(values_);
    changed = true;
  }
  if (!input_error_.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", input_error_.c_str());
  if (changed) recompute();
  ImGui::TextWrapped("soft-sorted: %s", format_values(sorted_).c_str());
}

void SortPanel::show_network(float width, float height) const {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  const float label_width = 44.0f;
  const float left = origin.x + label_width;
  const float right = origin.x + width - label_width;
  const float wire_gap = height / float(n_);
  auto wire_y = [&](int wire) { return origin.y + (float(wire) + 0.5f) * wire_gap; };

  char label[32];
  for (int wire = 0; wire < n_; ++wire) {
    draw->AddLine(ImVec2(left, wire_y(wire)), ImVec2(right, wire_y(wire)), IM_COL32(150, 150, 160, 255));
    std::snprintf(label, sizeof label, "%.2f", values_[std::size_t(wire)]);
    draw->AddText(ImVec2(origin.x, wire_y(wire) - 7), IM_COL32(220, 220, 220, 255), label);
    std::snprintf(label, sizeof label, "%.2f", sorted_[std::size_t(wire)]);
    draw->AddText(ImVec2(right + 6, wire_y(wire) - 7), IM_COL32(220, 220, 220, 255), label);
  }

  // Comparators of one layer whose wire spans overlap go into separate sub-columns.
  std::vector<std::vector<const sort::Comparator*>> columns;
  for (const auto& layer : layers_) {
    std::vector<std::vector<const sort::Comparator*>> sub;
    for (const sort::Comparator& comparator : layer) {
      const int low = std::min(comparator.min_wire, comparator.max_wire);
      const int high = std::max(comparator.min_wire, comparator.max_wire);
      auto overlaps = [&](const sort::Comparator* other) {
        return std::min(other->min_wire, other->max_wire) <= high &&
               low <= std::max(other->min_wire, other->max_wire);
      };
      auto fits = std::find_if(sub.begin(), sub.end(), [&](const auto& column) {
        return std::none_of(column.begin(), column.end(), overlaps);
      });
      if (fits == sub.end()) {
        sub.emplace_back();
        fits = std::prev(sub.end());
      }
      fits->push_back(&comparator);
    }
    columns.insert(columns.end(), sub.begin(), sub.end());
  }

  // Comparator colour: |alpha - 1/2| from the current input, recomputed here as the network is tiny.
  const float column_gap = (right - left) / float(columns.size() + 1);
  std::vector<double> wires = values_;
  int column_index = 0;
  for (const auto& column : columns) {
    const float x = left + column_gap * float(++column_index);
    for (const sort::Comparator* comparator : column) {
      const double a = wires[std::size_t(comparator->min_wire)];
      const double b = wires[std::size_t(comparator->max_wire)];
      const double alpha = sort::swap_weight(relaxation_, b - a).alpha;
      wires[std::size_t(comparator->min_wire)] = alpha * a + (1 - alpha) * b;
      wires[std::size_t(comparator->max_wire)] = (1 - alpha) * a + alpha * b;
      const ImU32 color = to_imgui(heat_color(0.25f + 1.5f * float(std::abs(alpha - 0.5))));
      const float y_min = wire_y(comparator->min_wire);
      const float y_max = wire_y(comparator->max_wire);
      draw->AddLine(ImVec2(x, y_min), ImVec2(x, y_max), color, 2.0f);
      draw->AddCircleFilled(ImVec2(x, y_min), 4.0f, color);
      draw->AddRectFilled(ImVec2(x - 5, y_max - 1.5f), ImVec2(x + 5, y_max + 1.5f), color);
    }
  }
}

void SortPanel::show_permutation(float side) const {
  ImGui::Text("relaxed P (row: input i, column: rank j)");
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(side, side));
  const float cell = side / float(n_);
  char text[16];
  for (int i = 0; i < n_; ++i) {
    for (int j = 0; j < n_; ++j) {
      const float weight = float(permutation_[std::size_t(i) * std::size_t(n_) + std::size_t(j)]);
      const ImVec2 low(origin.x + float(j) * cell, origin.y + float(i) * cell);
      const ImVec2 high(low.x + cell - 1, low.y + cell - 1);
      draw->AddRectFilled(low, high, to_imgui(heat_color(weight)));
      if (cell >= 34.0f) {
        std::snprintf(text, sizeof text, "%.2f", weight);
        draw->AddText(ImVec2(low.x + 3, low.y + 3), weight > 0.6f ? IM_COL32(0, 0, 0, 255) : IM_COL32_WHITE,
                      text);
      }
    }
  }
}

void SortPanel::start_training() {
  if (job_.running()) return;
  training_.relaxation = relaxation_;
  training_.network = kind_;
  job_.start([this, config = training_](const std::atomic<bool>& stop_requested) {
    TrainingProgress progress;
    progress.status = "loading Fashion-MNIST";
    TrainingProgress staged = progress;
    progress_.publish(staged);
    try {
      const sort::RankTrainingReport report =
          sort::train_ranking(config, [&](const sort::RankCurvePoint& point) {
            progress.train_loss.push_back(float(point.train_loss));
            progress.exact_match.push_back(float(point.validation.exact_match));
            progress.element_wise.push_back(float(point.validation.element_wise));
            progress.step = point.step;
            progress.status = "training";
            staged = progress;
            progress_.publish(staged);
            return !stop_requested.load();
          });
      char text[160];
      std::snprintf(text, sizeof text, "done: %d steps, test exact-match %.3f, element-wise %.3f",
                    report.steps_done, report.test.exact_match, report.test.element_wise);
      progress.status = text;
    } catch (const std::exception& error) {
      progress.status = error.what();
    }
    staged = progress;
    progress_.publish(staged);
  });
}

void SortPanel::show_training() {
  progress_.copy_if_newer(shown_progress_, seen_version_);
  ImGui::TextUnformatted("Ranking training (four-digit Fashion-MNIST)");
  ImGui::SliderInt("set size n", &training_.n, 2, 9);
  ImGui::SliderInt("steps", &training_.steps, 100, 20000);
  ImGui::TextDisabled("uses the network and relaxation above");
  if (!job_.running()) {
    if (ImGui::Button("train")) start_training();
  } else if (ImGui::Button("stop")) {
    job_.stop();
  }
  const TrainingProgress& p = shown_progress_;
  if (!p.status.empty()) ImGui::TextWrapped("%s (step %d)", p.status.c_str(), p.step);
  const float width = ImGui::GetContentRegionAvail().x;
  char overlay[48] = "";
  if (!p.train_loss.empty()) std::snprintf(overlay, sizeof overlay, "BCE %.4f", p.train_loss.back());
  ImGui::TextUnformatted("training BCE");
  ImGui::PlotLines("##rank loss", p.train_loss.data(), int(p.train_loss.size()), 0, overlay, FLT_MAX, FLT_MAX,
                   ImVec2(width, 80));
  if (!p.exact_match.empty()) std::snprintf(overlay, sizeof overlay, "exact %.3f", p.exact_match.back());
  ImGui::TextUnformatted("validation exact-match");
  ImGui::PlotLines("##rank exact", p.exact_match.data(), int(p.exact_match.size()), 0, overlay, 0.0f, 1.0f,
                   ImVec2(width, 80));
  if (!p.element_wise.empty())
    std::snprintf(overlay, sizeof overlay, "element-wise %.3f", p.element_wise.back());
  ImGui::TextUnformatted("validation element-wise accuracy");
  ImGui::PlotLines("##rank element", p.element_wise.data(), int(p.element_wise.size()), 0, overlay, 0.0f,
                   1.0f, ImVec2(width, 80));
}

}  // namespace penumbra::viewer
