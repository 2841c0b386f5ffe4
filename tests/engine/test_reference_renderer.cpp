// Oracles: the float CPU Renderer on the same scene (images and every gradient agree to float precision), and
// central finite differences of L = sum(w * image) through the double-precision path for a vertex, a colour
// and a camera parameter.
#include <gtest/gtest.h>

#include <vector>

#include "penumbra/error.h"
#include "penumbra/mesh.h"
#include "penumbra/reference_renderer.h"
#include "penumbra/renderer.h"

namespace penumbra::test {
namespace {

struct Scene {
  Mesh mesh = icosphere(1);
  std::vector<Camera> cameras{Camera::orbit(20.0f, 15.0f, 3.0f),
                              Camera::from_pose({0.1f, 0.4f, 0.0f}, {0, 0, 3})};
  RasterSettings settings;

  Scene() {
    for (const auto& p : mesh.positions) mesh.colors.push_back(0.5f * p + 0.5f);
    settings.width = 24;
    settings.height = 20;
    settings.squared = false;
    settings.sigma = 0.02f;
    settings.gamma = 0.05f;
  }
  std::vector<glm::dvec3> positions() const { return {mesh.positions.begin(), mesh.positions.end()}; }
  std::vector<glm::dvec3> colors() const { return {mesh.colors.begin(), mesh.colors.end()}; }
  std::vector<DoubleCamera> double_cameras() const { return {cameras.begin(), cameras.end()}; }
  std::size_t image_values() const { return cameras.size() * settings.width * settings.height * 4; }
};

std::vector<double> weights(std::size_t count) {
  std::vector<double> w(count);
  for (std::size_t i = 0; i < count; ++i) w[i] = double((i * 7919) % 17) / 8.0 - 1.0;
  return w;
}

TEST(ReferenceRenderer, MatchesTheFloatRendererImagesAndGradients) {
  const Scene scene;
  Renderer renderer(Backend::cpu);
  const Images& images = renderer.forward(scene.mesh, scene.cameras, scene.settings);
  ReferenceRenderer reference(2);
  std::vector<double> image(scene.image_values());
  reference.forward(scene.positions(), scene.mesh.triangles, scene.colors(), scene.double_cameras(),
                    scene.settings, image);
  for (std::size_t i = 0; i < image.size(); ++i) ASSERT_NEAR(image[i], images.rgba[i], 1e-4) << i;

  const std::vector<double> w = weights(image.size());
  Images dL_dimages(images.views, images.height, images.width);
  for (std::size_t i = 0; i < w.size(); ++i) dL_dimages.rgba[i] = float(w[i]);
  const Gradients expected = renderer.backward(dL_dimages);
  const std::size_t vertices = scene.mesh.positions.size();
  std::vector<glm::dvec3> dL_dpositions(vertices), dL_dcolors(vertices);
  std::vector<DoubleCameraGradient> dL_dcameras(scene.cameras.size());
  reference.backward(w, dL_dpositions, dL_dcolors, dL_dcameras);
  double largest = 0;
  for (const auto& g : expected.dL_dpositions) largest = std::max(largest, double(glm::length(g)));
  ASSERT_GT(largest, 0.0);
  for (std::size_t v = 0; v < vertices; ++v) {
    EXPECT_LT(glm::length(dL_dpositions[v] - glm::dvec3(expected.dL_dpositions[v])), 1e-3 * largest) << v;
    EXPECT_LT(glm::length(dL_dcolors[v] - glm::dvec3(expected.dL_dcolors[v])), 1e-3) << v;
  }
  EXPECT_NEAR(dL_dcameras[0].fov_degrees, expected.dL_dcameras[0].fov_degrees,
              1e-3 * std::abs(expected.dL_dcameras[0].fov_degrees) + 1e-6);
  EXPECT_LT(glm::length(dL_dcameras[1].rotation - glm::dvec3(expected.dL_dcameras[1].rotation)),
            1e-3 * glm::length(glm::dvec3(expected.dL_dcameras[1].rotation)) + 1e-6);
}

TEST(ReferenceRenderer, GradientsMatchCentralDifferences) {
  const Scene scene;
  ReferenceRenderer reference(2);
  std::vector<glm::dvec3> positions = scene.positions(), colors = scene.colors();
  std::vector<DoubleCamera> cameras = scene.double_cameras();
  std::vector<double> image(scene.image_values());
  const std::vector<double> w = weights(image.size());
  auto loss = [&] {
    reference.forward(positions, scene.mesh.triangles, colors, cameras, scene.settings, image);
    double sum = 0;
    for (std::size_t i = 0; i < image.size(); ++i) sum += w[i] * image[i];
    return sum;
  };
  auto numeric = [&](double& parameter) {
    const double saved = parameter, step = 1e-6;
    parameter = saved + step;
    const double up = loss();
    parameter = saved - step;
    const double down = loss();
    parameter = saved;
    return (up - down) / (2 * step);
  };
  loss();
  const std::size_t vertices = positions.size();
  std::vector<glm::dvec3> dL_dpositions(vertices), dL_dcolors(vertices);
  std::vector<DoubleCameraGradient> dL_dcameras(cameras.size());
  reference.backward(w, dL_dpositions, dL_dcolors, dL_dcameras);
  for (int v : {0, 5, 17}) {
    for (int axis = 0; axis < 3; ++axis) {
      const double expected = numeric(positions[v][axis]);
      EXPECT_NEAR(dL_dpositions[v][axis], expected, 1e-5 * (1 + std::abs(expected))) << v << " " << axis;
    }
    const double expected_color = numeric(colors[v].y);
    EXPECT_NEAR(dL_dcolors[v].y, expected_color, 1e-5 * (1 + std::abs(expected_color))) << v;
  }
  const double expected_eye = numeric(cameras[0].eye.x);
  EXPECT_NEAR(dL_dcameras[0].eye.x, expected_eye, 1e-5 * (1 + std::abs(expected_eye)));
  const double expected_rotation = numeric(cameras[1].rotation.y);
  EXPECT_NEAR(dL_dcameras[1].rotation.y, expected_rotation, 1e-5 * (1 + std::abs(expected_rotation)));
}

TEST(ReferenceRenderer, RefusesBadInput) {
  const Scene scene;
  ReferenceRenderer reference(1);
  std::vector<glm::dvec3> positions = scene.positions();
  std::vector<double> image(scene.image_values());
  std::vector<double> too_small(3);
  EXPECT_THROW(reference.forward(positions, scene.mesh.triangles, {}, scene.double_cameras(), scene.settings,
                                 too_small),
               Error);
  positions[3].x = std::nan("");
  EXPECT_THROW(
      reference.forward(positions, scene.mesh.triangles, {}, scene.double_cameras(), scene.settings, image),
      Error);
  std::vector<glm::dvec3> gradients(positions.size());
  std::vector<DoubleCameraGradient> camera_gradients(scene.cameras.size());
  EXPECT_THROW(reference.backward(image, gradients, gradients, camera_gradients), Error);
}

}  // namespace
}  // namespace penumbra::test
