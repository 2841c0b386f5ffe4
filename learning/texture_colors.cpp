#include "texture_colors.h"

#include <algorithm>
#include <cmath>

#include "penumbra/error.h"

namespace penumbra::learning {

void colors_from_texture(Mesh& mesh, const Images& texture) {
  if (mesh.uvs.size() != mesh.positions.size()) {
    throw Error("mesh has no texture coordinates", "colors_from_texture", "give a mesh with UVs (vt in OBJ)");
  }
  if (texture.width < 1 || texture.height < 1) {
    throw Error("texture is empty", "colors_from_texture", "give a non-empty texture image");
  }
  mesh.colors.resize(mesh.positions.size());
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    // Texel centres at integer + 0.5; v = 0 is the bottom row of the image. UVs wrap.
    const float u = mesh.uvs[v].x - std::floor(mesh.uvs[v].x), w = mesh.uvs[v].y - std::floor(mesh.uvs[v].y);
    const float x = u * float(texture.width) - 0.5f, y = (1.0f - w) * float(texture.height) - 0.5f;
    const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
    const float fx = x - float(x0), fy = y - float(y0);
    glm::vec3 color(0.0f);
    for (int dy = 0; dy < 2; ++dy) {
      for (int dx = 0; dx < 2; ++dx) {
        const int col = std::clamp(x0 + dx, 0, texture.width - 1),
                  row = std::clamp(y0 + dy, 0, texture.height - 1);
        const float weight = (dx ? fx : 1.0f - fx) * (dy ? fy : 1.0f - fy);
        color += weight * glm::vec3(texture.at(0, row, col, 0), texture.at(0, row, col, 1),
                                    texture.at(0, row, col, 2));
      }
    }
    mesh.colors[v] = color;
  }
}

}  // namespace penumbra::learning
