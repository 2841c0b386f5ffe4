#include "penumbra/mesh.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "penumbra/error.h"

namespace penumbra {
namespace {
bool finite(glm::vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }
}  // namespace

void Mesh::validate(const std::string& where) const {
  if (positions.empty() || triangles.empty()) {
    throw Error("mesh is empty (" + std::to_string(positions.size()) + " vertices, " +
                    std::to_string(triangles.size()) + " triangles)",
                where, "give a mesh with at least one triangle");
  }
  for (std::size_t v = 0; v < positions.size(); ++v) {
    if (!finite(positions[v])) {
      throw Error("vertex " + std::to_string(v) + " has a NaN or infinite coordinate", where,
                  "fix or remove that vertex");
    }
  }
  const auto count = static_cast<glm::uint>(positions.size());
  for (std::size_t f = 0; f < triangles.size(); ++f) {
    const glm::uvec3 t = triangles[f];
    if (t.x >= count || t.y >= count || t.z >= count) {
      throw Error("face " + std::to_string(f) + " refers to vertex " +
                      std::to_string(std::max({t.x, t.y, t.z})) + " but the mesh has " +
                      std::to_string(count),
                  where, "indices must be below the vertex count");
    }
  }
  if (!colors.empty() && colors.size() != positions.size()) {
    throw Error(
        "mesh has " + std::to_string(colors.size()) + " colours for " + std::to_string(count) + " vertices",
        where, "give one colour per vertex or none");
  }
  for (std::size_t v = 0; v < colors.size(); ++v) {
    if (!finite(colors[v])) {
      throw Error("colour of vertex " + std::to_string(v) + " is NaN or infinite", where,
                  "use values in [0, 1]");
    }
  }
  if (!corner_uvs.empty() && corner_uvs.size() != 3 * triangles.size()) {
    throw Error("mesh has " + std::to_string(corner_uvs.size()) + " corner UVs for " +
                    std::to_string(triangles.size()) + " triangles",
                where, "give three UVs per triangle or none");
  }
  for (std::size_t c = 0; c < corner_uvs.size(); ++c) {
    if (!std::isfinite(corner_uvs[c].x) || !std::isfinite(corner_uvs[c].y)) {
      throw Error("UV of corner " + std::to_string(c % 3) + " of face " + std::to_string(c / 3) +
                      " is NaN or infinite",
                  where, "fix the texture coordinates");
    }
  }
  if (texture.views > 1 ||
      texture.rgba.size() != std::size_t(texture.views) * texture.pixels_per_view() * 4) {
    throw Error("mesh texture has " + std::to_string(texture.views) + " views or a size that does not match",
                where, "give one texture image");
  }
}

Mesh icosphere(int level) {
  if (level < 0 || level > 8) {
    throw Error("icosphere level " + std::to_string(level) + " is out of range", "icosphere",
                "use 0 to 8 (level 8 has 1.3M faces)");
  }
  const float t = (1.0f + std::sqrt(5.0f)) / 2.0f;
  Mesh mesh;
  mesh.positions = {{-1, t, 0},  {1, t, 0},  {-1, -t, 0}, {1, -t, 0}, {0, -1, t},  {0, 1, t},
                    {0, -1, -t}, {0, 1, -t}, {t, 0, -1},  {t, 0, 1},  {-t, 0, -1}, {-t, 0, 1}};
  mesh.triangles = {{0, 11, 5},  {0, 5, 1},  {0, 1, 7},  {0, 7, 10}, {0, 10, 11}, {1, 5, 9}, {5, 11, 4},
                    {11, 10, 2}, {10, 7, 6}, {7, 1, 8},  {3, 9, 4},  {3, 4, 2},   {3, 2, 6}, {3, 6, 8},
                    {3, 8, 9},   {4, 9, 5},  {2, 4, 11}, {6, 2, 10}, {8, 6, 7},   {9, 8, 1}};
  for (auto& p : mesh.positions) p = glm::normalize(p);
  for (int step = 0; step < level; ++step) {
    // Split every edge once (shared midpoints keyed by the sorted vertex pair) and each face into four.
    std::map<std::pair<glm::uint, glm::uint>, glm::uint> midpoints;
    auto midpoint = [&](glm::uint a, glm::uint b) {
      const auto key = std::minmax(a, b);
      const auto [it, inserted] = midpoints.try_emplace({key.first, key.second}, 0u);
      if (inserted) {
        it->second = static_cast<glm::uint>(mesh.positions.size());
        mesh.positions.push_back(glm::normalize(mesh.positions[a] + mesh.positions[b]));
      }
      return it->second;
    };
    std::vector<glm::uvec3> finer;
    finer.reserve(mesh.triangles.size() * 4);
    for (const glm::uvec3 f : mesh.triangles) {
      const glm::uint ab = midpoint(f.x, f.y);
      const glm::uint bc = midpoint(f.y, f.z);
      const glm::uint ca = midpoint(f.z, f.x);
      finer.push_back({f.x, ab, ca});
      finer.push_back({f.y, bc, ab});
      finer.push_back({f.z, ca, bc});
      finer.push_back({ab, bc, ca});
    }
    mesh.triangles = std::move(finer);
  }
  return mesh;
}

std::vector<glm::vec3> vertex_normals(const Mesh& mesh) {
  std::vector<glm::vec3> normals(mesh.positions.size(), glm::vec3(0.0f));
  for (const glm::uvec3 t : mesh.triangles) {
    // The cross product's length is twice the area: summing it weights by area.
    const glm::vec3 n =
        glm::cross(mesh.positions[t.y] - mesh.positions[t.x], mesh.positions[t.z] - mesh.positions[t.x]);
    normals[t.x] += n;
    normals[t.y] += n;
    normals[t.z] += n;
  }
  for (auto& n : normals) {
    const float length = glm::length(n);
    if (length > 0.0f) n /= length;
  }
  return normals;
}

void Normalization::restore(Mesh& mesh) const {
  for (auto& p : mesh.positions) p = to_original(p);
}

Camera Normalization::to_original(const Camera& camera) const {
  Camera result = camera;
  // Camera space scales by 1/scale with the world, which leaves every projection unchanged.
  result.eye = to_original(camera.eye);
  result.at = to_original(camera.at);
  result.translation = camera.translation / scale - glm::mat3(camera.world_to_camera()) * center;
  result.near = camera.near / scale;
  result.far = camera.far / scale;
  result.ortho_scale = camera.ortho_scale * scale;
  return result;
}

Normalization normalize_to_unit_sphere(Mesh& mesh) {
  Normalization normalization;
  if (mesh.positions.empty()) return normalization;
  glm::vec3 low = mesh.positions.front(), high = low;
  for (const auto& p : mesh.positions) {
    low = glm::min(low, p);
    high = glm::max(high, p);
  }
  normalization.center = 0.5f * (low + high);
  float radius = 0.0f;
  for (const auto& p : mesh.positions) radius = std::max(radius, glm::length(p - normalization.center));
  normalization.scale = radius > 0.0f ? 1.0f / radius : 1.0f;
  for (auto& p : mesh.positions) p = (p - normalization.center) * normalization.scale;
  return normalization;
}

void bake_texture_to_colors(Mesh& mesh) {
  if (!mesh.has_texture()) {
    throw Error("mesh has no texture with texture coordinates", "bake_texture_to_colors",
                "give a mesh whose material names a texture (OBJ map_Kd, glTF baseColorTexture)");
  }
  const Images& texture = mesh.texture;
  if (texture.width < 1 || texture.height < 1) {
    throw Error("texture is empty", "bake_texture_to_colors", "give a non-empty texture image");
  }
  // Bilinear sample; texel centres at integer + 0.5, v = 0 at the bottom row, UVs wrap.
  const auto sample = [&texture](glm::vec2 uv) {
    const float u = uv.x - std::floor(uv.x), v = uv.y - std::floor(uv.y);
    const float x = u * float(texture.width) - 0.5f, y = (1.0f - v) * float(texture.height) - 0.5f;
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
    return color;
  };
  // A vertex on a UV seam has one sample per corner: take their mean.
  std::vector<glm::vec3> sums(mesh.positions.size(), glm::vec3(0.0f));
  std::vector<int> counts(mesh.positions.size(), 0);
  for (std::size_t f = 0; f < mesh.triangles.size(); ++f) {
    for (int k = 0; k < 3; ++k) {
      const glm::uint v = mesh.triangles[f][k];
      sums[v] += sample(mesh.corner_uvs[3 * f + std::size_t(k)]);
      ++counts[v];
    }
  }
  mesh.colors.assign(mesh.positions.size(), glm::vec3(1.0f));
  for (std::size_t v = 0; v < sums.size(); ++v) {
    if (counts[v] > 0) mesh.colors[v] = sums[v] / float(counts[v]);
  }
}

}  // namespace penumbra
