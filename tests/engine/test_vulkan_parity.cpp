// The Vulkan backend against the CPU reference (the oracle), forward images and every gradient: each
// distribution with the probabilistic T-conorm, each T-conorm with the logistic distribution, both colour
// modes and back-face culling, on random scenes and on Spot. Tolerances: test_vulkan_support.h
// (max abs error 1e-4 on images, relative 1e-3 on each gradient array).
#include <filesystem>

#include "test_vulkan_support.h"

namespace penumbra::test {
namespace {

using VulkanParity = VulkanTest;

// One test per distribution (each its own ctest entry, so they run in parallel), probabilistic T-conorm.
class VulkanDistributionParity : public VulkanTest, public ::testing::WithParamInterface<Distribution> {};

TEST_P(VulkanDistributionParity, WithProbabilistic) {
  expect_parity(random_scene(1), ring_cameras(2), distribution_settings(GetParam()),
                std::string(name(GetParam())));
}

INSTANTIATE_TEST_SUITE_P(Every, VulkanDistributionParity, ::testing::ValuesIn(all_distributions()),
                         [](const auto& param_info) { return std::string(name(param_info.param)); });

TEST_F(VulkanParity, EveryAggregationWithLogistic) {
  const Mesh mesh = random_scene(2);
  const std::vector<Camera> cameras = ring_cameras(2);
  for (const Aggregation aggregation : all_aggregations()) {
    RasterSettings s = base_settings(40);
    s.aggregation = aggregation;
    s.p = aggregation_parameter(aggregation);
    expect_parity(mesh, cameras, s, std::string(name(aggregation)));
  }
}

TEST_F(VulkanParity, HardColoursSquaredDistancesAndCulledBackFaces) {
  const Mesh mesh = random_scene(3);
  const std::vector<Camera> cameras = ring_cameras(3);
  RasterSettings s = base_settings(48);
  s.colors = ColorMode::hard;
  expect_parity(mesh, cameras, s, "hard colours");
  s.colors = ColorMode::softmax;
  s.back_faces = BackFaces::cull;
  s.distribution = Distribution::gaussian;
  s.shift = 0.5f;
  expect_parity(mesh, cameras, s, "culled back faces, gaussian with shift");
}

TEST_F(VulkanParity, DegenerateFacesAndNothingVisible) {
  Mesh mesh;
  mesh.positions = {{-0.5f, -0.5f, 0}, {0.5f, -0.5f, 0}, {0, 0.5f, 0}, {0.2f, 0.2f, 0}, {0.4f, 0.4f, 0}, {0.6f, 0.6f, 0}};
  mesh.triangles = {{0, 1, 2}, {3, 4, 5}, {3, 3, 3}, {0, 1, 1}};  // a face, a collinear one, a point, a segment
  mesh.colors = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {0, 1, 1}, {1, 0, 1}};
  const std::vector<Camera> front = {Camera::look_at({0.0f, 0.0f, -2.732f})};
  for (const Distribution distribution : {Distribution::logistic, Distribution::uniform, Distribution::cauchy}) {
    for (const bool squared : {false, true}) {
      RasterSettings s = base_settings(32);
      s.distribution = distribution;
      s.squared = squared;
      s.sigma = squared ? 1e-3f : 0.02f;
      expect_parity(mesh, front, s, std::string(name(distribution)) + (squared ? ", squared" : ", linear"));
    }
  }
  // Looking away from the mesh: no face is binned, the image is the background and every gradient is zero.
  const std::vector<Camera> away = {Camera::look_at({0.0f, 0.0f, -2.732f}, {0.0f, 0.0f, -5.0f})};
  expect_parity(mesh, away, base_settings(32), "nothing visible");
}

TEST_F(VulkanParity, Spot) {
  const std::filesystem::path path =
      std::filesystem::path(PENUMBRA_SOURCE_DIR) / "../shared/assets/spot/spot_triangulated.obj";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "Spot not found at ../shared/assets/spot beside the repository";
  Mesh spot = load_mesh(path);
  normalize_to_unit_sphere(spot);
  for (const glm::vec3& p : spot.positions) spot.colors.push_back(0.5f * p + 0.5f);
  const std::vector<Camera> cameras = ring_cameras(2);
  RasterSettings soft_ras = base_settings(64);  // logistic, squared, sigma 2e-4
  expect_parity(spot, cameras, soft_ras, "spot, SoftRas setting");
  RasterSettings gendr = base_settings(64);
  gendr.distribution = Distribution::uniform;
  gendr.squared = false;
  gendr.sigma = 0.01f;
  expect_parity(spot, cameras, gendr, "spot, uniform");
}

}  // namespace
}  // namespace penumbra::test
