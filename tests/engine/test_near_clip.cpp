// Oracles for near-plane clipping: central finite differences in double (ReferenceRenderer) across the clip
// for vertex positions, colours and camera parameters; a camera inside a closed box sees its inside
// everywhere; a face wholly behind the near plane draws nothing and gets no gradient; views rendered together
// equal views rendered one by one (a clip point belongs to its own view only); the float renderer agrees with
// the double one on clipped scenes; the raster faces list each mesh face with its pieces right after it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "penumbra/mesh.h"
#include "penumbra/reference_renderer.h"
#include "penumbra/renderer.h"
#include "scene_projection.h"

namespace penumbra::test {
namespace {

RasterSettings settings(int size = 20) {
  RasterSettings s;
  s.width = size;
  s.height = size + 2;
  s.squared = false;
  s.sigma = 0.05f;
  s.gamma = 0.1f;
  s.coverage_epsilon = 1e-12f;
  return s;
}

// Two faces seen from the origin down +z (near 1) by a look-at, a pose and an orthographic camera: the first
// face has one corner behind the near plane, the second two; they share no vertex.
struct ClippedScene {
  std::vector<glm::dvec3> positions{{-0.6, -0.4, 2.1}, {0.7, -0.3, 2.6}, {0.1, 0.5, 0.5},
                                    {-0.7, 0.2, 3.1},  {-0.2, 0.6, 0.4}, {0.4, 0.1, 0.2}};
  std::vector<glm::uvec3> triangles{{0, 1, 2}, {3, 4, 5}};
  std::vector<glm::dvec3> colors{{0.9, 0.1, 0.2}, {0.1, 0.8, 0.3}, {0.2, 0.3, 0.9},
                                 {0.7, 0.6, 0.1}, {0.3, 0.2, 0.8}, {0.5, 0.9, 0.4}};
  std::vector<DoubleCamera> cameras;

  ClippedScene() {
    DoubleCamera look;
    look.eye = {0.02, -0.03, 0.0};
    look.at = {0.0, 0.0, 1.0};
    look.fov_degrees = 80.0;
    look.near = 1.0;
    look.far = 6.0;
    DoubleCamera pose;
    pose.model = CameraModel::pose;
    pose.rotation = {0.03, -0.02, 0.01};
    pose.translation = {0.01, 0.02, 0.05};
    pose.fov_degrees = 75.0;
    pose.near = 1.0;
    pose.far = 6.0;
    DoubleCamera flat = look;
    flat.projection = Projection::orthographic;
    flat.ortho_scale = 0.8;
    cameras = {look, pose, flat};
  }
};

std::vector<double> weights(std::size_t count) {
  std::vector<double> w(count);
  for (std::size_t i = 0; i < count; ++i) w[i] = double((i * 7919) % 17) / 8.0 - 1.0;
  return w;
}

double weighted_sum(const std::vector<double>& image, const std::vector<double>& w) {
  double sum = 0;
  for (std::size_t i = 0; i < image.size(); ++i) sum += w[i] * image[i];
  return sum;
}

TEST(NearClip, GradientsMatchCentralDifferencesAcrossTheClip) {
  ClippedScene scene;
  const RasterSettings s = settings();
  ReferenceRenderer reference(2);
  std::vector<double> image(scene.cameras.size() * s.width * s.height * 4);
  const std::vector<double> w = weights(image.size());
  auto loss = [&] {
    reference.forward(scene.positions, scene.triangles, scene.colors, scene.cameras, s, image);
    return weighted_sum(image, w);
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
  double largest_alpha = 0;
  for (std::size_t i = 3; i < image.size(); i += 4) largest_alpha = std::max(largest_alpha, image[i]);
  EXPECT_GT(largest_alpha, 0.9);  // the parts in front are drawn
  const std::size_t vertices = scene.positions.size();
  std::vector<glm::dvec3> dL_dpositions(vertices), dL_dcolors(vertices);
  std::vector<DoubleCameraGradient> dL_dcameras(scene.cameras.size());
  reference.backward(w, dL_dpositions, dL_dcolors, dL_dcameras);
  auto expect_gradient = [&](double analytic, double& parameter, const std::string& what) {
    const double expected = numeric(parameter);
    EXPECT_NEAR(analytic, expected, 1e-5 * (1 + std::abs(expected))) << what;
  };
  // Every vertex, the ones behind the near plane included: they move the clip points.
  double behind_gradient = 0;
  for (std::size_t v = 0; v < vertices; ++v) {
    for (int k = 0; k < 3; ++k) {
      const std::string where = " of vertex " + std::to_string(v) + " axis " + std::to_string(k);
      expect_gradient(dL_dpositions[v][k], scene.positions[v][k], "position" + where);
      expect_gradient(dL_dcolors[v][k], scene.colors[v][k], "colour" + where);
    }
    if (scene.positions[v].z < 1.0)
      behind_gradient += glm::length(dL_dpositions[v]) + glm::length(dL_dcolors[v]);
  }
  EXPECT_GT(behind_gradient, 0.0);
  DoubleCamera& look = scene.cameras[0];
  DoubleCamera& pose = scene.cameras[1];
  for (int k = 0; k < 3; ++k) {
    expect_gradient(dL_dcameras[0].eye[k], look.eye[k], "eye " + std::to_string(k));
    expect_gradient(dL_dcameras[0].at[k], look.at[k], "at " + std::to_string(k));
    expect_gradient(dL_dcameras[0].up[k], look.up[k], "up " + std::to_string(k));
    expect_gradient(dL_dcameras[1].rotation[k], pose.rotation[k], "rotation " + std::to_string(k));
    expect_gradient(dL_dcameras[1].translation[k], pose.translation[k], "translation " + std::to_string(k));
  }
  expect_gradient(dL_dcameras[0].fov_degrees, look.fov_degrees, "fov of the look-at camera");
  expect_gradient(dL_dcameras[1].fov_degrees, pose.fov_degrees, "fov of the pose camera");
  expect_gradient(dL_dcameras[2].ortho_scale, scene.cameras[2].ortho_scale, "orthographic scale");
  expect_gradient(dL_dcameras[2].eye.x, scene.cameras[2].eye.x, "eye of the orthographic camera");
}

TEST(NearClip, SoftmaxDepthAndHardColourGradientsAcrossTheClip) {
  ClippedScene scene;
  scene.cameras.resize(1);  // the look-at camera
  ReferenceRenderer reference(2);
  for (const ColorMode mode : {ColorMode::softmax, ColorMode::hard}) {
    RasterSettings s = settings();
    s.colors = mode;
    s.gamma = 0.01f;  // depth dominates the blend
    std::vector<double> image(std::size_t(s.width) * s.height * 4);
    const std::vector<double> w = weights(image.size());
    auto loss = [&] {
      reference.forward(scene.positions, scene.triangles, scene.colors, scene.cameras, s, image);
      return weighted_sum(image, w);
    };
    loss();
    std::vector<glm::dvec3> dL_dpositions(6), dL_dcolors(6);
    std::vector<DoubleCameraGradient> dL_dcameras(1);
    reference.backward(w, dL_dpositions, dL_dcolors, dL_dcameras);
    for (int v : {2, 4, 5}) {  // behind the near plane: only the clip points carry their gradient
      for (int k = 0; k < 3; ++k) {
        double& parameter = scene.positions[v][k];
        const double saved = parameter, step = 1e-6;
        parameter = saved + step;
        const double up = loss();
        parameter = saved - step;
        const double down = loss();
        parameter = saved;
        const double expected = (up - down) / (2 * step);
        EXPECT_NEAR(dL_dpositions[v][k], expected, 1e-5 * (1 + std::abs(expected)))
            << name(mode) << " vertex " << v << " axis " << k;
      }
    }
  }
}

// A closed box around the eye, its faces wound outwards; the eye sits near one wall, so the side walls
// cross the near plane.
Mesh box(float half) {
  Mesh mesh;
  for (int i = 0; i < 8; ++i) {
    mesh.positions.push_back({i & 1 ? half : -half, i & 2 ? half : -half, i & 4 ? half : -half});
    mesh.colors.push_back({float(i & 1), float((i >> 1) & 1), float((i >> 2) & 1)});
  }
  mesh.triangles = {{0, 2, 1}, {1, 2, 3}, {4, 5, 6}, {5, 7, 6}, {0, 1, 4}, {1, 5, 4},
                    {2, 6, 3}, {3, 6, 7}, {0, 4, 2}, {2, 4, 6}, {1, 3, 5}, {3, 7, 5}};
  return mesh;
}

TEST(NearClip, ACameraInsideAClosedMeshSeesItsInside) {
  const Mesh mesh = box(1.0f);
  Camera camera = Camera::look_at({0.1f, -0.05f, 0.9f}, {0.1f, -0.05f, -1.0f});
  camera.fov_degrees = 100.0f;
  camera.near = 0.3f;
  Renderer renderer;
  RasterSettings s = settings(32);
  s.sigma = 0.01f;
  const Images& images = renderer.forward(mesh, std::vector<Camera>{camera}, s);
  float smallest_alpha = 1;
  for (std::size_t i = 3; i < images.rgba.size(); i += 4)
    smallest_alpha = std::min(smallest_alpha, images.rgba[i]);
  // Every pixel sees a wall (where two faces meet, each covers half).
  EXPECT_GT(smallest_alpha, 0.5f);
  Images upstream(1, s.height, s.width);
  for (float& v : upstream.rgba) v = 1.0f;
  const Gradients gradients = renderer.backward(upstream);
  for (const glm::vec3& g : gradients.dL_dpositions) {
    for (int k = 0; k < 3; ++k) ASSERT_TRUE(std::isfinite(g[k]));
  }
}

TEST(NearClip, AFaceWhollyBehindTheNearPlaneDrawsNothing) {
  Mesh mesh;
  mesh.positions = {{-0.5f, -0.5f, 0.5f}, {0.5f, -0.5f, 0.6f}, {0.0f, 0.5f, 0.9f}};
  mesh.triangles = {{0, 1, 2}};
  mesh.colors = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  Camera camera = Camera::look_at({0.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 1.0f});
  camera.near = 1.0f;
  Renderer renderer;
  RasterSettings s = settings();
  s.distribution = Distribution::cauchy;  // reaches every pixel if drawn at all
  const Images& images = renderer.forward(mesh, std::vector<Camera>{camera}, s);
  for (std::size_t i = 3; i < images.rgba.size(); i += 4) ASSERT_EQ(images.rgba[i], 0.0f) << i;
  Images upstream(1, s.height, s.width);
  for (float& v : upstream.rgba) v = 1.0f;
  const Gradients gradients = renderer.backward(upstream);
  for (std::size_t v = 0; v < 3; ++v) {
    EXPECT_EQ(glm::length(gradients.dL_dpositions[v]), 0.0f);
    EXPECT_EQ(glm::length(gradients.dL_dcolors[v]), 0.0f);
  }
}

TEST(NearClip, ViewsTogetherEqualViewsAlone) {
  // The faces cross the first camera's near plane only; the second sees them whole.
  const ClippedScene scene;
  Mesh mesh;
  mesh.positions.assign(scene.positions.begin(), scene.positions.end());
  mesh.colors.assign(scene.colors.begin(), scene.colors.end());
  mesh.triangles = scene.triangles;
  const std::vector<Camera> cameras{Camera::look_at({0.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 1.0f}),
                                    Camera::look_at({0.3f, 0.2f, -3.0f}, {0.0f, 0.0f, 1.0f})};
  std::vector<Camera> near_one = cameras;
  near_one[0].near = 1.0f;
  const RasterSettings s = settings();
  Renderer together, alone;
  const Images both = together.forward(mesh, near_one, s);
  Images upstream(2, s.height, s.width);
  for (std::size_t i = 0; i < upstream.rgba.size(); ++i) upstream.rgba[i] = float((i * 31) % 7) / 7.0f - 0.4f;
  const Gradients joint = together.backward(upstream);
  const std::size_t per_view = std::size_t(s.width) * s.height * 4;
  std::vector<glm::vec3> positions_sum(mesh.positions.size()), colors_sum(mesh.positions.size());
  for (std::size_t view = 0; view < 2; ++view) {
    const Images& one = alone.forward(mesh, std::vector<Camera>{near_one[view]}, s);
    for (std::size_t i = 0; i < per_view; ++i) ASSERT_EQ(one.rgba[i], both.rgba[view * per_view + i]) << view;
    Images upstream_one(1, s.height, s.width);
    std::copy_n(upstream.rgba.begin() + view * per_view, per_view, upstream_one.rgba.begin());
    const Gradients single = alone.backward(upstream_one);
    for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
      positions_sum[v] += single.dL_dpositions[v];
      colors_sum[v] += single.dL_dcolors[v];
    }
    EXPECT_EQ(single.dL_dcameras[0].eye, joint.dL_dcameras[view].eye) << view;
  }
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    EXPECT_LT(glm::length(positions_sum[v] - joint.dL_dpositions[v]),
              1e-5f * (1 + glm::length(positions_sum[v])));
    EXPECT_LT(glm::length(colors_sum[v] - joint.dL_dcolors[v]), 1e-5f * (1 + glm::length(colors_sum[v])));
  }
}

TEST(NearClip, PiecesFollowTheirFaceInEveryView) {
  const ClippedScene scene;
  std::vector<detail::CameraT<double>> cameras;
  for (const DoubleCamera& c : scene.cameras) {
    detail::CameraT<double> camera;
    camera.model = c.model;
    camera.eye = c.eye;
    camera.at = c.at;
    camera.up = c.up;
    camera.rotation = c.rotation;
    camera.translation = c.translation;
    camera.projection = c.projection;
    camera.fov_degrees = c.fov_degrees;
    camera.ortho_scale = c.ortho_scale;
    camera.near = c.near;
    camera.far = c.far;
    cameras.push_back(camera);
  }
  detail::SceneProjection<double> projection;
  projection.forward(scene.positions, scene.triangles, scene.colors, cameras, 1.0);
  // Three views each cut face 0 into two pieces and face 1 into one: the face, then its pieces view by view.
  const std::vector<std::uint32_t> expected{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  const std::span<const std::uint32_t> parents = projection.parent_faces();
  EXPECT_EQ(std::vector<std::uint32_t>(parents.begin(), parents.end()), expected);
  const detail::RasterScene<double> raster = projection.scene();
  ASSERT_EQ(raster.triangles.size(), expected.size());
  // Each view has two clip points per face; every piece's corners are in front of that view's near plane
  // in exactly one view.
  const std::size_t raster_vertices = raster.colors.size();
  EXPECT_EQ(raster_vertices, scene.positions.size() + 3 * 4);
  for (std::size_t f = 1; f < raster.triangles.size(); ++f) {
    if (f == 7) continue;  // face 1 itself
    int views_drawing = 0;
    for (int view = 0; view < raster.views; ++view) {
      const glm::dvec3* screen = raster.screen.data() + view * raster_vertices;
      const glm::uvec3 t = raster.triangles[f];
      views_drawing += std::min({screen[t.x].z, screen[t.y].z, screen[t.z].z}) >= 1.0;
    }
    EXPECT_EQ(views_drawing, 1) << "raster face " << f;
  }
}

TEST(NearClip, FloatRendererAgreesWithTheDoubleOne) {
  const ClippedScene scene;
  Mesh mesh;
  mesh.positions.assign(scene.positions.begin(), scene.positions.end());
  mesh.colors.assign(scene.colors.begin(), scene.colors.end());
  mesh.triangles = scene.triangles;
  Camera camera = Camera::look_at({0.02f, -0.03f, 0.0f}, {0.0f, 0.0f, 1.0f});
  camera.fov_degrees = 80.0f;
  camera.near = 1.0f;
  camera.far = 6.0f;
  const RasterSettings s = settings();
  Renderer renderer;
  const Images& images = renderer.forward(mesh, std::vector<Camera>{camera}, s);
  ReferenceRenderer reference(2);
  std::vector<double> image(images.rgba.size());
  reference.forward(scene.positions, scene.triangles, scene.colors,
                    std::vector<DoubleCamera>{DoubleCamera(camera)}, s, image);
  for (std::size_t i = 0; i < image.size(); ++i) ASSERT_NEAR(images.rgba[i], image[i], 1e-5) << i;
  const std::vector<double> w = weights(image.size());
  Images upstream(1, s.height, s.width);
  for (std::size_t i = 0; i < w.size(); ++i) upstream.rgba[i] = float(w[i]);
  const Gradients expected = renderer.backward(upstream);
  std::vector<glm::dvec3> dL_dpositions(6), dL_dcolors(6);
  std::vector<DoubleCameraGradient> dL_dcameras(1);
  reference.backward(w, dL_dpositions, dL_dcolors, dL_dcameras);
  double largest = 0;
  for (const glm::dvec3& g : dL_dpositions) largest = std::max(largest, glm::length(g));
  for (std::size_t v = 0; v < 6; ++v) {
    EXPECT_LT(glm::length(dL_dpositions[v] - glm::dvec3(expected.dL_dpositions[v])), 1e-3 * largest) << v;
    EXPECT_LT(glm::length(dL_dcolors[v] - glm::dvec3(expected.dL_dcolors[v])), 1e-3) << v;
  }
  EXPECT_LT(glm::length(dL_dcameras[0].eye - glm::dvec3(expected.dL_dcameras[0].eye)),
            1e-3 * glm::length(dL_dcameras[0].eye));
}

}  // namespace
}  // namespace penumbra::test
