#include "penumbra/renderer.h"

#include <unistd.h>

#include <cmath>
#include <string>

#include "backend_selection.h"
#include "penumbra/error.h"
#include "raster_backend.h"
#include "scene_projection.h"
#include "surface_setup.h"

namespace penumbra {
namespace {

// The last forward's appearance (lit models and textures): the mesh's inputs and what the raster scene reads.
struct Appearance {
  Shading shading;
  bool lit = false, textured = false;
  std::vector<glm::vec3> positions;
  std::vector<glm::uvec3> triangles;
  std::vector<glm::vec3> corner_normals, raster_normals, raster_positions, eyes, texels;
  std::vector<glm::vec2> corner_uvs, raster_uvs;
};

}  // namespace

struct Renderer::State {
  std::unique_ptr<detail::RasterBackend> raster;
  Backend backend = Backend::cpu;
  std::string reason;
  // The last forward's projection and clipping, kept for backward.
  detail::SceneProjection<float> projection;
  std::size_t vertex_count = 0;
  Appearance appearance;
  bool has_forward = false;
  Images images;
};

std::string_view name(Backend backend) {
  switch (backend) {
    case Backend::cpu:
      return "cpu";
    case Backend::vulkan:
      return "vulkan";
    case Backend::cuda:
      return "cuda";
    case Backend::automatic:
      return "auto";
  }
  return "?";
}

Backend parse_backend(std::string_view text) {
  if (text == "cpu") return Backend::cpu;
  if (text == "vulkan") return Backend::vulkan;
  if (text == "cuda") return Backend::cuda;
  if (text == "auto") return Backend::automatic;
  throw Error("unknown backend '" + std::string(text) + "'", "backend", "use cpu, vulkan, cuda or auto");
}

namespace {

// Images, dL/dimages and the per-pixel softmax state: refuse up front what the machine cannot hold.
void require_memory(int views, const RasterSettings& settings) {
  const double pixels = double(views) * settings.width * settings.height;
  const double bytes = pixels * (4 + 4 + 3) * sizeof(float);
  const double available = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
  if (available > 0 && bytes > available) {
    throw Error("rendering " + std::to_string(views) + " views of " + std::to_string(settings.width) + "x" +
                    std::to_string(settings.height) + " needs about " + std::to_string(int(bytes / 1e9)) +
                    " GB, more than this machine's " + std::to_string(int(available / 1e9)) + " GB",
                "Renderer::forward", "render fewer views or smaller images at a time");
  }
}

// Pixel intrinsics scale with the render size, but a different aspect ratio would stretch the picture.
void require_matching_aspect(const Camera& camera, const RasterSettings& settings, const std::string& where) {
  if (camera.projection != Projection::pinhole) return;
  const double camera_aspect = double(camera.image_width) / camera.image_height;
  const double render_aspect = double(settings.width) / settings.height;
  if (std::abs(camera_aspect / render_aspect - 1.0) > 0.01) {
    throw Error("camera intrinsics are for a " + std::to_string(camera.image_width) + "x" +
                    std::to_string(camera.image_height) + " image but the render is " +
                    std::to_string(settings.width) + "x" + std::to_string(settings.height),
                where,
                "render at the camera's aspect ratio, e.g. " + std::to_string(camera.image_width) + "x" +
                    std::to_string(camera.image_height));
  }
}

// The appearance part of the forward's raster scene: shading parameters, normals computed from the positions,
// world positions, camera positions, UVs and texels (for the backends that shade).
void prepare_appearance(Appearance& s, const detail::SceneProjection<float>& projection,
                        const detail::RasterBackend& raster, Backend backend, const Mesh& mesh,
                        std::span<const detail::CameraT<float>> cameras, const RasterSettings& settings,
                        detail::RasterScene<float>& scene) {
  s.shading = settings.shading;
  s.lit = settings.shading.model != ShadingModel::unlit;
  s.textured = settings.shading.use_texture && mesh.has_texture();
  if ((s.lit || s.textured) && !raster.shades()) {
    throw Error((s.lit ? "shading '" + std::string(name(settings.shading.model)) + "'"
                       : std::string("texture sampling")) +
                    " is not available on the " + std::string(name(backend)) + " backend",
                "Renderer::forward",
                "render with the cpu backend, or unlit with the texture baked into vertex colours "
                "(bake_texture_to_colors)");
  }
  if (s.textured && (mesh.texture.width < 1 || mesh.texture.height < 1)) {
    throw Error("the mesh's texture is empty", "Renderer::forward", "give a texture of at least 1x1 texels");
  }
  scene.shading = detail::make_shading_params<float>(settings.shading, s.textured, mesh.texture.width,
                                                     mesh.texture.height);
  if (!s.lit && !s.textured) return;
  s.positions = mesh.positions;
  s.triangles = mesh.triangles;
  if (s.lit) {
    s.corner_normals =
        detail::corner_normals<float>(mesh.positions, mesh.triangles, settings.shading.normals);
    s.raster_normals =
        detail::raster_corner_attribute<float, glm::vec3>(projection, mesh.triangles, s.corner_normals);
    s.raster_positions = detail::raster_positions<float>(projection, mesh.positions);
    s.eyes.clear();
    for (const detail::CameraT<float>& camera : cameras) {
      const detail::ViewTransform<float> view = detail::view_transform(camera);
      s.eyes.push_back(-(glm::transpose(view.rotation) * view.offset));
    }
    scene.positions = s.raster_positions;
    scene.corner_normals = s.raster_normals;
    scene.eyes = s.eyes;
  }
  if (s.textured) {
    s.corner_uvs = mesh.corner_uvs;
    s.raster_uvs =
        detail::raster_corner_attribute<float, glm::vec2>(projection, mesh.triangles, s.corner_uvs);
    s.texels.resize(mesh.texture.pixels_per_view());
    for (std::size_t i = 0; i < s.texels.size(); ++i) {
      s.texels[i] = {mesh.texture.rgba[4 * i], mesh.texture.rgba[4 * i + 1], mesh.texture.rgba[4 * i + 2]};
    }
    scene.corner_uvs = s.raster_uvs;
    scene.texels = s.texels;
  }
}

}  // namespace

Renderer::Renderer(Backend backend, RendererOptions options) : state_(std::make_unique<State>()) {
  detail::BackendChoice choice = detail::create_backend(backend, options);
  state_->raster = std::move(choice.raster);
  state_->backend = choice.backend;
  state_->reason = std::move(choice.reason);
}

Renderer::~Renderer() = default;
Renderer::Renderer(Renderer&&) noexcept = default;
Renderer& Renderer::operator=(Renderer&&) noexcept = default;

Backend Renderer::backend() const { return state_->backend; }
const std::string& Renderer::backend_reason() const { return state_->reason; }

const Images& Renderer::forward(const Mesh& mesh, std::span<const Camera> cameras,
                                const RasterSettings& settings) {
  settings.validate();
  mesh.validate();
  if (cameras.empty()) throw Error("no cameras given", "Renderer::forward", "pass at least one camera");
  for (std::size_t i = 0; i < cameras.size(); ++i) {
    cameras[i].validate("camera " + std::to_string(i));
    require_matching_aspect(cameras[i], settings, "camera " + std::to_string(i));
  }

  State& s = *state_;
  const std::size_t vertex_count = mesh.positions.size();
  const int views = static_cast<int>(cameras.size());
  require_memory(views, settings);
  const std::vector<glm::vec3> white(mesh.colors.empty() ? vertex_count : 0, glm::vec3(1.0f));
  std::vector<detail::CameraT<float>> cameras_t(cameras.begin(), cameras.end());
  s.projection.forward(mesh.positions, mesh.triangles, mesh.colors.empty() ? white : mesh.colors, cameras_t,
                       float(settings.width) / float(settings.height));
  s.vertex_count = vertex_count;
  detail::RasterScene<float> scene = s.projection.scene();
  prepare_appearance(s.appearance, s.projection, *s.raster, s.backend, mesh, cameras_t, settings, scene);
  if (s.images.views != views || s.images.height != settings.height || s.images.width != settings.width) {
    s.images = Images(views, settings.height, settings.width);
  }
  s.raster->forward(scene, settings, s.images.rgba);
  s.has_forward = true;
  return s.images;
}

Gradients Renderer::backward(const Images& dL_dimages) {
  State& s = *state_;
  if (!s.has_forward)
    throw Error("backward called before forward", "Renderer::backward", "call forward first");
  if (dL_dimages.views != s.images.views || dL_dimages.height != s.images.height ||
      dL_dimages.width != s.images.width || dL_dimages.rgba.size() != s.images.rgba.size()) {
    throw Error("dL/dimages has shape [" + std::to_string(dL_dimages.views) + ", " +
                    std::to_string(dL_dimages.height) + ", " + std::to_string(dL_dimages.width) +
                    ", 4] but the last forward rendered [" + std::to_string(s.images.views) + ", " +
                    std::to_string(s.images.height) + ", " + std::to_string(s.images.width) + ", 4]",
                "Renderer::backward", "pass gradients shaped like the forward's images");
  }
  const detail::RasterScene<float> scene = s.projection.scene();
  std::vector<glm::vec3> dL_dscreen(scene.screen.size()), dL_draster_colors(scene.colors.size());
  s.raster->backward(dL_dimages.rgba, dL_dscreen, dL_draster_colors);
  Gradients gradients;
  gradients.dL_dcolors.assign(s.vertex_count, glm::vec3(0.0f));
  gradients.dL_dpositions.assign(s.vertex_count, glm::vec3(0.0f));
  std::vector<float> dL_dclip_t(s.projection.clip_points().size(), 0.0f);
  const Appearance& a = s.appearance;
  if (a.lit || a.textured) {
    const detail::SurfaceGradients<float>& surface = *s.raster->surface_gradients();
    if (a.lit) {
      std::vector<glm::vec3> dL_dcorner_normals(a.corner_normals.size(), glm::vec3(0.0f));
      detail::raster_corner_attribute_backward<float, glm::vec3>(s.projection, a.triangles, a.corner_normals,
                                                                 surface.corner_normals, dL_dcorner_normals,
                                                                 dL_dclip_t);
      detail::corner_normals_backward<float>(a.positions, a.triangles, a.shading.normals, dL_dcorner_normals,
                                             gradients.dL_dpositions);
      detail::raster_positions_backward<float>(s.projection, a.positions, surface.positions,
                                               gradients.dL_dpositions, dL_dclip_t);
    }
    if (a.textured) {
      gradients.dL_dcorner_uvs.assign(a.corner_uvs.size(), glm::vec2(0.0f));
      detail::raster_corner_attribute_backward<float, glm::vec2>(
          s.projection, a.triangles, a.corner_uvs, surface.corner_uvs, gradients.dL_dcorner_uvs, dL_dclip_t);
      gradients.dL_dtexture = surface.texels;
    }
    gradients.dL_dshading = detail::to_shading_gradient<float>(surface.shading, a.shading.lights.size());
  }
  std::vector<detail::CameraGradientT<float>> dL_dcameras(scene.views);
  s.projection.backward(dL_dscreen, dL_draster_colors, gradients.dL_dpositions, gradients.dL_dcolors,
                        dL_dcameras, dL_dclip_t);
  for (const detail::CameraGradientT<float>& g : dL_dcameras) {
    CameraGradient camera;
    camera.eye = g.eye;
    camera.at = g.at;
    camera.up = g.up;
    camera.rotation = g.rotation;
    camera.translation = g.translation;
    camera.fov_degrees = g.fov_degrees;
    camera.fx = g.fx;
    camera.fy = g.fy;
    camera.cx = g.cx;
    camera.cy = g.cy;
    camera.ortho_scale = g.ortho_scale;
    gradients.dL_dcameras.push_back(camera);
  }
  return gradients;
}

}  // namespace penumbra
