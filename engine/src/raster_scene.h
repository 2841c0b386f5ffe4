#pragma once
// What every raster backend draws: B views of one mesh, already projected to screen space on the host.
#include <span>

#include <glm/glm.hpp>

namespace penumbra::detail {

template <class T>
struct RasterScene {
  int views = 0;
  std::span<const glm::vec<3, T>> screen;       ///< [views][vertices]: NDC x, NDC y, camera depth
  std::span<const glm::uvec3> triangles;        ///< [faces]: vertex indices
  std::span<const glm::vec<3, T>> colors;       ///< [vertices]: linear RGB
  std::span<const glm::vec<2, T>> depth_range;  ///< [views]: near, far of each camera
};

}  // namespace penumbra::detail
