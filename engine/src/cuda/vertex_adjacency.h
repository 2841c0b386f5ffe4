#pragma once
// Vertex -> face-corner adjacency, built on the host once per topology: it lets the GPU gather each vertex's
// gradient from its faces in a fixed order instead of scattering faces to vertices with atomics.
#include <cstdint>
#include <span>
#include <vector>

#include <glm/glm.hpp>

namespace penumbra::detail::cuda {

struct VertexAdjacency {
  std::vector<std::uint32_t> first_corner;  ///< [vertices + 1]: each vertex's range in `corners`
  std::vector<std::uint32_t> corners;       ///< face * 3 + corner, ascending within each vertex
};

VertexAdjacency build_vertex_adjacency(std::span<const glm::uvec3> triangles, std::size_t vertex_count);

}  // namespace penumbra::detail::cuda
