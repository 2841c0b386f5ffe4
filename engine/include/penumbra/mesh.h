#pragma once
/// Triangle meshes: positions, triangles, optional per-vertex colours, per-corner UVs and a base-colour
/// texture, and their IO.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "penumbra/camera.h"
#include "penumbra/image.h"

namespace penumbra {

struct Mesh {
  std::vector<glm::vec3> positions;   ///< world-space vertex positions
  std::vector<glm::uvec3> triangles;  ///< vertex indices, counter-clockwise when seen from the front
  std::vector<glm::vec3> colors;  ///< empty, or one RGB in [0, 1] per vertex (what the renderer shades with)
  /// Empty, or three texture coordinates per triangle (corners of triangle t at 3t, 3t+1, 3t+2): a vertex on a
  /// UV seam has one UV per face. u runs right, v up (v = 0 is the texture's bottom row), as in OBJ and glTF
  /// after its flip.
  std::vector<glm::vec2> corner_uvs;
  /// Base-colour texture: one RGBA view of any size, values in [0, 1] as stored in the file; views == 0 when
  /// the mesh has none. The renderer samples it when RasterSettings::shading.use_texture is set (cpu backend);
  /// bake_texture_to_colors() gives vertex colours instead.
  Images texture;

  bool has_texture() const { return texture.views > 0 && !corner_uvs.empty(); }

  /// Throws penumbra::Error naming the first problem: no triangles, an index out of range,
  /// a NaN/Inf coordinate, colour or UV, attribute arrays of the wrong size, or a texture of several views.
  void validate(const std::string& where = "mesh") const;
};

/// Loads OBJ (tinyobjloader, with its MTL's map_Kd texture), PLY (ASCII or binary of either byte order, with
/// vertex colours and UVs), glTF 2.0 (.gltf or .glb, with the base-colour texture; assimp), OFF or STL
/// (ASCII or binary), chosen by extension. Polygons are fan-triangulated, vertices that share a position are
/// welded (their UVs stay per corner) and the result validated; any problem throws penumbra::Error naming the
/// file. A mesh with textures of more than one image is refused.
Mesh load_mesh(const std::filesystem::path& path);

/// Writes positions, triangles and (when present) vertex colours as an OBJ file (atomically).
void save_obj(const Mesh& mesh, const std::filesystem::path& path);

/// Writes positions, area-weighted vertex normals and (when present) 8-bit vertex colours as an ASCII PLY
/// file (atomically).
void save_ply(const Mesh& mesh, const std::filesystem::path& path);

/// Sets mesh.colors to each vertex's texture colour: the mean of bilinear samples (UVs wrap, texel centres at
/// half-integers) at the UVs of the vertex's corners. Throws penumbra::Error if the mesh has no texture.
void bake_texture_to_colors(Mesh& mesh);

/// The icosahedron subdivided `level` times (level 0: 12 vertices, 20 faces; level 4: 2562, 5120),
/// on the unit sphere, counter-clockwise from outside.
Mesh icosphere(int level);

/// Area-weighted unit vertex normals (zero for vertices of zero-area faces only).
std::vector<glm::vec3> vertex_normals(const Mesh& mesh);

/// A uniform scale about a centre: normalised point = (original point - center) * scale.
struct Normalization {
  glm::vec3 center{0.0f};  ///< world units of the original frame
  float scale = 1.0f;      ///< > 0

  glm::vec3 to_original(glm::vec3 normalised) const { return normalised / scale + center; }
  /// Maps every position of `mesh` from the normalised frame back to the original one.
  void restore(Mesh& mesh) const;
  /// The camera that sees the original frame as `camera` sees the normalised one (same images).
  Camera to_original(const Camera& camera) const;
};

/// Moves the bounding-box centre to the origin and scales so the farthest vertex is at distance 1; returns the
/// transform it applied.
Normalization normalize_to_unit_sphere(Mesh& mesh);

}  // namespace penumbra
