#pragma once
/// Mesh regularisers, each a mean over its elements with an exact backward. The gradient functions add into
/// `dL_dpositions` (one per vertex) scaled by `weight` and return the unweighted value.
#include <cstdint>
#include <glm/glm.hpp>
#include <span>
#include <string>
#include <vector>

#include "penumbra/mesh.h"

namespace penumbra::learning {

/// The connectivity the regularisers read, built once per template.
struct MeshTopology {
  std::vector<std::uint32_t>
      neighbour_offsets;  ///< vertex i's neighbours: indices[offsets[i] .. offsets[i+1])
  std::vector<std::uint32_t> neighbour_indices;
  std::vector<glm::uvec2> edges;  ///< every undirected edge once
  /// Interior edges as (a, b, c, d): triangles (a, b, c) and (b, a, d) share edge a-b.
  std::vector<glm::uvec4> hinges;
};

/// Builds the topology; throws penumbra::Error naming `where` and the edge if an edge lies in more than two
/// triangles (non-manifold) or two triangles wind it the same way (inconsistent orientation).
MeshTopology build_topology(const Mesh& mesh, const std::string& where);

using Positions = std::span<const glm::vec3>;
using PositionGradients = std::span<glm::vec3>;

/// Uniform Laplacian: mean over vertices of |v - mean of its neighbours|^2.
double laplacian_loss(Positions positions, const MeshTopology& topology, PositionGradients dL_dpositions,
                      double weight = 1.0);
/// Mean over edges of the squared edge length (PyTorch3D's mesh_edge_loss with target length 0).
double edge_length_loss(Positions positions, const MeshTopology& topology, PositionGradients dL_dpositions,
                        double weight = 1.0);
/// Mean over interior edges of 1 - cos of the angle between the two adjacent triangles' normals.
double normal_consistency_loss(Positions positions, const MeshTopology& topology,
                               PositionGradients dL_dpositions, double weight = 1.0);
/// SoftRas flatten: mean over interior edges of (1 + cos θ)^2, θ the angle between the two triangles'
/// in-plane directions away from the shared edge (0 when the two triangles are coplanar).
double flatten_loss(Positions positions, const MeshTopology& topology, PositionGradients dL_dpositions,
                    double weight = 1.0);

}  // namespace penumbra::learning
