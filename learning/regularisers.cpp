#include "penumbra/learning/regularisers.h"

#include <algorithm>
#include <map>
#include <utility>

#include "penumbra/error.h"

namespace penumbra::learning {
namespace {

using Vec = glm::dvec3;

Vec at(Positions positions, std::uint32_t i) { return Vec(positions[i]); }

void add(PositionGradients gradients, std::uint32_t i, const Vec& value) {
  if (!gradients.empty()) gradients[i] += glm::vec3(value);
}

// Gradient of cos(x, y) = x·y / (|x||y|) with respect to x.
Vec cosine_gradient(const Vec& x, const Vec& y, double cosine) {
  const double length_x = glm::length(x), length_y = glm::length(y);
  return y / (length_x * length_y) - cosine * x / (length_x * length_x);
}

double cosine(const Vec& x, const Vec& y) { return glm::dot(x, y) / (glm::length(x) * glm::length(y)); }

// Degenerate hinges (zero-area triangle, zero-length edge) have no direction to compare; they are skipped.
bool usable(const Vec& v) { return glm::dot(v, v) > 1e-24; }

}  // namespace

MeshTopology build_topology(const Mesh& mesh, const std::string& where) {
  const std::size_t vertices = mesh.positions.size();
  // Directed edge (from, to) -> (triangle, opposite vertex).
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::size_t, std::uint32_t>> directed;
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> undirected_count;
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t) {
    const glm::uvec3 tri = mesh.triangles[t];
    for (int k = 0; k < 3; ++k) {
      const std::uint32_t from = tri[k], to = tri[(k + 1) % 3], opposite = tri[(k + 2) % 3];
      const auto key = std::minmax(from, to);
      const std::string edge_name = "edge " + std::to_string(key.first) + "-" + std::to_string(key.second);
      if (++undirected_count[{key.first, key.second}] > 2) {
        throw Error("non-manifold mesh: " + edge_name + " lies in more than two triangles",
                    where + ", " + edge_name,
                    "give a manifold template (every edge shared by at most two triangles)");
      }
      if (!directed.emplace(std::make_pair(from, to), std::make_pair(t, opposite)).second) {
        throw Error("inconsistently oriented mesh: two triangles wind " + edge_name + " the same way",
                    where + ", triangle " + std::to_string(t), "orient all triangles counter-clockwise");
      }
    }
  }
  MeshTopology topology;
  std::vector<std::vector<std::uint32_t>> neighbours(vertices);
  for (const auto& [edge, count] : undirected_count) {
    topology.edges.emplace_back(edge.first, edge.second);
    neighbours[edge.first].push_back(edge.second);
    neighbours[edge.second].push_back(edge.first);
    const auto forward = directed.find(edge);
    const auto backward = directed.find({edge.second, edge.first});
    if (forward != directed.end() && backward != directed.end()) {
      topology.hinges.emplace_back(edge.first, edge.second, forward->second.second, backward->second.second);
    }
  }
  topology.neighbour_offsets.push_back(0);
  for (auto& list : neighbours) {
    topology.neighbour_indices.insert(topology.neighbour_indices.end(), list.begin(), list.end());
    topology.neighbour_offsets.push_back(std::uint32_t(topology.neighbour_indices.size()));
  }
  return topology;
}

double laplacian_loss(Positions positions, const MeshTopology& topology, PositionGradients dL_dpositions,
                      double weight) {
  const std::size_t n = positions.size();
  if (n == 0) return 0.0;
  double sum = 0.0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t begin = topology.neighbour_offsets[i], end = topology.neighbour_offsets[i + 1];
    if (begin == end) continue;
    Vec mean(0.0);
    for (std::uint32_t k = begin; k < end; ++k) mean += at(positions, topology.neighbour_indices[k]);
    const double count = double(end - begin);
    const Vec delta = at(positions, i) - mean / count;
    sum += glm::dot(delta, delta);
    if (dL_dpositions.empty()) continue;
    const Vec g = 2.0 * weight / double(n) * delta;
    add(dL_dpositions, i, g);
    for (std::uint32_t k = begin; k < end; ++k) add(dL_dpositions, topology.neighbour_indices[k], -g / count);
  }
  return sum / double(n);
}

double edge_length_loss(Positions positions, const MeshTopology& topology, PositionGradients dL_dpositions,
                        double weight) {
  if (topology.edges.empty()) return 0.0;
  const double count = double(topology.edges.size());
  double sum = 0.0;
  for (const glm::uvec2 edge : topology.edges) {
    const Vec d = at(positions, edge.x) - at(positions, edge.y);
    sum += glm::dot(d, d);
    add(dL_dpositions, edge.x, 2.0 * weight / count * d);
    add(dL_dpositions, edge.y, -2.0 * weight / count * d);
  }
  return sum / count;
}

double normal_consistency_loss(Positions positions, const MeshTopology& topology,
                               PositionGradients dL_dpositions, double weight) {
  if (topology.hinges.empty()) return 0.0;
  const double count = double(topology.hinges.size());
  double sum = 0.0;
  for (const glm::uvec4 h : topology.hinges) {
    const Vec a = at(positions, h.x), b = at(positions, h.y), c = at(positions, h.z), d = at(positions, h.w);
    // Unnormalised normals of (a, b, c) and (b, a, d), both counter-clockwise.
    const Vec e1 = b - a, e2 = c - a, f1 = a - b, f2 = d - b;
    const Vec n1 = glm::cross(e1, e2), n2 = glm::cross(f1, f2);
    if (!usable(n1) || !usable(n2)) continue;
    const double cos = cosine(n1, n2);
    sum += 1.0 - cos;
    if (dL_dpositions.empty()) continue;
    const Vec g1 = -weight / count * cosine_gradient(n1, n2, cos);
    const Vec g2 = -weight / count * cosine_gradient(n2, n1, cos);
    // n = x × y: dL/dx = y × g, dL/dy = g × x.
    const Vec de1 = glm::cross(e2, g1), de2 = glm::cross(g1, e1);
    const Vec df1 = glm::cross(f2, g2), df2 = glm::cross(g2, f1);
    add(dL_dpositions, h.x, -de1 - de2 + df1);
    add(dL_dpositions, h.y, de1 - df1 - df2);
    add(dL_dpositions, h.z, de2);
    add(dL_dpositions, h.w, df2);
  }
  return sum / count;
}

double flatten_loss(Positions positions, const MeshTopology& topology, PositionGradients dL_dpositions,
                    double weight) {
  if (topology.hinges.empty()) return 0.0;
  const double count = double(topology.hinges.size());
  double sum = 0.0;
  for (const glm::uvec4 h : topology.hinges) {
    const Vec a = at(positions, h.x);
    const Vec edge = at(positions, h.y) - a, to_c = at(positions, h.z) - a, to_d = at(positions, h.w) - a;
    const double edge_squared = glm::dot(edge, edge);
    if (!usable(edge)) continue;
    // Components of a->c and a->d perpendicular to the edge.
    const double s1 = glm::dot(edge, to_c) / edge_squared, s2 = glm::dot(edge, to_d) / edge_squared;
    const Vec p1 = to_c - s1 * edge, p2 = to_d - s2 * edge;
    if (!usable(p1) || !usable(p2)) continue;
    const double cos = cosine(p1, p2);
    sum += (1.0 + cos) * (1.0 + cos);
    if (dL_dpositions.empty()) continue;
    const double dL_dcos = weight / count * 2.0 * (1.0 + cos);
    const Vec g1 = dL_dcos * cosine_gradient(p1, p2, cos), g2 = dL_dcos * cosine_gradient(p2, p1, cos);
    // p = v - s(v) e with s = e·v / e·e: dL/dv = g - e (e·g)/(e·e);
    // dL/de = -s g - (e·g) (v / (e·e) - 2 (e·v) e / (e·e)^2).
    const auto through_projection = [&](const Vec& g, const Vec& v, double s, Vec& dL_dv, Vec& dL_de) {
      const double eg = glm::dot(edge, g);
      dL_dv = g - edge * (eg / edge_squared);
      dL_de = -s * g - eg * (v / edge_squared - 2.0 * s * edge / edge_squared);
    };
    Vec dL_dc, dL_dd, dL_de1, dL_de2;
    through_projection(g1, to_c, s1, dL_dc, dL_de1);
    through_projection(g2, to_d, s2, dL_dd, dL_de2);
    add(dL_dpositions, h.y, dL_de1 + dL_de2);
    add(dL_dpositions, h.z, dL_dc);
    add(dL_dpositions, h.w, dL_dd);
    add(dL_dpositions, h.x, -(dL_de1 + dL_de2 + dL_dc + dL_dd));
  }
  return sum / count;
}

}  // namespace penumbra::learning
