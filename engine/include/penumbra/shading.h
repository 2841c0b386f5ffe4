#pragma once
/// Appearance: how a face's colour at a pixel is computed from its albedo (vertex colour, times the mesh's
/// texture when it has one) and the lights, evaluated per (pixel, face) inside the soft aggregation
/// (docs/rendering-maths.md, "Shading").
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

namespace penumbra {

enum class ShadingModel {
  unlit,    ///< the albedo itself
  lambert,  ///< albedo * (ambient + sum_i colour_i max(0, n.l_i))
  phong,    ///< lambert + specular * sum_i colour_i max(0, n.h_i)^shininess (Blinn-Phong)
  sh,       ///< albedo * sum_k sh_k Y_k(n): order-2 spherical-harmonic environment light
};

enum class LightKind {
  directional,  ///< parallel rays travelling along `vector`
  point,        ///< rays from the world position `vector` (no fall-off with distance)
};

struct Light {
  LightKind kind = LightKind::directional;
  glm::vec3 vector{0.0f, 0.0f, -1.0f};  ///< directional: direction of travel (non-zero, any length); point:
                                        ///< world position
  glm::vec3 color{1.0f};                ///< linear RGB
};

enum class NormalMode {
  smooth,  ///< per-vertex area-weighted normals, interpolated across the face and renormalised
  flat,    ///< each face's own normal
};

enum class TextureWrap { repeat, clamp };

struct Shading {
  static constexpr int kMaxLights = 4;

  ShadingModel model = ShadingModel::unlit;
  glm::vec3 ambient{0.0f};    ///< lambert, phong: ambient light, linear RGB
  std::vector<Light> lights;  ///< lambert, phong: at most kMaxLights
  glm::vec3 specular{0.0f};   ///< phong: the material's specular colour
  float shininess = 32.0f;    ///< phong: Blinn-Phong exponent, >= 1
  /// sh: irradiance coefficients per RGB channel, in the order Y00, Y1-1, Y10, Y11, Y2-2, Y2-1, Y20, Y21, Y22
  /// (real spherical harmonics of the unit normal's x, y, z).
  std::array<glm::vec3, 9> sh{};
  NormalMode normals = NormalMode::smooth;
  /// Multiply the albedo (the vertex colours, white without them) by a bilinear sample of the mesh's texture
  /// at the corner UVs, when the mesh has one (Mesh::has_texture()).
  bool use_texture = false;
  TextureWrap wrap = TextureWrap::repeat;

  /// Throws penumbra::Error naming the first bad field: too many lights, a NaN/Inf value, a zero direction,
  /// a shininess below 1.
  void validate() const;
};

/// dL/d(one light's parameters).
struct LightGradient {
  glm::vec3 vector{0.0f};
  glm::vec3 color{0.0f};
};

/// dL/d(Shading's continuous parameters).
struct ShadingGradient {
  glm::vec3 ambient{0.0f};
  std::vector<LightGradient> lights;  ///< one per Shading::lights
  glm::vec3 specular{0.0f};
  float shininess = 0.0f;
  std::array<glm::vec3, 9> sh{};
};

std::string_view name(ShadingModel model);
/// Parses "unlit", "lambert", "phong" or "sh"; throws penumbra::Error listing them otherwise.
ShadingModel parse_shading_model(std::string_view text);

/// Parses one light: "dir:X,Y,Z[:R,G,B]" (direction of travel) or "point:X,Y,Z[:R,G,B]" (position); the
/// colour defaults to white. Throws penumbra::Error quoting the text otherwise.
Light parse_light(std::string_view text);

}  // namespace penumbra
