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
struct Renderer::State {
  std::unique_ptr<detail::RasterBackend> raster;
  Backend backend = Backend::cpu;
  std::string reason;
  // The last forward's projection and clipping, kept for backward.
  detail::SceneProjection<float> projection;
  std::size_t vertex_count = 0;
  detail::SceneAppearance<float> appearance;  // the last forward's lit models and textures
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

// Refuses what the backend cannot shade and what cannot be sampled, then fills the appearance part of the
// forward's raster scene.
void prepare_appearance(detail::SceneAppearance<float>& appearance,
                        const detail::SceneProjection<float>& projection, const detail::RasterBackend& raster,
                        Backend backend, const Mesh& mesh, std::span<const detail::CameraT<float>> cameras,
                        const RasterSettings& settings, detail::RasterScene<float>& scene) {
  const bool lit = settings.shading.model != ShadingModel::unlit;
  const bool textured = settings.shading.use_texture && mesh.has_texture();
  if ((lit || textured) && !raster.shades()) {
    throw Error((lit ? "shading '" + std::string(name(settings.shading.model)) + "'"
                     : std::string("texture sampling")) +
                    " is not available on the " + std::string(name(backend)) + " backend",
                "Renderer::forward",
                "render with the cpu backend, or unlit with the texture baked into vertex colours "
                "(bake_texture_to_colors)");
  }
  if (textured && (mesh.texture.width < 1 || mesh.texture.height < 1)) {
    throw Error("the mesh's texture is empty", "Renderer::forward", "give a texture of at least 1x1 texels");
  }
  std::vector<glm::vec3> texels;
  if (textured) {
    texels.resize(mesh.texture.pixels_per_view());
    for (std::size_t i = 0; i < texels.size(); ++i) {
      texels[i] = {mesh.texture.rgba[4 * i], mesh.texture.rgba[4 * i + 1], mesh.texture.rgba[4 * i + 2]};
    }
  }
  appearance.forward(projection, mesh.positions, mesh.triangles, mesh.corner_uvs, std::move(texels),
                     mesh.texture.width, mesh.texture.height, cameras, settings.shading, scene);
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
  const detail::SceneAppearance<float>& appearance = s.appearance;
  if (appearance.lit() || appearance.textured()) {
    const detail::SurfaceGradients<float>& surface = *s.raster->surface_gradients();
    appearance.backward(s.projection, surface, gradients.dL_dpositions, gradients.dL_dcorner_uvs, dL_dclip_t);
    if (appearance.textured()) gradients.dL_dtexture = surface.texels;
    gradients.dL_dshading =
        detail::to_shading_gradient<float>(surface.shading, appearance.shading().lights.size());
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
