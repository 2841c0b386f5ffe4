// Shading (lambert, Blinn-Phong, spherical harmonics, textures): central finite differences in double of
// L = sum(w * image) through the whole chain (world positions -> screen and normals, texels, UVs, lights,
// material, SH coefficients) against the analytic backward, under several distributions, T-conorms and hard
// colours; a hand-worked pixel per model; the same bits for any thread count; bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "penumbra/error.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"
#include "raster_scene.h"
#include "scene_projection.h"
#include "surface_setup.h"

namespace penumbra::test {
namespace {

using Vec2d = detail::Vec2<double>;
using Vec3d = detail::Vec3<double>;
using ShadingD = kernels::Of<double>::Shading;

constexpr int kSize = 20;
constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-5;

RasterSettings base_settings() {
  RasterSettings s;
  s.width = kSize;
  s.height = kSize;
  s.gamma = 0.05f;
  s.background = {0.2f, 0.4f, 0.6f};
  s.squared = true;
  s.sigma = 0.002f;
  s.coverage_epsilon = 1e-12f;  // keep the skip rule's jump far below the finite differences
  return s;
}

Shading lit_shading(ShadingModel model) {
  Shading shading;
  shading.model = model;
  shading.ambient = {0.2f, 0.25f, 0.3f};
  shading.lights = {{LightKind::directional, {0.3f, -0.5f, -1.0f}, {0.9f, 0.8f, 0.7f}},
                    {LightKind::point, {1.5f, 1.0f, 2.0f}, {0.6f, 0.7f, 0.9f}}};
  shading.specular = {0.5f, 0.4f, 0.3f};
  shading.shininess = 6.0f;
  std::mt19937 random(5);
  std::normal_distribution<float> normal(0.0f, 0.3f);
  for (auto& coefficient : shading.sh) coefficient = {normal(random), normal(random), normal(random)};
  shading.sh[0] += glm::vec3(1.2f);
  return shading;
}

// A lumpy icosphere seen from an oblique camera, with vertex colours, random corner UVs (some outside [0, 1],
// so repeat wraps them) and a small random texture.
struct ShadedScene {
  std::vector<Vec3d> positions;
  std::vector<glm::uvec3> triangles;
  std::vector<Vec3d> colors;
  std::vector<Vec2d> corner_uvs;
  std::vector<Vec3d> texels;
  int texture_width = 5, texture_height = 4;
  bool textured = true;
  NormalMode normals = NormalMode::smooth;
  ShadingD shading{};
  detail::CameraT<double> camera;
  RasterSettings settings = base_settings();
  detail::cpu::CpuRasterizer<double> rasterizer{2};
  std::vector<double> weights = loss_weights<double>(std::size_t(kSize) * kSize * 4, 3);

  explicit ShadedScene(const Shading& public_shading) {
    const Mesh mesh = icosphere(1);
    std::mt19937 random(9);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (const glm::vec3& p : mesh.positions) positions.push_back(Vec3d(p) * (0.75 + 0.1 * uniform(random)));
    triangles = mesh.triangles;
    for (std::size_t v = 0; v < positions.size(); ++v) {
      colors.emplace_back(0.3 + 0.6 * uniform(random), 0.3 + 0.6 * uniform(random),
                          0.3 + 0.6 * uniform(random));
    }
    for (std::size_t c = 0; c < triangles.size() * 3; ++c) {
      corner_uvs.emplace_back(-0.5 + 2.0 * uniform(random), -0.5 + 2.0 * uniform(random));
    }
    for (int t = 0; t < texture_width * texture_height; ++t) {
      texels.emplace_back(uniform(random), uniform(random), uniform(random));
    }
    Camera c = Camera::look_at({0.6f, 0.9f, 2.6f}, {0.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}, 45.0f);
    camera = detail::CameraT<double>(c);
    settings.shading = public_shading;
    normals = public_shading.normals;
    shading = detail::make_shading_params<double>(public_shading, textured, texture_width, texture_height);
  }

  void set_textured(bool on) {
    textured = on;
    shading.textured = on ? 1 : 0;
  }

  Vec3d eye() const {
    const detail::ViewTransform<double> view = detail::view_transform(camera);
    return -(glm::transpose(view.rotation) * view.offset);
  }

  std::vector<double> render() {
    std::vector<Vec3d> screen(positions.size());
    detail::project<double>(positions, camera, 1.0, screen);
    const std::vector<Vec3d> corner_normals = detail::corner_normals<double>(positions, triangles, normals);
    const std::vector<Vec2d> depth_range{{camera.near, camera.far}};
    const std::vector<Vec3d> eyes{eye()};
    detail::RasterScene<double> scene;
    scene.views = 1;
    scene.screen = screen;
    scene.triangles = triangles;
    scene.colors = colors;
    scene.depth_range = depth_range;
    scene.shading = shading;
    scene.positions = positions;
    scene.corner_normals = corner_normals;
    scene.corner_uvs = corner_uvs;
    scene.texels = texels;
    scene.eyes = eyes;
    std::vector<double> image(weights.size());
    rasterizer.forward(scene, settings, image);
    return image;
  }

  double loss() { return weighted_sum(render(), weights); }
};

struct Check {
  std::vector<double> analytic, numeric;
  template <class Scene>
  void add(double& parameter, double analytic_value, Scene& scene) {
    const double saved = parameter;
    parameter = saved + kStep;
    const double up = scene.loss();
    parameter = saved - kStep;
    const double down = scene.loss();
    parameter = saved;
    numeric.push_back((up - down) / (2 * kStep));
    analytic.push_back(analytic_value);
  }
  double norm() const {
    double sum = 0;
    for (double g : numeric) sum += g * g;
    return std::sqrt(sum);
  }
};

// Every parameter of `scene` (UVs and texels only when textured), analytically and by central differences,
// checked per kind so that a small gradient is not hidden by a large one.
void expect_gradients_match(ShadedScene& scene, const std::string& label) {
  scene.loss();
  const std::size_t vertex_count = scene.positions.size();
  std::vector<Vec3d> dL_dscreen(vertex_count), dL_dcolors(vertex_count);
  scene.rasterizer.backward(scene.weights, dL_dscreen, dL_dcolors);
  const detail::SurfaceGradients<double> surface = scene.rasterizer.surface_gradients();
  std::vector<Vec3d> dL_dpositions(vertex_count, Vec3d(0));
  detail::project_backward<double>(scene.positions, scene.camera, 1.0, dL_dscreen, dL_dpositions);
  const bool lit = scene.shading.model != kernels::f64::PN_SHADE_UNLIT;
  if (lit) {
    detail::corner_normals_backward<double>(scene.positions, scene.triangles, scene.normals,
                                            surface.corner_normals, dL_dpositions);
    for (std::size_t v = 0; v < vertex_count; ++v) dL_dpositions[v] += surface.positions[v];
  }

  auto expect = [&](const Check& check, const std::string& what) {
    EXPECT_LT(relative_error(check.analytic, check.numeric), kTolerance) << label << ": " << what;
    EXPECT_GT(check.norm(), 0.0) << label << ": " << what << " saw no gradient";
  };
  Check positions, colors;
  for (std::size_t v = 0; v < vertex_count; ++v) {
    for (int k = 0; k < 3; ++k) positions.add(scene.positions[v][k], dL_dpositions[v][k], scene);
    for (int k = 0; k < 3; ++k) colors.add(scene.colors[v][k], dL_dcolors[v][k], scene);
  }
  expect(positions, "positions");
  expect(colors, "vertex colours");
  if (scene.textured) {
    Check uvs, texels;
    for (std::size_t c = 0; c < scene.corner_uvs.size(); c += 3) {
      for (int k = 0; k < 2; ++k) uvs.add(scene.corner_uvs[c][k], surface.corner_uvs[c][k], scene);
    }
    for (std::size_t t = 0; t < scene.texels.size(); ++t) {
      for (int k = 0; k < 3; ++k) texels.add(scene.texels[t][k], surface.texels[t][k], scene);
    }
    expect(uvs, "UVs");
    expect(texels, "texels");
  }
  const kernels::Of<double>::ShadingGradient& g = surface.shading;
  ShadingD& S = scene.shading;
  if (S.model == kernels::f64::PN_SHADE_SH) {
    Check sh;
    for (int c = 0; c < 9; ++c) {
      for (int k = 0; k < 3; ++k) sh.add(S.sh[c][k], g.sh[c][k], scene);
    }
    expect(sh, "SH coefficients");
  } else if (lit) {
    Check ambient, directional, point, colors_of_lights;
    for (int k = 0; k < 3; ++k) {
      ambient.add(S.ambient[k], g.ambient[k], scene);
      directional.add(S.light_vector[0][k], g.light_vector[0][k], scene);
      point.add(S.light_vector[1][k], g.light_vector[1][k], scene);
      for (int i = 0; i < S.light_count; ++i)
        colors_of_lights.add(S.light_color[i][k], g.light_color[i][k], scene);
    }
    expect(ambient, "ambient");
    expect(directional, "directional light's direction");
    expect(point, "point light's position");
    expect(colors_of_lights, "light colours");
    if (S.model == kernels::f64::PN_SHADE_PHONG) {
      Check material;
      for (int k = 0; k < 3; ++k) material.add(S.specular[k], g.specular[k], scene);
      material.add(S.shininess, g.shininess, scene);
      expect(material, "specular colour and shininess");
    }
  }
}

struct Variant {
  const char* name;
  void (*apply)(RasterSettings&);
};

const Variant kVariants[] = {
    {"logistic_squared_probabilistic", [](RasterSettings&) {}},
    {"gaussian_linear_einstein",
     [](RasterSettings& s) {
       s.distribution = Distribution::gaussian;
       s.squared = false;
       s.sigma = 0.03f;
       s.aggregation = Aggregation::einstein;
     }},
    {"uniform_linear_yager_screen_colours",
     [](RasterSettings& s) {
       s.distribution = Distribution::uniform;
       s.squared = false;
       s.sigma = 0.05f;
       s.aggregation = Aggregation::yager;
       s.p = 2.0f;
       s.perspective_colors = false;
     }},
    {"hard_colours", [](RasterSettings& s) { s.colors = ColorMode::hard; }},
};

class ShadingGradients : public ::testing::TestWithParam<std::tuple<ShadingModel, Variant>> {};

TEST_P(ShadingGradients, MatchFiniteDifferences) {
  const auto [model, variant] = GetParam();
  ShadedScene scene(lit_shading(model));
  variant.apply(scene.settings);
  expect_gradients_match(scene, std::string(name(model)) + " " + variant.name);
}

INSTANTIATE_TEST_SUITE_P(ModelsAndSettings, ShadingGradients,
                         ::testing::Combine(::testing::Values(ShadingModel::unlit, ShadingModel::lambert,
                                                              ShadingModel::phong, ShadingModel::sh),
                                            ::testing::ValuesIn(kVariants)),
                         [](const auto& test) {
                           return std::string(name(std::get<0>(test.param))) + "_" +
                                  std::get<1>(test.param).name;
                         });

TEST(ShadingGradients, FlatNormalsWithoutTextureMatch) {
  Shading shading = lit_shading(ShadingModel::phong);
  shading.normals = NormalMode::flat;
  ShadedScene scene(shading);
  scene.set_textured(false);
  expect_gradients_match(scene, "phong, flat normals, vertex colours");
}

TEST(ShadingGradients, ClampedTextureMatches) {
  Shading shading = lit_shading(ShadingModel::lambert);
  shading.wrap = TextureWrap::clamp;
  ShadedScene scene(shading);
  // UVs near [0, 1] so that most samples are interior, some clamped.
  for (Vec2d& uv : scene.corner_uvs) uv = Vec2d(0.5) + (uv - Vec2d(0.5)) * 0.45;
  expect_gradients_match(scene, "lambert, clamped texture");
}

// A camera inside the sphere's bounding box whose near plane cuts the faces nearest to it: the clipped pieces
// shade with their face's normals, UVs and world positions interpolated at the clip points, and gradients
// flow through each clip point's t back to the positions.
struct ClippedShadedScene {
  std::vector<Vec3d> positions;
  std::vector<glm::uvec3> triangles;
  std::vector<Vec3d> colors;
  std::vector<Vec2d> corner_uvs;
  std::vector<Vec3d> texels;
  ShadingD shading{};
  detail::CameraT<double> camera;
  RasterSettings settings = base_settings();
  detail::SceneProjection<double> projection;
  detail::cpu::CpuRasterizer<double> rasterizer{2};
  std::vector<double> weights = loss_weights<double>(std::size_t(kSize) * kSize * 4, 8);

  ClippedShadedScene() {
    ShadedScene source(lit_shading(ShadingModel::lambert));
    positions = source.positions;
    triangles = source.triangles;
    colors = source.colors;
    corner_uvs = source.corner_uvs;
    texels = source.texels;
    shading = source.shading;
    Camera c = Camera::look_at({0.1f, 0.05f, 1.5f}, {0.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}, 70.0f);
    c.near = 0.8f;
    camera = detail::CameraT<double>(c);
    settings.squared = false;
    settings.sigma = 0.03f;
  }

  // Forward (when `image` is given) or backward of the whole chain, as the Renderer runs it.
  double loss() {
    const std::vector<detail::CameraT<double>> cameras{camera};
    projection.forward(positions, triangles, colors, cameras, 1.0);
    detail::RasterScene<double> scene = projection.scene();
    const std::vector<Vec3d> normals =
        detail::corner_normals<double>(positions, triangles, NormalMode::smooth);
    const std::vector<Vec3d> raster_normals =
        detail::raster_corner_attribute<double, Vec3d>(projection, triangles, normals);
    const std::vector<Vec3d> raster_positions = detail::raster_positions<double>(projection, positions);
    const std::vector<Vec2d> raster_uvs =
        detail::raster_corner_attribute<double, Vec2d>(projection, triangles, corner_uvs);
    const detail::ViewTransform<double> view = detail::view_transform(camera);
    const std::vector<Vec3d> eyes{-(glm::transpose(view.rotation) * view.offset)};
    scene.shading = shading;
    scene.positions = raster_positions;
    scene.corner_normals = raster_normals;
    scene.corner_uvs = raster_uvs;
    scene.texels = texels;
    scene.eyes = eyes;
    std::vector<double> image(weights.size());
    rasterizer.forward(scene, settings, image);
    return weighted_sum(image, weights);
  }
};

TEST(ShadingGradients, MatchFiniteDifferencesAcrossTheNearPlane) {
  ClippedShadedScene scene;
  scene.loss();
  ASSERT_GT(scene.projection.clip_points().size(), 0u) << "the near plane cuts no face";
  const detail::RasterScene<double> raster = scene.projection.scene();
  std::vector<Vec3d> dL_dscreen(raster.screen.size()), dL_draster_colors(raster.colors.size());
  scene.rasterizer.backward(scene.weights, dL_dscreen, dL_draster_colors);
  const detail::SurfaceGradients<double> surface = scene.rasterizer.surface_gradients();
  const std::size_t vertex_count = scene.positions.size();
  std::vector<double> dL_dclip_t(scene.projection.clip_points().size(), 0.0);
  const std::vector<Vec3d> normals =
      detail::corner_normals<double>(scene.positions, scene.triangles, NormalMode::smooth);
  std::vector<Vec3d> dL_dnormals(normals.size(), Vec3d(0)), dL_dpositions(vertex_count, Vec3d(0)),
      dL_dcolors(vertex_count, Vec3d(0));
  std::vector<Vec2d> dL_duvs(scene.corner_uvs.size(), Vec2d(0));
  detail::raster_corner_attribute_backward<double, Vec3d>(scene.projection, scene.triangles, normals,
                                                          surface.corner_normals, dL_dnormals, dL_dclip_t);
  detail::corner_normals_backward<double>(scene.positions, scene.triangles, NormalMode::smooth, dL_dnormals,
                                          dL_dpositions);
  detail::raster_positions_backward<double>(scene.projection, scene.positions, surface.positions,
                                            dL_dpositions, dL_dclip_t);
  detail::raster_corner_attribute_backward<double, Vec2d>(scene.projection, scene.triangles, scene.corner_uvs,
                                                          surface.corner_uvs, dL_duvs, dL_dclip_t);
  std::vector<detail::CameraGradientT<double>> dL_dcameras(1);
  scene.projection.backward(dL_dscreen, dL_draster_colors, dL_dpositions, dL_dcolors, dL_dcameras,
                            dL_dclip_t);

  // The vertices and corners of the faces the near plane cuts, and the lights.
  std::vector<bool> clipped_vertex(vertex_count, false);
  for (const auto& clip : scene.projection.clip_points())
    clipped_vertex[clip.front] = clipped_vertex[clip.back] = true;
  Check positions, uvs, lights;
  for (std::size_t f = 0; f < scene.triangles.size(); ++f) {
    for (int k = 0; k < 3; ++k) {
      const std::uint32_t v = scene.triangles[f][k];
      if (!clipped_vertex[v]) continue;
      for (int axis = 0; axis < 2; ++axis)
        uvs.add(scene.corner_uvs[3 * f + k][axis], dL_duvs[3 * f + k][axis], scene);
    }
  }
  for (std::size_t v = 0; v < vertex_count; ++v) {
    if (!clipped_vertex[v]) continue;
    for (int axis = 0; axis < 3; ++axis)
      positions.add(scene.positions[v][axis], dL_dpositions[v][axis], scene);
  }
  const kernels::Of<double>::ShadingGradient& g = surface.shading;
  for (int axis = 0; axis < 3; ++axis) {
    lights.add(scene.shading.light_vector[0][axis], g.light_vector[0][axis], scene);
    lights.add(scene.shading.light_vector[1][axis], g.light_vector[1][axis], scene);
  }
  for (const auto& [check, what] : {std::pair(&positions, "positions of clipped faces"),
                                    std::pair(&uvs, "UVs of clipped faces"), std::pair(&lights, "lights")}) {
    EXPECT_LT(relative_error(check->analytic, check->numeric), kTolerance) << what;
    EXPECT_GT(check->norm(), 0.0) << what << " saw no gradient";
  }
}

// ---- Hand-worked pixels: one face covering a 1x1 image's only pixel, hard colours, so the pixel is the
// face's shaded colour. The face lies in the plane z = 0 of the world, facing +z, and the pixel's world
// position is the origin.

struct OnePixel {
  std::vector<glm::vec3> screen{{-2.0f, -2.0f, 4.0f}, {2.0f, -2.0f, 4.0f}, {0.0f, 2.0f, 4.0f}};
  std::vector<glm::uvec3> triangles{{0, 1, 2}};
  std::vector<glm::vec3> colors{glm::vec3(0.5f, 0.6f, 0.7f), glm::vec3(0.5f, 0.6f, 0.7f),
                                glm::vec3(0.5f, 0.6f, 0.7f)};
  std::vector<glm::vec3> positions{{-2.0f, -2.0f, 0.0f}, {2.0f, -2.0f, 0.0f}, {0.0f, 2.0f, 0.0f}};
  std::vector<glm::vec3> normals = std::vector<glm::vec3>(3, glm::vec3(0.0f, 0.0f, 1.0f));
  std::vector<glm::vec2> uvs;
  std::vector<glm::vec3> texels{
      {0.2f, 0.4f, 0.6f}, {0.4f, 0.4f, 0.4f}, {0.6f, 0.2f, 1.0f}, {1.0f, 0.8f, 0.2f}};
  std::vector<glm::vec2> depth_range{{0.5f, 10.0f}};
  std::vector<glm::vec3> eyes{{0.0f, 0.0f, 5.0f}};

  OnePixel() {
    // uv = screen / 4 + 1/2: (0.5, 0.5) at the pixel, the centre of a 2x2 texture.
    for (const glm::vec3& p : screen) uvs.emplace_back(p.x * 0.25f + 0.5f, p.y * 0.25f + 0.5f);
  }

  glm::vec3 render(const Shading& shading, bool textured) {
    RasterSettings settings;
    settings.width = settings.height = 1;
    settings.colors = ColorMode::hard;
    detail::RasterScene<float> scene;
    scene.views = 1;
    scene.screen = screen;
    scene.triangles = triangles;
    scene.colors = colors;
    scene.depth_range = depth_range;
    scene.shading = detail::make_shading_params<float>(shading, textured, 2, 2);
    scene.positions = positions;
    scene.corner_normals = normals;
    scene.corner_uvs = uvs;
    scene.texels = texels;
    scene.eyes = eyes;
    detail::cpu::CpuRasterizer<float> rasterizer(1);
    std::vector<float> image(4);
    rasterizer.forward(scene, settings, image);
    return {image[0], image[1], image[2]};
  }
};

void expect_color(glm::vec3 actual, glm::vec3 expected, const char* label) {
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(actual[k], expected[k], 2e-6f) << label << " channel " << k;
}

Shading one_light(ShadingModel model) {
  Shading shading;
  shading.model = model;
  shading.ambient = glm::vec3(0.1f);
  // Travels along (0, -0.6, -0.8): l = (0, 0.6, 0.8), n.l = 0.8.
  shading.lights = {{LightKind::directional, {0.0f, -0.6f, -0.8f}, {1.0f, 0.5f, 0.25f}}};
  shading.specular = glm::vec3(0.5f);
  shading.shininess = 2.0f;
  return shading;
}

TEST(HandWorkedPixel, Unlit) {
  OnePixel scene;
  expect_color(scene.render(Shading{}, false), {0.5f, 0.6f, 0.7f}, "vertex colour");
  // The texture's centre is the mean of its four texels, (0.55, 0.45, 0.55), times the vertex colour.
  expect_color(scene.render(Shading{}, true), {0.275f, 0.27f, 0.385f}, "textured");
}

TEST(HandWorkedPixel, Lambert) {
  OnePixel scene;
  // ambient + colour * 0.8 = (0.9, 0.5, 0.3), times the albedo (0.5, 0.6, 0.7).
  expect_color(scene.render(one_light(ShadingModel::lambert), false), {0.45f, 0.30f, 0.21f}, "lambert");
}

TEST(HandWorkedPixel, Phong) {
  OnePixel scene;
  // v = (0, 0, 1); h = unit(l + v) = unit(0, 0.6, 1.8); n.h = 0.948683; (n.h)^2 = 0.9.
  // specular (0.5) * colour * 0.9 = (0.45, 0.225, 0.1125), added to the lambert colour.
  expect_color(scene.render(one_light(ShadingModel::phong), false), {0.9f, 0.525f, 0.3225f}, "phong");
}

TEST(HandWorkedPixel, SphericalHarmonics) {
  OnePixel scene;
  Shading shading;
  shading.model = ShadingModel::sh;
  // At n = (0, 0, 1) only Y00 = 0.282095, Y10 = 0.488603 z and Y20 = 0.315392 (3z^2 - 1) = 0.630784 are
  // non-zero; the other coefficients must not contribute.
  for (auto& coefficient : shading.sh) coefficient = glm::vec3(5.0f);
  shading.sh[0] = {1.0f, 2.0f, 0.0f};
  shading.sh[2] = {0.5f, 0.0f, 1.0f};
  shading.sh[6] = {0.0f, 0.1f, 0.2f};
  const glm::vec3 irradiance(0.282095f + 0.2443015f, 0.56419f + 0.0630784f, 0.488603f + 0.1261568f);
  expect_color(scene.render(shading, false), irradiance * glm::vec3(0.5f, 0.6f, 0.7f), "sh");
}

TEST(HandWorkedPixel, BackFacesAreLitFromTheirOwnSide) {
  OnePixel scene;
  // The same face wound clockwise on screen, its normals still +z: seen from behind, the normal flips to
  // -z, away from the light, leaving the ambient term.
  std::swap(scene.screen[1], scene.screen[2]);
  expect_color(scene.render(one_light(ShadingModel::lambert), false), glm::vec3(0.05f, 0.06f, 0.07f),
               "back face");
}

// ---- Determinism and the Renderer.

Mesh textured_sphere() {
  Mesh mesh = icosphere(2);
  for (std::size_t f = 0; f < mesh.triangles.size(); ++f) {
    for (int k = 0; k < 3; ++k) {
      const glm::vec3 p = mesh.positions[mesh.triangles[f][k]];
      mesh.corner_uvs.emplace_back(0.5f + 0.5f * p.x, 0.5f + 0.5f * p.y);
    }
  }
  mesh.texture = Images(1, 8, 8);
  for (int row = 0; row < 8; ++row) {
    for (int col = 0; col < 8; ++col) {
      mesh.texture.at(0, row, col, 0) = float((row + col) % 2);
      mesh.texture.at(0, row, col, 1) = float(row) / 7.0f;
      mesh.texture.at(0, row, col, 2) = float(col) / 7.0f;
      mesh.texture.at(0, row, col, 3) = 1.0f;
    }
  }
  return mesh;
}

std::vector<Camera> two_cameras() {
  return {Camera::look_at({0.0f, 0.5f, 3.0f}, {0.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}, 40.0f),
          Camera::look_at({2.0f, 0.3f, 2.0f}, {0.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}, 40.0f)};
}

RasterSettings renderer_settings(ShadingModel model) {
  RasterSettings settings;
  settings.width = settings.height = 40;
  settings.sigma = 1e-4f;
  settings.shading = lit_shading(model);
  settings.shading.use_texture = true;
  return settings;
}

TEST(ShadingDeterminism, SameBitsForAnyThreadCount) {
  const Mesh mesh = textured_sphere();
  const std::vector<Camera> cameras = two_cameras();
  const RasterSettings settings = renderer_settings(ShadingModel::phong);
  Images dL_dimages(2, 40, 40);
  const auto weights = loss_weights<float>(dL_dimages.rgba.size(), 4);
  dL_dimages.rgba = weights;
  Renderer one(Backend::cpu, RendererOptions{1}), three(Backend::cpu, RendererOptions{3});
  const Images first = one.forward(mesh, cameras, settings);
  const Images second = three.forward(mesh, cameras, settings);
  EXPECT_EQ(first.rgba, second.rgba);
  const Gradients a = one.backward(dL_dimages), b = three.backward(dL_dimages);
  EXPECT_EQ(a.dL_dpositions, b.dL_dpositions);
  EXPECT_EQ(a.dL_dtexture, b.dL_dtexture);
  EXPECT_EQ(a.dL_dcorner_uvs, b.dL_dcorner_uvs);
  ASSERT_EQ(a.dL_dshading.lights.size(), 2u);
  EXPECT_EQ(a.dL_dshading.lights[1].vector, b.dL_dshading.lights[1].vector);
  EXPECT_EQ(a.dL_dshading.shininess, b.dL_dshading.shininess);
  double texture_norm = 0;
  for (const glm::vec3& g : a.dL_dtexture) texture_norm += glm::dot(g, g);
  EXPECT_GT(texture_norm, 0.0);
}

TEST(ShadingRenderer, LambertDarkensFacesAwayFromTheLight) {
  Mesh mesh = icosphere(3);
  RasterSettings settings;
  settings.width = settings.height = 32;
  settings.shading.model = ShadingModel::lambert;
  settings.shading.ambient = glm::vec3(0.1f);
  settings.shading.lights = {{LightKind::directional, {-1.0f, 0.0f, 0.0f}, glm::vec3(1.0f)}};  // from +x
  const Camera camera = Camera::look_at({0.0f, 0.0f, 3.0f}, {0.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}, 40.0f);
  Renderer renderer;
  const Images& image = renderer.forward(mesh, std::span(&camera, 1), settings);
  // Right of centre faces the light; left of centre gets the ambient term only.
  EXPECT_GT(image.at(0, 16, 27, 0), 0.5f);
  EXPECT_NEAR(image.at(0, 16, 8, 0), 0.1f, 0.02f);
}

TEST(ShadingRenderer, DegenerateFacesStayFinite) {
  Mesh mesh = icosphere(1);
  // Collapse one face to a point: zero area, zero normal.
  const glm::uvec3 tri = mesh.triangles[0];
  mesh.positions[tri.y] = mesh.positions[tri.x];
  mesh.positions[tri.z] = mesh.positions[tri.x];
  RasterSettings settings = renderer_settings(ShadingModel::phong);
  const std::vector<Camera> cameras = two_cameras();
  Renderer renderer;
  const Images& image = renderer.forward(mesh, cameras, settings);
  for (float value : image.rgba) ASSERT_TRUE(std::isfinite(value));
  Images dL_dimages(2, 40, 40, 1.0f);
  const Gradients g = renderer.backward(dL_dimages);
  for (const glm::vec3& d : g.dL_dpositions) ASSERT_TRUE(std::isfinite(d.x + d.y + d.z));
}

TEST(ShadingRenderer, RefusesBadShading) {
  const Mesh mesh = icosphere(1);
  const std::vector<Camera> cameras = two_cameras();
  Renderer renderer;
  auto expect_error = [&](RasterSettings settings, const char* needle) {
    try {
      renderer.forward(mesh, cameras, settings);
      ADD_FAILURE() << "accepted: " << needle;
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  RasterSettings nan_light = renderer_settings(ShadingModel::lambert);
  nan_light.shading.lights[0].vector.x = std::nanf("");
  expect_error(nan_light, "NaN");
  RasterSettings zero_direction = renderer_settings(ShadingModel::lambert);
  zero_direction.shading.lights[0].vector = glm::vec3(0.0f);
  expect_error(zero_direction, "zero direction");
  RasterSettings too_many = renderer_settings(ShadingModel::lambert);
  too_many.shading.lights.resize(5, too_many.shading.lights[0]);
  expect_error(too_many, "at most 4");
  RasterSettings dull = renderer_settings(ShadingModel::phong);
  dull.shading.shininess = 0.5f;
  expect_error(dull, "shininess");
  RasterSettings nan_sh = renderer_settings(ShadingModel::sh);
  nan_sh.shading.sh[4].y = std::nanf("");
  expect_error(nan_sh, "spherical-harmonic");
}

TEST(ShadingRenderer, RefusesBadUVs) {
  const std::vector<Camera> cameras = two_cameras();
  Renderer renderer;
  Mesh nan_uv = textured_sphere();
  nan_uv.corner_uvs[7].x = std::nanf("");
  EXPECT_THROW(renderer.forward(nan_uv, cameras, renderer_settings(ShadingModel::unlit)), Error);
  Mesh short_uvs = textured_sphere();
  short_uvs.corner_uvs.pop_back();
  EXPECT_THROW(renderer.forward(short_uvs, cameras, renderer_settings(ShadingModel::unlit)), Error);
}

TEST(ParseLight, ReadsBothKindsAndRefusesTheRest) {
  const Light sun = parse_light("dir:0,-1,-1");
  EXPECT_EQ(sun.kind, LightKind::directional);
  EXPECT_EQ(sun.vector, glm::vec3(0.0f, -1.0f, -1.0f));
  EXPECT_EQ(sun.color, glm::vec3(1.0f));
  const Light bulb = parse_light("point:1,2,3:0.5,0.25,1");
  EXPECT_EQ(bulb.kind, LightKind::point);
  EXPECT_EQ(bulb.vector, glm::vec3(1.0f, 2.0f, 3.0f));
  EXPECT_EQ(bulb.color, glm::vec3(0.5f, 0.25f, 1.0f));
  for (const char* bad :
       {"sun:0,0,1", "dir:0,0", "dir:0,0,0", "dir:1,2,x", "point:1,2,3:1,1", "dir:nan,0,1"}) {
    EXPECT_THROW(parse_light(bad), Error) << bad;
  }
}

}  // namespace
}  // namespace penumbra::test
