// The Vulkan backend's own behaviour: identical bits over repeated runs (same and new renderers), buffers
// that survive shrinking and growing scenes, the GPU pair buffer growing when binning overflows it,
// backend selection and its reasons, and misuse reported as penumbra::Error. Validation layers on.
#include <cstdlib>
#include <cstring>

#include "test_vulkan_support.h"

namespace penumbra::test {
namespace {

using VulkanBackend = VulkanTest;

bool same_bits(const std::vector<glm::vec3>& a, const std::vector<glm::vec3>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(glm::vec3)) == 0;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

RasterSettings small_settings() {
  RasterSettings s;
  s.width = 56;
  s.height = 40;
  s.sigma = 3e-4f;
  s.gamma = 1e-2f;
  return s;
}

TEST_F(VulkanBackend, IdenticalBitsOverRepeatedRuns) {
  const Mesh mesh = random_scene(11, 1, 40);
  const std::vector<Camera> cameras = ring_cameras(3);
  const RasterSettings s = small_settings();
  Renderer first(Backend::vulkan);
  const std::vector<float> image = first.forward(mesh, cameras, s).rgba;
  const Images upstream = random_upstream(first.forward(mesh, cameras, s), 3);
  const Gradients reference = first.backward(upstream);
  for (int run = 0; run < 3; ++run) {
    Renderer fresh(Backend::vulkan);
    Renderer& renderer = run == 0 ? first : fresh;
    EXPECT_TRUE(same_bits(renderer.forward(mesh, cameras, s).rgba, image)) << "run " << run;
    const Gradients g = renderer.backward(upstream);
    EXPECT_TRUE(same_bits(g.dL_dpositions, reference.dL_dpositions)) << "run " << run;
    EXPECT_TRUE(same_bits(g.dL_dcolors, reference.dL_dcolors)) << "run " << run;
  }
}

TEST_F(VulkanBackend, ScenesThatShrinkAndGrowReuseTheRenderer) {
  Renderer renderer(Backend::vulkan);
  const Mesh big = random_scene(12, 1, 60), small = random_scene(13, 1, 2);
  RasterSettings s = small_settings();
  for (const int size : {64, 24, 80}) {
    s.width = s.height = size;
    for (const Mesh* mesh : {&big, &small}) {
      Renderer cpu(Backend::cpu);
      const std::vector<Camera> cameras = ring_cameras(mesh == &big ? 2 : 4);
      const Images& expected = cpu.forward(*mesh, cameras, s);
      EXPECT_LE(max_abs_difference(renderer.forward(*mesh, cameras, s).rgba, expected.rgba), kImageTolerance)
          << size << " px, " << mesh->triangles.size() << " faces";
      const Images upstream = random_upstream(expected, 5);
      EXPECT_LE(relative_error(flatten(renderer.backward(upstream).dL_dpositions),
                               flatten(cpu.backward(upstream).dL_dpositions)),
                kGradientTolerance);
    }
  }
}

TEST_F(VulkanBackend, PairBufferGrowsWhenBinningOverflowsIt) {
  // Cauchy's heavy tail puts every face in every tile: far more (face, tile) pairs than the first guess.
  const Mesh mesh = random_scene(14, 1, 30);
  RasterSettings s = small_settings();
  s.width = s.height = 96;
  s.distribution = Distribution::cauchy;
  s.squared = false;
  s.sigma = 0.01f;
  s.coverage_epsilon = 1e-4f;
  expect_parity(Backend::vulkan, mesh, ring_cameras(2), s, "cauchy, every face in every tile");
}

TEST_F(VulkanBackend, ReasonNamesTheDevice) {
  const Renderer renderer(Backend::vulkan);
  EXPECT_EQ(renderer.backend(), Backend::vulkan);
  EXPECT_EQ(renderer.backend_reason().rfind("Vulkan: ", 0), 0u) << renderer.backend_reason();
  EXPECT_NE(renderer.backend_reason().find(" ("), std::string::npos) << renderer.backend_reason();
}

TEST_F(VulkanBackend, AutoPrefersAVulkanGpuAndOtherwiseTheCpu) {
  const Renderer vulkan(Backend::vulkan);
  const bool cpu_driver = vulkan.backend_reason().find("(cpu)") != std::string::npos;
  const Renderer automatic(Backend::automatic);
  EXPECT_FALSE(automatic.backend_reason().empty());
  if (cpu_driver) {
    // lavapipe is slower than the CPU backend: auto says so and uses the CPU (or CUDA, where built).
    EXPECT_NE(automatic.backend(), Backend::vulkan) << automatic.backend_reason();
    EXPECT_NE(automatic.backend_reason().find("no Vulkan GPU"), std::string::npos)
        << automatic.backend_reason();
  } else if (automatic.backend() != Backend::cuda) {
    EXPECT_EQ(automatic.backend(), Backend::vulkan) << automatic.backend_reason();
  }
}

TEST(VulkanWithoutDriver, ExplicitRequestThrowsAndAutoFallsBackToTheCpu) {
  // Point the loader at a driver manifest that does not exist: as on a machine without any Vulkan driver.
  const char* previous = std::getenv("VK_ICD_FILENAMES");
  const std::string saved = previous ? previous : "";
  setenv("VK_ICD_FILENAMES", "/nonexistent/penumbra_no_driver.json", 1);
  try {
    Renderer renderer(Backend::vulkan);
    ADD_FAILURE() << "expected penumbra::Error, got " << renderer.backend_reason();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("no Vulkan"), std::string::npos) << error.what();
  }
  const Renderer automatic(Backend::automatic);
  EXPECT_NE(automatic.backend(), Backend::vulkan);
  EXPECT_NE(automatic.backend_reason().find("no Vulkan GPU"), std::string::npos)
      << automatic.backend_reason();
  if (previous)
    setenv("VK_ICD_FILENAMES", saved.c_str(), 1);
  else
    unsetenv("VK_ICD_FILENAMES");
}

TEST_F(VulkanBackend, BackwardBeforeForwardAndMisshapenGradientsThrow) {
  Renderer renderer(Backend::vulkan);
  EXPECT_THROW(renderer.backward(Images(1, 8, 8)), Error);
  const Images& images = renderer.forward(random_scene(15), ring_cameras(1), small_settings());
  EXPECT_THROW(renderer.backward(Images(images.views, images.height + 1, images.width)), Error);
}

// Vulkan renders unlit vertex colours: a lit model or texture sampling is refused, naming the backend.
TEST_F(VulkanBackend, RefusesShadingItCannotDo) {
  Renderer renderer(Backend::vulkan);
  RasterSettings lit = small_settings();
  lit.shading.model = ShadingModel::lambert;
  try {
    renderer.forward(random_scene(15), ring_cameras(1), lit);
    ADD_FAILURE() << "a lit render was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("not available on the vulkan backend"), std::string::npos)
        << error.what();
  }
  Mesh textured = random_scene(15);
  textured.corner_uvs.assign(textured.triangles.size() * 3, glm::vec2(0.5f));
  textured.texture = Images(1, 2, 2, 1.0f);
  RasterSettings sampled = small_settings();
  sampled.shading.use_texture = true;
  EXPECT_THROW(renderer.forward(textured, ring_cameras(1), sampled), Error);
  // Unlit, the same mesh renders (its texture unused).
  EXPECT_NO_THROW(renderer.forward(textured, ring_cameras(1), small_settings()));
}

}  // namespace
}  // namespace penumbra::test
