#pragma once
// The appearance options of the commands that render: shading model, lights, material, normals and whether
// a mesh's texture is sampled or baked into vertex colours. Syntax: docs/cli.md, "Shading".
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "penumbra/camera.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"
#include "penumbra/shading.h"

namespace penumbra::cli {

struct ShadingOptions {
  std::optional<std::string> model;  ///< unset: lambert where the backend shades, unlit elsewhere
  std::vector<std::string> lights;  ///< "dir:X,Y,Z[:R,G,B]" or "point:X,Y,Z[:R,G,B]"; none: the default light
  std::string ambient = "0.3,0.3,0.3";
  std::string specular = "0.3,0.3,0.3";
  float shininess = 32.0f;
  std::string sh;  ///< 27 numbers, coefficient by coefficient (r, g, b each); empty: a default sky
  bool flat = false;
  bool bake_texture = false;

  /// Declares --shading, --light, --ambient, --specular, --shininess, --sh, --flat-normals and --bake-texture.
  void add_to(CLI::App& command);

  /// The shading for `backend`: the default light comes from over the left shoulder of `first_camera`.
  /// Throws penumbra::Error naming the flag on a malformed value.
  Shading shading(Backend backend, const Camera& first_camera) const;

  /// Prepares `mesh`'s texture for `shading` on `backend`: it stays to be sampled (cpu; sets
  /// shading.use_texture), or is baked into vertex colours (--bake-texture, other backends; noted on stderr).
  void prepare_texture(Mesh& mesh, Shading& shading, Backend backend, const std::string& mesh_name) const;
};

}  // namespace penumbra::cli
