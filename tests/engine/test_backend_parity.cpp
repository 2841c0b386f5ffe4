// A GPU backend against the CPU reference (the oracle): forward images and every gradient (positions, colours,
// cameras) for each distribution with the probabilistic T-conorm, each T-conorm with the logistic
// distribution, both colour modes, back-face culling, degenerate faces, faces clipped at the near plane,
// several meshes, Spot, and one renderer reused across sizes. Tolerances: backend_parity.h (max abs error 1e-4 on images, relative 1e-3 on each
// gradient array). One source for every GPU backend, compiled once per backend (PENUMBRA_PARITY_BACKEND):
// Vulkan runs with the validation layers on (any message fails), CUDA skips, saying why, without a device.
#include <filesystem>

#if PENUMBRA_PARITY_BACKEND_VULKAN
#include "test_vulkan_support.h"
#else
#include "test_cuda_support.h"
#endif

namespace penumbra::test {
namespace {

#if PENUMBRA_PARITY_BACKEND_VULKAN
using GpuTest = VulkanTest;
constexpr Backend kBackend = Backend::vulkan;
#else
using GpuTest = CudaTest;
constexpr Backend kBackend = Backend::cuda;
#endif

using BackendParity = GpuTest;

// One test per distribution (each its own ctest entry, so they run in parallel), probabilistic T-conorm.
// Heavy tails (cauchy, reciprocal, levy) reach the whole screen: every face lands in every tile.
class DistributionParity : public GpuTest, public ::testing::WithParamInterface<Distribution> {};

TEST_P(DistributionParity, WithProbabilistic) {
  expect_parity(kBackend, random_scene(1), ring_cameras(2), distribution_settings(GetParam()),
                std::string(name(GetParam())));
}

INSTANTIATE_TEST_SUITE_P(Every, DistributionParity, ::testing::ValuesIn(all_distributions()),
                         [](const auto& param_info) { return std::string(name(param_info.param)); });

TEST_F(BackendParity, EveryAggregationWithLogistic) {
  const Mesh mesh = random_scene(2);
  const std::vector<Camera> cameras = ring_cameras(2);
  for (const Aggregation aggregation : all_aggregations()) {
    RasterSettings s = base_settings(40);
    s.aggregation = aggregation;
    s.p = aggregation_parameter(aggregation);
    expect_parity(kBackend, mesh, cameras, s, std::string(name(aggregation)));
  }
}

TEST_F(BackendParity, HardColoursLinearDistancesAndCulledBackFaces) {
  const Mesh mesh = random_scene(3);
  const std::vector<Camera> cameras = ring_cameras(3);
  RasterSettings s = base_settings(48);
  s.colors = ColorMode::hard;
  expect_parity(kBackend, mesh, cameras, s, "hard colours");
  s.colors = ColorMode::softmax;
  s.back_faces = BackFaces::cull;
  s.distribution = Distribution::gaussian;
  s.shift = 0.5f;
  expect_parity(kBackend, mesh, cameras, s, "culled back faces, gaussian with shift");
  s.squared = false;
  s.sigma = 0.01f;
  s.distribution = Distribution::heaviside;
  expect_parity(kBackend, mesh, cameras, s, "heaviside, linear distance");
}

TEST_F(BackendParity, GendrConventionsAndClosestPointColours) {
  const Mesh mesh = random_scene(8);
  const std::vector<Camera> cameras = ring_cameras(2);
  for (const auto& [distribution, shift] :
       {std::pair{Distribution::logistic, 0.5f}, std::pair{Distribution::gamma, 12.0f},
        std::pair{Distribution::gamma_rev, 1.5f}}) {
    RasterSettings s = distribution_settings(distribution);
    s.gendr_compatible();
    s.shift = shift;
    expect_parity(kBackend, mesh, cameras, s, "gendr conventions, " + std::string(name(distribution)));
  }
  RasterSettings closest = base_settings(40);
  closest.clipped_barycentrics = false;
  expect_parity(kBackend, mesh, cameras, closest, "closest-point barycentrics outside faces");
}

TEST_F(BackendParity, DegenerateFacesAndNothingVisible) {
  Mesh mesh;
  mesh.positions = {{-0.5f, -0.5f, 0}, {0.5f, -0.5f, 0}, {0, 0.5f, 0},
                    {0.2f, 0.2f, 0},   {0.4f, 0.4f, 0},  {0.6f, 0.6f, 0}};
  mesh.triangles = {
      {0, 1, 2}, {3, 4, 5}, {3, 3, 3}, {0, 1, 1}};  // a face, a collinear one, a point, a segment
  mesh.colors = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {0, 1, 1}, {1, 0, 1}};
  const std::vector<Camera> front = {Camera::look_at({0.0f, 0.0f, -2.732f})};
  for (const Distribution distribution :
       {Distribution::logistic, Distribution::uniform, Distribution::cauchy}) {
    for (const bool squared : {false, true}) {
      RasterSettings s = base_settings(32);
      s.distribution = distribution;
      s.squared = squared;
      s.sigma = squared ? 1e-3f : 0.02f;
      expect_parity(kBackend, mesh, front, s,
                    std::string(name(distribution)) + (squared ? ", squared" : ", linear"));
    }
  }
  // Looking away from the mesh, or every face behind the camera: no face is binned, the image is the
  // background and every gradient is zero.
  const std::vector<Camera> away = {Camera::look_at({0.0f, 0.0f, -2.732f}, {0.0f, 0.0f, -5.0f})};
  expect_parity(kBackend, mesh, away, base_settings(32), "looking away");
  Mesh behind = random_scene(7);
  for (glm::vec3& p : behind.positions) p.z -= 10.0f;
  expect_parity(kBackend, behind, {Camera::look_at({0.0f, 0.0f, -2.0f}, {0.0f, 0.0f, -3.0f})},
                base_settings(40), "behind");
}

TEST_F(BackendParity, FacesClippedAtTheNearPlane) {
  // The first camera sits inside the sphere (most faces cross its near plane), the second close to its
  // surface (a few do), the third sees it whole: each view draws its own clipped pieces.
  Mesh sphere = icosphere(2);
  for (const glm::vec3& p : sphere.positions) sphere.colors.push_back(0.5f * p + 0.5f);
  Camera inside = Camera::look_at({0.1f, 0.05f, 0.2f}, {0.3f, 0.0f, -1.0f});
  inside.near = 0.5f;
  Camera close = Camera::look_at({0.2f, 0.1f, -1.4f}, {0.0f, 0.0f, 0.0f});
  close.near = 0.5f;
  const std::vector<Camera> cameras{inside, close, ring_cameras(1)[0]};
  for (const ColorMode mode : {ColorMode::softmax, ColorMode::hard}) {
    RasterSettings s = base_settings(40);
    s.colors = mode;
    expect_parity(kBackend, sphere, cameras, s,
                  "near-plane clipping, " + std::string(name(mode)) + " colours");
  }
  RasterSettings gendr = base_settings(40);
  gendr.gendr_compatible();
  gendr.back_faces = BackFaces::cull;
  expect_parity(kBackend, sphere, cameras, gendr,
                "near-plane clipping, gendr conventions, culled back faces");
}

TEST_F(BackendParity, SeveralMeshes) {
  const std::vector<Camera> cameras = ring_cameras(2);
  expect_parity(kBackend, random_scene(4, 3, 40), cameras, base_settings(64),
                "icosphere level 3 with 40 loose triangles");
  Mesh sphere = icosphere(4);
  for (const glm::vec3& p : sphere.positions) sphere.colors.push_back(0.5f * p + 0.5f);
  expect_parity(kBackend, sphere, cameras, base_settings(64), "icosphere level 4");
  Mesh uncoloured = icosphere(2);  // renders white: colour gradients still flow
  expect_parity(kBackend, uncoloured, ring_cameras(1), base_settings(33), "uncoloured icosphere level 2");
}

TEST_F(BackendParity, Spot) {
  Mesh spot = load_mesh(std::filesystem::path(PENUMBRA_SOURCE_DIR) / "assets/spot/spot_triangulated.obj");
  normalize_to_unit_sphere(spot);
  spot.colors.clear();
  for (const glm::vec3& p : spot.positions) spot.colors.push_back(0.5f * p + 0.5f);
  const std::vector<Camera> cameras = ring_cameras(2, 2.7f);
  RasterSettings soft_ras = base_settings(64);  // logistic, squared
  soft_ras.sigma = 1e-4f;
  soft_ras.gamma = 1e-4f;
  expect_parity(kBackend, spot, cameras, soft_ras, "spot, SoftRas setting");
  RasterSettings gendr = base_settings(64);
  gendr.distribution = Distribution::uniform;
  gendr.squared = false;
  gendr.sigma = 0.01f;
  expect_parity(kBackend, spot, cameras, gendr, "spot, uniform");
}

TEST_F(BackendParity, OneRendererAcrossSizesAndTopologies) {
  // Buffers grow, stay large and are reused; the topology is uploaded again when it changes.
  Renderer gpu(kBackend);
  expect_parity(gpu, random_scene(5), ring_cameras(1), base_settings(32), "small");
  expect_parity(gpu, random_scene(6, 2), ring_cameras(3), base_settings(100), "larger, new topology");
  expect_parity(gpu, random_scene(5), ring_cameras(2), base_settings(24), "smaller again");
  RasterSettings wide = base_settings(24);
  wide.width = 130;
  expect_parity(gpu, random_scene(6, 2), ring_cameras(1), wide, "wide");
}

}  // namespace
}  // namespace penumbra::test
