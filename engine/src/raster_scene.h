#pragma once
// What every raster backend draws: B views of one mesh, already projected to screen space on the host, and
// how its faces are shaded.
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "kernels.h"

namespace penumbra::detail {

template <class T>
struct RasterScene {
  int views = 0;
  std::span<const glm::vec<3, T>> screen;       ///< [views][vertices]: NDC x, NDC y, camera depth
  std::span<const glm::uvec3> triangles;        ///< [faces]: vertex indices
  std::span<const glm::vec<3, T>> colors;       ///< [vertices]: linear RGB
  std::span<const glm::vec<2, T>> depth_range;  ///< [views]: near, far of each camera

  // Appearance beyond unlit vertex colours, read by backends that shade (RasterBackend::shades()).
  typename kernels::Of<T>::Shading shading = kernels::Of<T>::unlit();
  std::span<const glm::vec<3, T>> positions;       ///< [vertices]: world positions (lit models)
  std::span<const glm::vec<3, T>> corner_normals;  ///< [faces * 3]: each corner's normal (lit models)
  std::span<const glm::vec<2, T>> corner_uvs;      ///< [faces * 3]: texture coordinates (textured)
  std::span<const glm::vec<3, T>> texels;          ///< [height * width]: RGB, row 0 the top (textured)
  std::span<const glm::vec<3, T>> eyes;            ///< [views]: each camera's world position (lit models)
};

/// dL/d(a RasterScene's appearance inputs), summed over all views.
template <class T>
struct SurfaceGradients {
  std::vector<glm::vec<3, T>> corner_normals;  ///< [faces * 3]
  std::vector<glm::vec<3, T>> positions;       ///< [vertices]: through point lights and view directions only
  std::vector<glm::vec<2, T>> corner_uvs;      ///< [faces * 3]
  std::vector<glm::vec<3, T>> texels;          ///< [height * width]
  typename kernels::Of<T>::ShadingGradient shading{};
};

}  // namespace penumbra::detail
