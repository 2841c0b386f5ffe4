#include "fit_panel.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "image_views.h"
#include "texture_cache.h"

namespace penumbra::viewer {

namespace {

std::string view_texture(const char* kind, int view) {
  return std::string("fit ") + kind + " " + std::to_string(view);
}

template <typename Enum, typename Names>
bool enum_combo(const char* label, Enum& value, std::span<const Enum> values, Names&& name_of) {
  bool changed = false;
  if (ImGui::BeginCombo(label, std::string(name_of(value)).c_str())) {
    for (Enum candidate : values) {
      if (ImGui::Selectable(std::string(name_of(candidate)).c_str(), candidate == value)) {
        value = candidate;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

// A curve with its axes labelled: the largest and smallest value at the top and bottom of the y axis, the
// first and last index (`unit` 1 and N) under the x axis, each with a tick; the latest value as overlay.
void plot(const char* label, const std::vector<float>& values, const char* format, const char* unit,
          float height, float width) {
  char overlay[64] = "", top[32] = "", bottom[32] = "", first[32] = "", last[32] = "";
  float low = 0.0f, high = 1.0f;
  if (!values.empty()) {
    std::snprintf(overlay, sizeof overlay, format, values.back());
    const auto [min, max] = std::minmax_element(values.begin(), values.end());
    low = *min, high = *max;
    std::snprintf(first, sizeof first, "%s 1", unit);
    std::snprintf(last, sizeof last, "%zu", values.size());
  }
  std::snprintf(top, sizeof top, "%.3g", high);
  std::snprintf(bottom, sizeof bottom, "%.3g", low);
  const float line = ImGui::GetTextLineHeight();
  const float label_width = std::max(ImGui::CalcTextSize(top).x, ImGui::CalcTextSize(bottom).x) + 8.0f;
  const ImVec2 corner = ImGui::GetCursorScreenPos();
  const ImVec2 origin(corner.x + label_width, corner.y);
  const ImVec2 size(std::max(8.0f, width - label_width), std::max(8.0f, height - line));
  ImGui::SetCursorScreenPos(origin);
  ImGui::PlotLines(label, values.data(), int(values.size()), 0, overlay, low, high, size);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 color = ImGui::GetColorU32(ImGuiCol_Text);
  const float left = origin.x, right = origin.x + size.x, up = origin.y, down = origin.y + size.y;
  draw->AddLine(ImVec2(left - 4.0f, up), ImVec2(left, up), color);
  draw->AddLine(ImVec2(left - 4.0f, down - 1.0f), ImVec2(left, down - 1.0f), color);
  draw->AddText(ImVec2(left - label_width, up), color, top);
  draw->AddText(ImVec2(left - label_width, down - line), color, bottom);
  draw->AddLine(ImVec2(left, down), ImVec2(left, down + 3.0f), color);
  draw->AddLine(ImVec2(right - 1.0f, down), ImVec2(right - 1.0f, down + 3.0f), color);
  draw->AddText(ImVec2(left, down + 1.0f), color, first);
  draw->AddText(ImVec2(right - ImGui::CalcTextSize(last).x, down + 1.0f), color, last);
  ImGui::SetCursorScreenPos(corner);
  ImGui::Dummy(ImVec2(width, height));
}

}  // namespace

FitPanel::FitPanel(FitSession& session, const FitSetup& setup, const FitControls& controls)
    : session_(session), setup_(setup), controls_(controls) {
  // The level slider starts at the template's level when the template is an icosphere.
  const std::string prefix = "icosphere:";
  const std::string level = setup.template_mesh.substr(std::min(prefix.size(), setup.template_mesh.size()));
  if (setup.template_mesh.rfind(prefix, 0) == 0 && level.size() == 1 && std::isdigit(level[0]))
    template_level_ = std::min(level[0] - '0', 5);
}

void FitPanel::update(TextureCache& textures) {
  if (!session_.snapshots().copy_if_newer(snapshot_, seen_version_)) return;
  const FitSnapshot& s = snapshot_;
  for (int view = 0; view < s.targets.views && view < s.renders.views; ++view) {
    if (s.targets.width != s.renders.width || s.targets.height != s.renders.height) break;
    textures.update(view_texture("target", view), s.targets.width, s.targets.height,
                    color_pixels(s.targets, view));
    textures.update(view_texture("render", view), s.renders.width, s.renders.height,
                    color_pixels(s.renders, view));
    textures.update(view_texture("silhouette", view), s.renders.width, s.renders.height,
                    silhouette_pixels(s.renders, view));
    textures.update(view_texture("difference", view), s.renders.width, s.renders.height,
                    difference_pixels(s.renders, s.targets, view));
  }
  if (s.has_fit) {
    preview_.set_mesh(s.mesh, s.gradient_magnitude);
    preview_.set_cameras(s.training_cameras, s.training_aspect);
  }
}

void FitPanel::show(TextureCache& textures) {
  ImGui::BeginChild("fit controls", ImVec2(340, 0), true);
  show_controls();
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("fit views", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollWithMouse);
  const ImVec2 available = ImGui::GetContentRegionAvail();
  // Top: the views and, beside them, the mesh; bottom: the curves, at least kMinCurvesHeight tall.
  constexpr float kMinCurvesHeight = 160.0f;
  const int views = std::max(1, std::min(snapshot_.targets.views, snapshot_.renders.views));
  // Room for the table header and the page slider.
  const float header = 2.0f * ImGui::GetFrameHeightWithSpacing();
  const float views_width = available.x * 0.62f;
  const float side =
      std::min((views_width - 40.0f) / 4.0f, (available.y - kMinCurvesHeight - header) / float(views) - 6.0f);
  const float top_height =
      std::min(available.y - kMinCurvesHeight,
               std::max(header + float(views) * (side + 6.0f), available.x - views_width - 8.0f));
  ImGui::BeginChild("views table", ImVec2(views_width, top_height));
  show_views(textures, side);
  ImGui::EndChild();
  ImGui::SameLine();
  const float preview_side = std::min(available.x - views_width - 8.0f, top_height);
  ImGui::BeginChild("mesh preview", ImVec2(preview_side, preview_side), true,
                    ImGuiWindowFlags_NoScrollWithMouse);
  preview_.show(textures, ImGui::GetContentRegionAvail().x);
  ImGui::EndChild();
  show_curves(available.x);
  ImGui::EndChild();
}

void FitPanel::show_controls() {
  const FitSnapshot& s = snapshot_;
  ImGui::TextUnformatted("Sources (Load restarts the fit)");
  ImGui::InputText("template", &setup_.template_mesh);
  if (ImGui::SliderInt("template level", &template_level_, 0, 5)) {
    setup_.template_mesh = "icosphere:" + std::to_string(template_level_);
  }
  if (ImGui::IsItemDeactivatedAfterEdit()) session_.restart(setup_);
  ImGui::InputText("target mesh", &setup_.target_mesh);
  ImGui::InputText("target images", &setup_.target_images);
  ImGui::InputText("cameras JSON", &setup_.cameras);
  ImGui::SliderInt("image size", &setup_.image_size, 32, 256);
  ImGui::SliderInt("target views", &setup_.target_views, 1, 32);
  if (ImGui::Button("Load")) session_.restart(setup_);
  if (setup_.target_mesh.empty() && setup_.cameras.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("target: %s", default_target_name().c_str());
  }

  ImGui::Separator();
  ImGui::TextUnformatted("Rasteriser (applies live)");
  bool changed = false;
  changed |= enum_combo<Distribution>("distribution", controls_.raster.distribution, all_distributions(),
                                      [](Distribution d) { return name(d); });
  changed |= ImGui::Checkbox("squared distance", &controls_.raster.squared);
  changed |= enum_combo<Aggregation>("aggregation", controls_.raster.aggregation, all_aggregations(),
                                     [](Aggregation a) { return name(a); });
  changed |= ImGui::DragFloat("p", &controls_.raster.p, 0.05f, -10.0f, 20.0f, "%.2f");
  const auto log_slider = ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp;
  changed |= ImGui::SliderFloat("sigma", &controls_.raster.sigma, 1e-7f, 1e-1f, "%.2e", log_slider);
  changed |= ImGui::SliderFloat("gamma", &controls_.raster.gamma, 1e-6f, 1.0f, "%.2e", log_slider);
  changed |= ImGui::SliderFloat("learning rate", &controls_.learning_rate, 1e-4f, 0.2f, "%.4f", log_slider);
  changed |=
      ImGui::SliderInt("views per step", &controls_.views_per_step, 1, std::max(1, setup_.target_views));
  if (changed) session_.set_controls(controls_);

  ImGui::Separator();
  bool paused = s.paused;
  if (ImGui::Checkbox("pause", &paused)) session_.set_paused(paused);
  ImGui::SameLine();
  if (ImGui::Button("step")) session_.step_once();
  ImGui::SameLine();
  if (ImGui::Button("reset")) session_.restart(setup_);
  ImGui::InputText("##save path", &save_path_);
  ImGui::SameLine();
  if (ImGui::Button("save")) session_.save(save_path_);

  ImGui::Separator();
  if (s.has_fit) {
    ImGui::Text("step %d  (%.1f steps/s, %s backend)", s.last.step, s.steps_per_second, s.backend.c_str());
    ImGui::Text("loss %.4f  soft IoU %.3f", s.last.loss, s.last.silhouette_iou);
    ImGui::Text("silhouette %.4f  regularisers %.4f", s.last.silhouette_loss, s.last.regulariser_loss);
    if (s.evaluation) {
      ImGui::Text("held-out IoU %.3f%s", s.evaluation->silhouette_iou,
                  s.evaluation->held_out ? "" : " (training views)");
      if (s.evaluation->chamfer) ImGui::Text("Chamfer %.5f", *s.evaluation->chamfer);
    }
    ImGui::Text("%zu vertices, %zu faces", s.mesh.positions.size(), s.mesh.triangles.size());
  } else {
    ImGui::TextDisabled("no fit yet");
  }
  if (!s.status.empty()) ImGui::TextWrapped("%s", s.status.c_str());
}

void FitPanel::show_views(const TextureCache& textures, float side) {
  const char* kinds[] = {"target", "render", "silhouette", "difference"};
  const char* titles[] = {"target", "current", "silhouette", "|alpha - target|"};
  const int views = std::min(snapshot_.targets.views, snapshot_.renders.views);
  if (views == 0) return;
  if (snapshot_.training_views > FitSession::kShownViews) {
    int page = snapshot_.first_shown_view / FitSession::kShownViews;
    const int pages = (snapshot_.training_views + FitSession::kShownViews - 1) / FitSession::kShownViews;
    ImGui::SetNextItemWidth(4 * side);
    if (ImGui::SliderInt("##views page", &page, 0, pages - 1, "views page %d"))
      session_.show_views(page * FitSession::kShownViews);
  }
  if (!ImGui::BeginTable("views", 4, ImGuiTableFlags_SizingFixedFit)) return;
  for (const char* title : titles) ImGui::TableSetupColumn(title, ImGuiTableColumnFlags_WidthFixed, side);
  ImGui::TableHeadersRow();
  for (int view = 0; view < views; ++view) {
    ImGui::TableNextRow();
    for (const char* kind : kinds) {
      ImGui::TableNextColumn();
      if (const ImTextureID id = textures.id(view_texture(kind, view))) ImGui::Image(id, ImVec2(side, side));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("training view %d", snapshot_.first_shown_view + view);
    }
  }
  ImGui::EndTable();
}

void FitPanel::show_curves(float width) {
  const FitSnapshot& s = snapshot_;
  const float plot_width = (width - 2 * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
  const float height = ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() - 4.0f;
  ImGui::BeginGroup();
  ImGui::TextUnformatted("loss per step");
  plot("##loss", s.loss, "loss %.4f", "step", height, plot_width);
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextUnformatted("soft IoU per step (training views)");
  plot("##iou", s.iou, "IoU %.3f", "step", height, plot_width);
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextUnformatted("hard IoU (held-out views)");
  plot("##held out", s.held_out_iou, "IoU %.3f", "evaluation", height, plot_width);
  ImGui::EndGroup();
}

}  // namespace penumbra::viewer
