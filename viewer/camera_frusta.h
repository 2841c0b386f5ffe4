#pragma once
// The fit's target cameras drawn around the mesh in the orbit preview: each camera as a pyramid from its
// centre to the corners of its picture, seen by the preview's camera. No ImGui here, so tests need no window.
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "penumbra/camera.h"

namespace penumbra::viewer {

/// A line on the preview, both ends in [0, 1]^2 of its square (x right, y down) or beyond it.
struct PreviewSegment {
  glm::vec2 from, to;
};

/// The 8 edges of each camera's pyramid (centre to the 4 corners of its picture `depth` world units ahead, and
/// the picture's outline), for pictures of aspect `camera_aspect`, as `preview` (a square render) sees them.
/// Edges with an end behind the preview's near plane are left out.
std::vector<PreviewSegment> frustum_outlines(std::span<const Camera> cameras, float camera_aspect,
                                             float depth, const Camera& preview);

}  // namespace penumbra::viewer
