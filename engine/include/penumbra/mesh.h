#pragma once
/// Triangle meshes: positions, triangles, optional per-vertex colours and UVs, and their IO.
#include <cstdint>
#include <filesystem>
#include <vector>

#include <string>

#include <glm/glm.hpp>

namespace penumbra {

struct Mesh {
  std::vector<glm::vec3> positions;   ///< world-space vertex positions
  std::vector<glm::uvec3> triangles;  ///< vertex indices, counter-clockwise when seen from the front
  std::vector<glm::vec3> colors;      ///< empty, or one linear RGB in [0, 1] per vertex
  std::vector<glm::vec2> uvs;         ///< empty, or one texture coordinate per vertex

  /// Throws penumbra::Error naming the first problem: no triangles, an index out of range,
  /// a NaN/Inf coordinate or colour, or attribute arrays whose size differs from positions.
  void validate(const std::string& where = "mesh") const;
};

/// Loads OBJ (tinyobjloader), OFF or STL (ASCII or binary), chosen by extension. Polygons are
/// fan-triangulated and the result validated; any problem throws penumbra::Error naming the file.
Mesh load_mesh(const std::filesystem::path& path);

/// Writes positions, triangles and (when present) vertex colours as an OBJ file.
void save_obj(const Mesh& mesh, const std::filesystem::path& path);

/// The icosahedron subdivided `level` times (level 0: 12 vertices, 20 faces; level 4: 2562, 5120),
/// on the unit sphere, counter-clockwise from outside.
Mesh icosphere(int level);

/// Area-weighted unit vertex normals (zero for vertices of zero-area faces only).
std::vector<glm::vec3> vertex_normals(const Mesh& mesh);

/// Moves the bounding-box centre to the origin and scales so the farthest vertex is at distance 1.
void normalize_to_unit_sphere(Mesh& mesh);

}  // namespace penumbra
