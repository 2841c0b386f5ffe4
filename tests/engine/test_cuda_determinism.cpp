// The CUDA backend's determinism (same inputs, same bits: the backward reduces without atomics) and its
// selection: `cuda` throws with a reason and `auto` falls back when no device can run it.
#include <cstring>

#include "penumbra/error.h"
#include "test_cuda_support.h"

namespace penumbra::test {
namespace {

using CudaDeterminism = CudaTest;

struct Outputs {
  std::vector<float> image, positions, colors, cameras;
};

Outputs render(Renderer& renderer, const Mesh& mesh, const std::vector<Camera>& cameras,
               const RasterSettings& s) {
  Outputs run;
  const Images& images = renderer.forward(mesh, cameras, s);
  run.image = images.rgba;
  const Gradients gradients = renderer.backward(random_upstream(images, 11));
  run.positions = flatten(gradients.dL_dpositions);
  run.colors = flatten(gradients.dL_dcolors);
  run.cameras = flatten(gradients.dL_dcameras);
  return run;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void expect_same_bits(const Outputs& a, const Outputs& b, const std::string& label) {
  EXPECT_TRUE(same_bits(a.image, b.image)) << label << ": image";
  EXPECT_TRUE(same_bits(a.positions, b.positions)) << label << ": dL/dpositions";
  EXPECT_TRUE(same_bits(a.colors, b.colors)) << label << ": dL/dcolors";
  EXPECT_TRUE(same_bits(a.cameras, b.cameras)) << label << ": dL/dcameras";
}

TEST_F(CudaDeterminism, SameBitsEveryRun) {
  // Many faces share each tile and each vertex, so any order-dependent sum would show.
  const Mesh mesh = random_scene(21, 4, 200);
  const std::vector<Camera> cameras = ring_cameras(4);
  RasterSettings s;
  s.width = 200;
  s.height = 152;
  s.distribution = Distribution::uniform;
  s.squared = false;
  s.sigma = 0.03f;
  s.gamma = 1e-2f;
  Renderer first(Backend::cuda), second(Backend::cuda);
  const Outputs reference = render(first, mesh, cameras, s);
  for (int repeat = 0; repeat < 3; ++repeat)
    expect_same_bits(render(first, mesh, cameras, s), reference, "same renderer");
  expect_same_bits(render(second, mesh, cameras, s), reference, "another renderer");
}

TEST(CudaSelection, CudaRequestAndAutoSayWhyWithoutADevice) {
  const std::string reason = detail::cuda_unavailable_reason();
  if (reason.empty()) {
    Renderer automatic(Backend::automatic);
    EXPECT_EQ(automatic.backend(), Backend::cuda) << automatic.backend_reason();
    return;
  }
  try {
    Renderer cuda(Backend::cuda);
    ADD_FAILURE() << "Backend::cuda was created although " << reason;
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(reason), std::string::npos) << error.what();
  }
  Renderer automatic(Backend::automatic);
  EXPECT_NE(automatic.backend(), Backend::cuda);
  EXPECT_NE(automatic.backend_reason().find("CUDA"), std::string::npos) << automatic.backend_reason();
}

}  // namespace
}  // namespace penumbra::test
