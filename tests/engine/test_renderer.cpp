// The public Renderer: determinism whatever the thread count, finite gradients for zero-area faces,
// memory that does not grow with pixels x faces, and clear errors for bad input.
#include <gtest/gtest.h>

#include <cmath>

#include "penumbra/error.h"
#include "penumbra/renderer.h"

namespace penumbra::test {
namespace {

Mesh colored_icosphere(int level) {
  Mesh mesh = icosphere(level);
  for (const auto& p : mesh.positions) mesh.colors.push_back(0.5f * p + 0.5f);
  return mesh;
}

std::vector<Camera> two_cameras() { return {Camera::orbit(20, 25, 3.0f), Camera::orbit(140, -10, 3.2f)}; }

RasterSettings settings(int size = 48) {
  RasterSettings s;
  s.width = s.height = size;
  s.sigma = 2e-4f;
  return s;
}

Images ones_like(const Images& images) {
  Images gradient(images.views, images.height, images.width, 1.0f);
  return gradient;
}

TEST(Renderer, SameBitsWhateverTheThreadCount) {
  const Mesh mesh = colored_icosphere(3);
  std::vector<float> reference_image;
  std::vector<glm::vec3> reference_positions, reference_colors;
  for (int threads : {1, 2, 3, 8}) {
    Renderer renderer(Backend::cpu, {threads});
    const Images& images = renderer.forward(mesh, two_cameras(), settings());
    Images upstream = ones_like(images);
    for (std::size_t i = 0; i < upstream.rgba.size(); ++i) upstream.rgba[i] = std::sin(float(i));
    const Gradients g = renderer.backward(upstream);
    if (reference_image.empty()) {
      reference_image = images.rgba;
      reference_positions = g.dL_dpositions;
      reference_colors = g.dL_dcolors;
      continue;
    }
    EXPECT_EQ(images.rgba, reference_image) << threads << " threads";
    EXPECT_EQ(g.dL_dpositions, reference_positions) << threads << " threads";
    EXPECT_EQ(g.dL_dcolors, reference_colors) << threads << " threads";
  }
}

TEST(Renderer, ZeroAreaFacesRenderWithFiniteGradients) {
  Mesh mesh;
  mesh.positions = {{-0.5f, -0.5f, 0}, {0.5f, -0.5f, 0}, {0, 0.5f, 0},
                    {0.2f, 0.2f, 0},   {0.4f, 0.4f, 0},  {0.6f, 0.6f, 0}};
  mesh.triangles = {
      {0, 1, 2}, {3, 4, 5}, {3, 3, 3}, {0, 1, 1}};  // a face, a collinear one, a point, a segment
  for (const Distribution d : {Distribution::logistic, Distribution::uniform, Distribution::cauchy}) {
    for (const bool squared : {false, true}) {
      Renderer renderer;
      RasterSettings s = settings(32);
      s.distribution = d;
      s.squared = squared;
      s.sigma = squared ? 1e-3f : 0.03f;
      const Images& images = renderer.forward(mesh, two_cameras(), s);
      for (float v : images.rgba) ASSERT_TRUE(std::isfinite(v));
      const Gradients g = renderer.backward(ones_like(images));
      for (const auto& v : g.dL_dpositions) ASSERT_TRUE(std::isfinite(v.x + v.y + v.z)) << name(d);
      for (const auto& c : g.dL_dcameras)
        ASSERT_TRUE(std::isfinite(c.eye.x + c.eye.y + c.eye.z + c.fov_degrees));
    }
  }
}

TEST(Renderer, GradientsFlowToEveryOutput) {
  Renderer renderer;
  const Mesh mesh = colored_icosphere(2);
  const Images& images = renderer.forward(mesh, two_cameras(), settings());
  Images upstream = ones_like(images);
  const Gradients g = renderer.backward(upstream);
  ASSERT_EQ(g.dL_dpositions.size(), mesh.positions.size());
  ASSERT_EQ(g.dL_dcolors.size(), mesh.positions.size());
  ASSERT_EQ(g.dL_dcameras.size(), 2u);
  float positions = 0, colors = 0;
  for (const auto& v : g.dL_dpositions) positions += glm::length(v);
  for (const auto& v : g.dL_dcolors) colors += glm::length(v);
  EXPECT_GT(positions, 0.0f);
  EXPECT_GT(colors, 0.0f);
  EXPECT_GT(glm::length(g.dL_dcameras[0].eye), 0.0f);
}

template <class Body>
void expect_error_mentioning(Body&& body, const std::string& fragment) {
  try {
    body();
    ADD_FAILURE() << "expected penumbra::Error mentioning '" << fragment << "'";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
    EXPECT_FALSE(error.hint().empty()) << error.what();
  }
}

TEST(Renderer, RejectsBadInputWithReasons) {
  Renderer renderer;
  const Mesh good = icosphere(1);
  const auto cameras = two_cameras();
  Mesh nan_mesh = good;
  nan_mesh.positions[3].y = NAN;
  expect_error_mentioning([&] { renderer.forward(nan_mesh, cameras, settings()); }, "vertex 3");
  Mesh inf_mesh = good;
  inf_mesh.positions[0].x = INFINITY;
  expect_error_mentioning([&] { renderer.forward(inf_mesh, cameras, settings()); }, "infinite");
  Mesh out_of_range = good;
  out_of_range.triangles[5].z = 1000;
  expect_error_mentioning([&] { renderer.forward(out_of_range, cameras, settings()); }, "face 5");
  expect_error_mentioning([&] { renderer.forward(Mesh{}, cameras, settings()); }, "empty");
  expect_error_mentioning([&] { renderer.forward(good, {}, settings()); }, "no cameras");

  RasterSettings s = settings();
  s.sigma = 0;
  expect_error_mentioning([&] { renderer.forward(good, cameras, s); }, "sigma");
  s = settings();
  s.sigma = NAN;
  expect_error_mentioning([&] { renderer.forward(good, cameras, s); }, "sigma");
  s = settings();
  s.width = 0;
  expect_error_mentioning([&] { renderer.forward(good, cameras, s); }, "size");
  s = settings();
  s.height = 16385;
  expect_error_mentioning([&] { renderer.forward(good, cameras, s); }, "size");
  s = settings();
  s.aggregation = Aggregation::schweizer_sklar;
  s.p = 2;
  expect_error_mentioning([&] { renderer.forward(good, cameras, s); }, "schweizer_sklar");
  s.aggregation = Aggregation::frank;
  s.p = 1;
  expect_error_mentioning([&] { renderer.forward(good, cameras, s); }, "frank");

  Camera bad = Camera::look_at({0, 0, 0}, {0, 0, 0});
  expect_error_mentioning([&] { renderer.forward(good, std::vector<Camera>{bad}, settings()); },
                          "same point");
  Camera wide = cameras[0];
  wide.fov_degrees = 180;
  expect_error_mentioning([&] { renderer.forward(good, std::vector<Camera>{wide}, settings()); },
                          "field of view");

  renderer.forward(good, cameras, settings());
  expect_error_mentioning([&] { renderer.backward(Images(1, 4, 4)); }, "shape");
  Renderer fresh;
  expect_error_mentioning([&] { fresh.backward(Images(1, 4, 4)); }, "before forward");
}

TEST(Renderer, FacesBehindTheCameraAreNotDrawn) {
  Mesh mesh = icosphere(2);
  Renderer renderer;
  // The eye inside the sphere: many faces straddle the near plane; nothing may blow up.
  const Images& images = renderer.forward(mesh, std::vector<Camera>{Camera::orbit(0, 0, 0.5f)}, settings());
  for (float v : images.rgba) ASSERT_TRUE(std::isfinite(v));
}

TEST(Settings, NamesRoundTrip) {
  for (Distribution d : all_distributions()) EXPECT_EQ(parse_distribution(name(d)), d);
  for (Aggregation a : all_aggregations()) EXPECT_EQ(parse_aggregation(name(a)), a);
  EXPECT_EQ(parse_distribution("gudermannian"), Distribution::hyperbolic_secant);
  EXPECT_THROW(parse_distribution("normal"), Error);
  EXPECT_THROW(parse_aggregation("sum"), Error);
  EXPECT_EQ(all_distributions().size(), 18u);
  EXPECT_EQ(all_aggregations().size(), 10u);
}

}  // namespace
}  // namespace penumbra::test
