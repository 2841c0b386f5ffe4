#include "mesh_preview.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "camera_frusta.h"
#include "image_views.h"
#include "texture_cache.h"

namespace penumbra::viewer {

namespace {
constexpr const char* kTexture = "mesh preview";
}

// One worker thread: the trainer needs the cores more than a small preview does.
MeshPreview::MeshPreview() : renderer_(Backend::cpu, RendererOptions{.threads = 1}) {}

void MeshPreview::set_mesh(const Mesh& mesh, const std::vector<float>& gradient_magnitude) {
  mesh_ = mesh;
  gradient_magnitude_ = gradient_magnitude;
  dirty_ = true;
}

void MeshPreview::set_cameras(const std::vector<Camera>& cameras, float aspect) {
  cameras_ = cameras;
  camera_aspect_ = aspect;
}

void MeshPreview::render(TextureCache& textures) {
  const Camera camera = Camera::orbit(azimuth_, elevation_, distance_);
  Mesh coloured = mesh_;
  const std::vector<glm::vec3> normals = vertex_normals(mesh_);
  // Normalised by the 95th percentile, so that a few large gradients do not leave the rest dark.
  float scale = 0.0f;
  if (!gradient_magnitude_.empty()) {
    std::vector<float> sorted = gradient_magnitude_;
    const auto percentile = sorted.begin() + std::ptrdiff_t(sorted.size() * 95 / 100);
    std::nth_element(sorted.begin(), percentile, sorted.end());
    scale = *percentile;
  }
  coloured.colors.resize(mesh_.positions.size());
  for (std::size_t v = 0; v < mesh_.positions.size(); ++v) {
    const float gradient = scale > 0.0f && v < gradient_magnitude_.size()
                               ? std::min(1.0f, gradient_magnitude_[v] / scale)
                               : 0.0f;
    const auto heat = heat_color(0.12f + 0.88f * gradient);
    // A headlight for shape, plus a little light from above so that up and down differ.
    const glm::vec3 to_eye = glm::normalize(camera.eye - mesh_.positions[v]);
    const float light =
        0.25f + 0.6f * std::abs(glm::dot(normals[v], to_eye)) + 0.15f * std::max(0.0f, normals[v].y);
    coloured.colors[v] = glm::vec3(heat[0], heat[1], heat[2]) / 255.0f * light;
  }

  RasterSettings settings;
  settings.width = kSize;
  settings.height = kSize;
  settings.distribution = Distribution::heaviside;
  settings.squared = false;
  settings.aggregation = Aggregation::hard;
  settings.colors = ColorMode::hard;
  const Camera cameras[] = {camera};
  const Images& image = renderer_.forward(coloured, cameras, settings);
  textures.update(kTexture, kSize, kSize, color_pixels(image, 0));
}

void MeshPreview::show(TextureCache& textures, float side) {
  const ImVec2 corner = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("mesh orbit", ImVec2(side, side));
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    const ImVec2 delta = ImGui::GetIO().MouseDelta;
    azimuth_ -= delta.x * 0.5f;
    elevation_ = std::clamp(elevation_ + delta.y * 0.5f, -89.0f, 89.0f);
    dirty_ = true;
  }
  if (ImGui::IsItemHovered() && ImGui::GetIO().MouseWheel != 0.0f) {
    distance_ = std::clamp(distance_ * std::pow(0.9f, ImGui::GetIO().MouseWheel), 1.5f, 12.0f);
    dirty_ = true;
  }
  if (dirty_ && !mesh_.positions.empty()) {
    render(textures);
    dirty_ = false;
  }
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  if (const ImTextureID id = textures.id(kTexture))
    draw.AddImage(id, corner, ImVec2(corner.x + side, corner.y + side));
  // Pyramids half a world unit deep: long enough to read the direction, short of the mesh at distance ~3.
  draw.PushClipRect(corner, ImVec2(corner.x + side, corner.y + side), true);
  for (const PreviewSegment& s :
       frustum_outlines(cameras_, camera_aspect_, 0.5f, Camera::orbit(azimuth_, elevation_, distance_))) {
    draw.AddLine(ImVec2(corner.x + s.from.x * side, corner.y + s.from.y * side),
                 ImVec2(corner.x + s.to.x * side, corner.y + s.to.y * side), IM_COL32(120, 200, 255, 200));
  }
  draw.PopClipRect();
  draw.AddText(ImVec2(corner.x + 6, corner.y + 4), IM_COL32(200, 200, 200, 255),
               "drag: rotate, scroll: zoom");
  draw.AddText(ImVec2(corner.x + 6, corner.y + side - 20), IM_COL32(200, 200, 200, 255),
               "colour: |dL/d vertex|; blue: target cameras");
}

}  // namespace penumbra::viewer
