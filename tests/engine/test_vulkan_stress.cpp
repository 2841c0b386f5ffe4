// Sizes that stress the Vulkan backend's binning and buffers: 8 views of 512x512, and a dense mesh that
// packs hundreds of faces into one 16x16 tile. Both must equal the CPU image (max abs error 1e-4).
#include "test_vulkan_support.h"

namespace penumbra::test {
namespace {

using VulkanStress = VulkanTest;

TEST_F(VulkanStress, EightViewsOf512) {
  Mesh mesh = icosphere(3);
  for (const glm::vec3& p : mesh.positions) mesh.colors.push_back(0.5f * p + 0.5f);
  RasterSettings s;
  s.width = s.height = 512;
  s.sigma = 1e-5f;
  const std::vector<Camera> cameras = ring_cameras(8);
  Renderer cpu(Backend::cpu), gpu(Backend::vulkan);
  const Images& expected = cpu.forward(mesh, cameras, s);
  const Images& actual = gpu.forward(mesh, cameras, s);
  EXPECT_LE(max_abs_difference(actual.rgba, expected.rgba), kImageTolerance);
  const Images upstream = random_upstream(expected, 9);
  EXPECT_LE(relative_error(flatten(gpu.backward(upstream).dL_dpositions),
                           flatten(cpu.backward(upstream).dL_dpositions)),
            kGradientTolerance);
}

TEST_F(VulkanStress, HundredsOfFacesInOneTileLeaveNoHoles) {
  // A fan of 600 thin triangles around a centre, all within a few pixels of one tile, in depth layers.
  Mesh mesh;
  const int fan = 600;
  mesh.positions.push_back({0.0f, 0.0f, 0.0f});
  for (int k = 0; k <= fan; ++k) {
    const float angle = 6.2831853f * float(k) / float(fan);
    const float radius = 0.04f + 0.02f * float(k % 3);
    mesh.positions.push_back({radius * std::cos(angle), radius * std::sin(angle), 0.01f * float(k % 5)});
  }
  for (unsigned k = 0; k < unsigned(fan); ++k) mesh.triangles.push_back({0, k + 1, k + 2});
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    mesh.colors.push_back({float(v % 7) / 6.0f, float(v % 11) / 10.0f, float(v % 5) / 4.0f});
  }
  RasterSettings s;
  s.width = s.height = 96;
  s.sigma = 1e-5f;
  const std::vector<Camera> cameras = {Camera::look_at({0.0f, 0.0f, -2.732f})};
  Renderer cpu(Backend::cpu), gpu(Backend::vulkan);
  const Images& expected = cpu.forward(mesh, cameras, s);
  const Images& actual = gpu.forward(mesh, cameras, s);
  EXPECT_LE(max_abs_difference(actual.rgba, expected.rgba), kImageTolerance);
  // The centre is covered: no hole where hundreds of faces meet.
  EXPECT_GT(actual.at(0, 48, 48, 3), 0.99f);
  const Images upstream = random_upstream(expected, 4);
  EXPECT_LE(relative_error(flatten(gpu.backward(upstream).dL_dpositions),
                           flatten(cpu.backward(upstream).dL_dpositions)),
            kGradientTolerance);
}

}  // namespace
}  // namespace penumbra::test
