// Mesh regularisers: gradients against central finite differences on a perturbed icosphere, known values on
// flat and regular meshes, and the topology checks.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "fit_test_meshes.h"
#include "penumbra/error.h"
#include "penumbra/learning/regularisers.h"

namespace penumbra::test {

using namespace learning;

namespace {

using Regulariser = std::function<double(Positions, const MeshTopology&, PositionGradients, double)>;

Mesh bumpy_sphere() {
  Mesh mesh = icosphere(1);
  std::mt19937 random(11);
  std::uniform_real_distribution<float> jitter(-0.08f, 0.08f);
  for (glm::vec3& p : mesh.positions) p += glm::vec3(jitter(random), jitter(random), jitter(random));
  return mesh;
}

void expect_matches_finite_differences(const Regulariser& regulariser) {
  Mesh mesh = bumpy_sphere();
  const MeshTopology topology = build_topology(mesh, "test");
  std::vector<glm::vec3> analytic(mesh.positions.size(), glm::vec3(0.0f));
  const double weight = 1.5;
  regulariser(mesh.positions, topology, analytic, weight);
  const float h = 1e-3f;
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    for (int axis = 0; axis < 3; ++axis) {
      const float original = mesh.positions[v][axis];
      mesh.positions[v][axis] = original + h;
      const double plus = regulariser(mesh.positions, topology, {}, weight);
      mesh.positions[v][axis] = original - h;
      const double minus = regulariser(mesh.positions, topology, {}, weight);
      mesh.positions[v][axis] = original;
      const double numeric = weight * (plus - minus) / (double(original + h) - double(original - h));
      EXPECT_NEAR(analytic[v][axis], numeric, 1e-5 + 2e-3 * std::abs(numeric))
          << "vertex " << v << " axis " << axis;
    }
  }
}

TEST(Regularisers, LaplacianGradientMatchesFiniteDifferences) {
  expect_matches_finite_differences(laplacian_loss);
}
TEST(Regularisers, EdgeLengthGradientMatchesFiniteDifferences) {
  expect_matches_finite_differences(edge_length_loss);
}
TEST(Regularisers, NormalConsistencyGradientMatchesFiniteDifferences) {
  expect_matches_finite_differences(normal_consistency_loss);
}
TEST(Regularisers, FlattenGradientMatchesFiniteDifferences) {
  expect_matches_finite_differences(flatten_loss);
}

TEST(Regularisers, FlatSquareHasZeroNormalAndFlattenLoss) {
  Mesh square;
  square.positions = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}};
  square.triangles = {{0, 1, 2}, {0, 2, 3}};
  const MeshTopology topology = build_topology(square, "square");
  ASSERT_EQ(topology.hinges.size(), 1u);
  EXPECT_NEAR(normal_consistency_loss(square.positions, topology, {}), 0.0, 1e-12);
  EXPECT_NEAR(flatten_loss(square.positions, topology, {}), 0.0, 1e-12);
  // Folding the square shut along its diagonal: opposite normals (1 - cos = 2), flatten (1 + 1)^2 = 4.
  square.positions[3] = {1.0f, 0.0f, 1e-3f};
  EXPECT_NEAR(normal_consistency_loss(square.positions, topology, {}), 2.0, 1e-3);
  EXPECT_NEAR(flatten_loss(square.positions, topology, {}), 4.0, 1e-3);
}

TEST(Regularisers, CubeEdgeLengthIsTheMeanSquaredLength) {
  const Mesh cube = test::cube_mesh(0.5f);
  const MeshTopology topology = build_topology(cube, "cube");
  EXPECT_EQ(topology.edges.size(), 18u);  // 12 sides + 6 face diagonals
  EXPECT_NEAR(edge_length_loss(cube.positions, topology, {}), (12.0 * 1.0 + 6.0 * 2.0) / 18.0, 1e-6);
}

TEST(Regularisers, NonManifoldEdgeIsNamed) {
  Mesh fan;
  fan.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}};
  fan.triangles = {{0, 1, 2}, {1, 0, 3}, {0, 1, 4}};
  try {
    build_topology(fan, "fan.obj");
    FAIL() << "expected a non-manifold error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("edge 0-1"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("fan.obj"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace penumbra::test
