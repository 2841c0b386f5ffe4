#pragma once
/// The differentiable renderer: forward renders a mesh from B cameras into B RGBA images; backward turns
/// dL/dImages into gradients for the vertex positions, vertex colours, every camera and the appearance
/// (texture, UVs, lights, material).
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "penumbra/camera.h"
#include "penumbra/image.h"
#include "penumbra/mesh.h"
#include "penumbra/settings.h"

namespace penumbra {
enum class Backend {
  cpu,        ///< multithreaded reference backend, runs anywhere
  vulkan,     ///< Vulkan compute: any GPU, or Mesa lavapipe on the CPU
  cuda,       ///< NVIDIA GPUs, when built with the CUDA toolkit
  automatic,  ///< the best available: CUDA, then a Vulkan GPU, then the CPU
};

std::string_view name(Backend backend);
/// Parses "cpu", "vulkan", "cuda" or "auto"; throws penumbra::Error listing them otherwise.
Backend parse_backend(std::string_view text);

struct RendererOptions {
  int threads = 0;  ///< CPU backend worker threads; 0 = core::thread_count(0): every CPU the process
                    ///< may run on (penumbra/core/threads.h). Results do not depend on it.
};

struct Gradients {
  std::vector<glm::vec3> dL_dpositions;     ///< one per vertex
  std::vector<glm::vec3> dL_dcolors;        ///< one per vertex (zero when the mesh has no colours)
  std::vector<CameraGradient> dL_dcameras;  ///< one per camera
  /// Shaded or textured renders only (empty otherwise):
  std::vector<glm::vec2> dL_dcorner_uvs;  ///< like Mesh::corner_uvs
  std::vector<glm::vec3> dL_dtexture;     ///< RGB per texel of Mesh::texture, row-major from the top row
  ShadingGradient dL_dshading;            ///< RasterSettings::shading's parameters
};

class Renderer {
 public:
  explicit Renderer(Backend backend = Backend::cpu, RendererOptions options = {});
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;
  Renderer(Renderer&&) noexcept;
  Renderer& operator=(Renderer&&) noexcept;

  /// The backend in use (never `automatic`) and why it was chosen.
  Backend backend() const;
  const std::string& backend_reason() const;

  /// Renders `mesh` (vertices without colours render white; a texture multiplies them) from each camera,
  /// shaded by settings.shading. Validates its inputs and throws penumbra::Error on bad ones, and on lit
  /// models or textures on a backend that renders unlit colours only (vulkan, cuda). The result stays valid
  /// until the next forward.
  const Images& forward(const Mesh& mesh, std::span<const Camera> cameras, const RasterSettings& settings);

  /// Gradients of L w.r.t. the inputs of the last forward, given dL/dImages of the same shape.
  Gradients backward(const Images& dL_dimages);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace penumbra
