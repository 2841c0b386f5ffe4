#include "camera_frusta.h"

#include <array>

namespace penumbra::viewer {

std::vector<PreviewSegment> frustum_outlines(std::span<const Camera> cameras, float camera_aspect,
                                             float depth, const Camera& preview) {
  std::vector<PreviewSegment> segments;
  const auto add = [&](glm::vec3 from, glm::vec3 to) {
    const glm::vec3 a = preview.project(from, 1.0f), b = preview.project(to, 1.0f);
    if (a.z <= preview.near || b.z <= preview.near) return;
    // NDC (y up) to the preview square (y down).
    segments.push_back(
        {{(a.x + 1.0f) / 2.0f, (1.0f - a.y) / 2.0f}, {(b.x + 1.0f) / 2.0f, (1.0f - b.y) / 2.0f}});
  };
  for (const Camera& camera : cameras) {
    const glm::vec3 centre = camera.unproject(glm::vec2(0.0f), 0.0f, camera_aspect);
    std::array<glm::vec3, 4> corners;
    const glm::vec2 ndc[4] = {{-1, 1}, {1, 1}, {1, -1}, {-1, -1}};
    for (int i = 0; i < 4; ++i) corners[i] = camera.unproject(ndc[i], depth, camera_aspect);
    for (int i = 0; i < 4; ++i) {
      add(centre, corners[i]);
      add(corners[i], corners[(i + 1) % 4]);
    }
  }
  return segments;
}

}  // namespace penumbra::viewer
