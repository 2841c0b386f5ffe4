#include "cuda/vertex_adjacency.h"

namespace penumbra::detail::cuda {

VertexAdjacency build_vertex_adjacency(std::span<const glm::uvec3> triangles, std::size_t vertex_count) {
  VertexAdjacency adjacency;
  adjacency.first_corner.assign(vertex_count + 1, 0);
  for (const glm::uvec3& tri : triangles) {
    for (int k = 0; k < 3; ++k) ++adjacency.first_corner[tri[k] + 1];
  }
  for (std::size_t v = 1; v <= vertex_count; ++v) adjacency.first_corner[v] += adjacency.first_corner[v - 1];
  // Filling in face order keeps every vertex's corners ascending.
  adjacency.corners.resize(triangles.size() * 3);
  std::vector<std::uint32_t> cursor(adjacency.first_corner.begin(), adjacency.first_corner.end() - 1);
  for (std::size_t f = 0; f < triangles.size(); ++f) {
    for (int k = 0; k < 3; ++k) adjacency.corners[cursor[triangles[f][k]]++] = std::uint32_t(f * 3 + k);
  }
  return adjacency;
}

}  // namespace penumbra::detail::cuda
