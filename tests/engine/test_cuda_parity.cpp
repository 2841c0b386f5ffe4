// The CUDA backend against the CPU reference (the oracle): forward images and every gradient (positions,
// colours, cameras) for each distribution with the probabilistic T-conorm, each T-conorm with the logistic
// distribution, both colour modes, back-face culling, several meshes and Spot. Tolerances: test_cuda_support.h
// (max abs error 1e-4 on images, relative 1e-3 on each gradient array). Skips, saying why, without a device.
#include <filesystem>
#include <optional>

#include "test_cuda_support.h"

namespace penumbra::test {
namespace {

using CudaParity = CudaTest;

std::optional<Mesh> load_spot() {
  const auto path = std::filesystem::path(PENUMBRA_SOURCE_DIR) / "../shared/assets/spot/spot_triangulated.obj";
  if (!std::filesystem::exists(path)) return std::nullopt;
  Mesh spot = load_mesh(path);
  normalize_to_unit_sphere(spot);
  for (const glm::vec3& p : spot.positions) spot.colors.push_back(0.5f * p + 0.5f);
  return spot;
}

TEST_F(CudaParity, EveryDistributionWithProbabilistic) {
  const Mesh mesh = random_scene(1);
  const std::vector<Camera> cameras = ring_cameras(2);
  // Heavy tails (cauchy, reciprocal, levy) reach the whole screen: every face lands in every tile.
  for (const Distribution distribution : all_distributions()) {
    expect_parity(mesh, cameras, distribution_settings(distribution), std::string(name(distribution)));
  }
}

TEST_F(CudaParity, EveryAggregationWithLogistic) {
  const Mesh mesh = random_scene(2);
  const std::vector<Camera> cameras = ring_cameras(2);
  for (const Aggregation aggregation : all_aggregations()) {
    RasterSettings s = base_settings(40);
    s.aggregation = aggregation;
    s.p = aggregation_parameter(aggregation);
    expect_parity(mesh, cameras, s, std::string(name(aggregation)));
  }
}

TEST_F(CudaParity, HardColoursLinearDistancesAndCulledBackFaces) {
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
  s.squared = false;
  s.sigma = 0.01f;
  s.distribution = Distribution::heaviside;
  expect_parity(mesh, cameras, s, "heaviside, linear distance");
}

TEST_F(CudaParity, SeveralMeshes) {
  const std::vector<Camera> cameras = ring_cameras(4);
  expect_parity(random_scene(4, 3, 40), cameras, base_settings(96), "icosphere level 3 with 40 loose triangles");
  Mesh sphere = icosphere(4);
  for (const glm::vec3& p : sphere.positions) sphere.colors.push_back(0.5f * p + 0.5f);
  expect_parity(sphere, cameras, base_settings(128), "icosphere level 4");
  Mesh uncoloured = icosphere(2);  // renders white: colour gradients still flow
  expect_parity(uncoloured, ring_cameras(1), base_settings(33), "uncoloured icosphere level 2");
}

TEST_F(CudaParity, Spot) {
  const std::optional<Mesh> spot = load_spot();
  if (!spot) GTEST_SKIP() << "Spot not found at ../shared/assets/spot beside the repository";
  const std::vector<Camera> cameras = ring_cameras(4, 2.7f);
  RasterSettings soft_ras = base_settings(128);  // logistic, squared
  soft_ras.sigma = 1e-4f;
  soft_ras.gamma = 1e-4f;
  expect_parity(*spot, cameras, soft_ras, "spot, SoftRas setting");
  RasterSettings gendr = base_settings(128);
  gendr.distribution = Distribution::uniform;
  gendr.squared = false;
  gendr.sigma = 0.01f;
  expect_parity(*spot, cameras, gendr, "spot, uniform");
}

TEST_F(CudaParity, OneRendererAcrossSizesAndTopologies) {
  // Buffers grow, stay large and are reused; the topology is uploaded again when it changes.
  Renderer cuda(Backend::cuda);
  expect_parity(cuda, random_scene(5), ring_cameras(1), base_settings(32), "small");
  expect_parity(cuda, random_scene(6, 2), ring_cameras(3), base_settings(100), "larger, new topology");
  expect_parity(cuda, random_scene(5), ring_cameras(2), base_settings(24), "smaller again");
  RasterSettings wide = base_settings(24);
  wide.width = 130;
  expect_parity(cuda, random_scene(6, 2), ring_cameras(1), wide, "wide");
}

TEST_F(CudaParity, NothingVisible) {
  // Every face behind the camera: no tile entries at all, the background and zero gradients.
  Mesh mesh = random_scene(7);
  for (glm::vec3& p : mesh.positions) p.z -= 10.0f;
  expect_parity(mesh, {Camera::look_at({0.0f, 0.0f, -2.0f}, {0.0f, 0.0f, -3.0f})}, base_settings(40), "behind");
}

}  // namespace
}  // namespace penumbra::test
