#pragma once
/// Per-vertex colours from a texture: each vertex takes the bilinear sample of the texture at its UV.
#include "penumbra/image.h"
#include "penumbra/mesh.h"

namespace penumbra::learning {

/// Sets mesh.colors from `texture` (view 0; u right, v up, as in OBJ). Throws penumbra::Error if the mesh has
/// no UVs.
void colors_from_texture(Mesh& mesh, const Images& texture);

}  // namespace penumbra::learning
