// The double-precision render: projection (projection.h) and CpuRasterizer<double>, the same templates the
// float CPU backend runs, chained as Renderer does.
#include "penumbra/reference_renderer.h"

#include <string>

#include "cpu/cpu_rasterizer.h"
#include "penumbra/core/parallel_for.h"
#include "penumbra/error.h"
#include "penumbra/mesh.h"
#include "scene_projection.h"
#include "surface_setup.h"

namespace penumbra {

using detail::Vec3;

DoubleCamera::DoubleCamera(const Camera& camera)
    : model(camera.model),
      eye(camera.eye),
      at(camera.at),
      up(camera.up),
      rotation(camera.rotation),
      translation(camera.translation),
      projection(camera.projection),
      fov_axis(camera.fov_axis),
      fov_degrees(camera.fov_degrees),
      fx(camera.fx),
      fy(camera.fy),
      cx(camera.cx),
      cy(camera.cy),
      image_width(camera.image_width),
      image_height(camera.image_height),
      ortho_scale(camera.ortho_scale),
      near(camera.near),
      far(camera.far) {}

namespace {

detail::CameraT<double> to_camera_t(const DoubleCamera& c) {
  detail::CameraT<double> t;
  t.model = c.model;
  t.eye = c.eye;
  t.at = c.at;
  t.up = c.up;
  t.rotation = c.rotation;
  t.translation = c.translation;
  t.projection = c.projection;
  t.fov_axis = c.fov_axis;
  t.fov_degrees = c.fov_degrees;
  t.fx = c.fx;
  t.fy = c.fy;
  t.cx = c.cx;
  t.cy = c.cy;
  t.image_width = c.image_width;
  t.image_height = c.image_height;
  t.ortho_scale = c.ortho_scale;
  t.near = c.near;
  t.far = c.far;
  return t;
}

// The float Camera that Camera::validate checks (NaN/Inf, eye == at, fov range, near/far).
Camera rounded(const DoubleCamera& c) {
  Camera camera;
  camera.model = c.model;
  camera.eye = c.eye;
  camera.at = c.at;
  camera.up = c.up;
  camera.rotation = c.rotation;
  camera.translation = c.translation;
  camera.projection = c.projection;
  camera.fov_axis = c.fov_axis;
  camera.fov_degrees = float(c.fov_degrees);
  camera.fx = float(c.fx);
  camera.fy = float(c.fy);
  camera.cx = float(c.cx);
  camera.cy = float(c.cy);
  camera.image_width = c.image_width;
  camera.image_height = c.image_height;
  camera.ortho_scale = float(c.ortho_scale);
  camera.near = float(c.near);
  camera.far = float(c.far);
  return camera;
}

// Mesh::validate's checks (indices in range, finite values, matching sizes) on the double inputs.
void validate_mesh(std::span<const glm::dvec3> positions, std::span<const glm::uvec3> triangles,
                   std::span<const glm::dvec3> colors) {
  Mesh mesh;
  mesh.positions.assign(positions.begin(), positions.end());
  mesh.triangles.assign(triangles.begin(), triangles.end());
  mesh.colors.assign(colors.begin(), colors.end());
  mesh.validate();
}

}  // namespace

struct ReferenceRenderer::State {
  explicit State(int threads) : rasterizer(threads) {}
  detail::cpu::CpuRasterizer<double> rasterizer;
  // The last forward's projection and clipping, kept for backward.
  detail::SceneProjection<double> projection;
  detail::SceneAppearance<double> appearance;  // lit models (vertex colours only: no texture here)
  std::size_t vertex_count = 0, image_values = 0;
  bool has_forward = false;
};

ReferenceRenderer::ReferenceRenderer(int threads)
    : state_(std::make_unique<State>(core::thread_count(threads))) {}
ReferenceRenderer::~ReferenceRenderer() = default;
ReferenceRenderer::ReferenceRenderer(ReferenceRenderer&&) noexcept = default;
ReferenceRenderer& ReferenceRenderer::operator=(ReferenceRenderer&&) noexcept = default;

void ReferenceRenderer::forward(std::span<const glm::dvec3> positions, std::span<const glm::uvec3> triangles,
                                std::span<const glm::dvec3> colors, std::span<const DoubleCamera> cameras,
                                const RasterSettings& settings, std::span<double> images) {
  settings.validate();
  validate_mesh(positions, triangles, colors);
  if (cameras.empty())
    throw Error("no cameras given", "ReferenceRenderer::forward", "pass at least one camera");
  for (std::size_t i = 0; i < cameras.size(); ++i)
    rounded(cameras[i]).validate("camera " + std::to_string(i));
  const std::size_t views = cameras.size();
  const std::size_t image_values = views * std::size_t(settings.height) * std::size_t(settings.width) * 4;
  if (images.size() != image_values) {
    throw Error("images hold " + std::to_string(images.size()) +
                    " values, not views * height * width * 4 = " + std::to_string(image_values),
                "ReferenceRenderer::forward", "size the output for the cameras and settings");
  }

  State& s = *state_;
  s.has_forward = false;
  const std::size_t vertex_count = positions.size();
  const std::vector<Vec3<double>> white(colors.empty() ? vertex_count : 0, Vec3<double>(1.0));
  std::vector<detail::CameraT<double>> cameras_t;
  for (const DoubleCamera& camera : cameras) cameras_t.push_back(to_camera_t(camera));
  s.projection.forward(positions, triangles, colors.empty() ? white : colors, cameras_t,
                       double(settings.width) / double(settings.height));
  s.vertex_count = vertex_count;
  detail::RasterScene<double> scene = s.projection.scene();
  s.appearance.forward(s.projection, positions, triangles, {}, {}, 1, 1, cameras_t, settings.shading, scene);
  s.rasterizer.forward(scene, settings, images);
  s.image_values = image_values;
  s.has_forward = true;
}

void ReferenceRenderer::backward(std::span<const double> dL_dimages, std::span<glm::dvec3> dL_dpositions,
                                 std::span<glm::dvec3> dL_dcolors,
                                 std::span<DoubleCameraGradient> dL_dcameras) {
  State& s = *state_;
  const char* where = "ReferenceRenderer::backward";
  if (!s.has_forward) throw Error("backward called before forward", where, "call forward first");
  const std::size_t vertex_count = s.vertex_count;
  if (dL_dimages.size() != s.image_values) {
    throw Error("dL/dimages holds " + std::to_string(dL_dimages.size()) +
                    " values but the last forward rendered " + std::to_string(s.image_values),
                where, "pass gradients shaped like the forward's images");
  }
  if (dL_dpositions.size() != vertex_count || dL_dcolors.size() != vertex_count ||
      dL_dcameras.size() != std::size_t(s.projection.scene().views)) {
    throw Error("gradient outputs do not match the last forward's vertices and cameras", where,
                "size dL_dpositions and dL_dcolors by vertices, dL_dcameras by views");
  }
  const detail::RasterScene<double> scene = s.projection.scene();
  std::vector<Vec3<double>> dL_dscreen(scene.screen.size()), dL_draster_colors(scene.colors.size());
  s.rasterizer.backward(dL_dimages, dL_dscreen, dL_draster_colors);
  std::fill(dL_dpositions.begin(), dL_dpositions.end(), glm::dvec3(0.0));
  std::fill(dL_dcolors.begin(), dL_dcolors.end(), glm::dvec3(0.0));
  std::vector<double> dL_dclip_t(s.projection.clip_points().size(), 0.0);
  if (s.appearance.lit()) {
    std::vector<glm::dvec2> unused_uvs;
    s.appearance.backward(s.projection, s.rasterizer.surface_gradients(), dL_dpositions, unused_uvs,
                          dL_dclip_t);
  }
  std::vector<detail::CameraGradientT<double>> gradients(scene.views);
  s.projection.backward(dL_dscreen, dL_draster_colors, dL_dpositions, dL_dcolors, gradients, dL_dclip_t);
  for (std::size_t view = 0; view < gradients.size(); ++view) {
    const detail::CameraGradientT<double>& g = gradients[view];
    dL_dcameras[view] = {g.eye, g.at, g.up, g.rotation, g.translation, g.fov_degrees,
                         g.fx,  g.fy, g.cx, g.cy,       g.ortho_scale};
  }
}

}  // namespace penumbra
