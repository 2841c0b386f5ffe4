#pragma once
// The fitted mesh seen from an orbit camera (drag to rotate, scroll to zoom), coloured by the per-vertex
// gradient magnitude and lit by a headlight, with the fit's target cameras drawn around it as frusta. Rendered by the engine's CPU renderer in hard colour mode, only
// when the mesh or the camera changed.
#include <cstdint>
#include <vector>

#include "penumbra/mesh.h"
#include "penumbra/renderer.h"

namespace penumbra::viewer {

class TextureCache;

class MeshPreview {
 public:
  static constexpr int kSize = 400;  ///< rendered pixels per side

  MeshPreview();

  /// Takes a new mesh and its gradient magnitudes (one per vertex, or empty); drawn at the next show().
  void set_mesh(const Mesh& mesh, const std::vector<float>& gradient_magnitude);
  /// The cameras to draw as frusta, and the aspect ratio of their pictures.
  void set_cameras(const std::vector<Camera>& cameras, float aspect);
  /// Draws the preview as an ImGui item of `side` pixels and handles dragging and scrolling over it.
  void show(TextureCache& textures, float side);

 private:
  void render(TextureCache& textures);

  Renderer renderer_;
  Mesh mesh_;
  std::vector<float> gradient_magnitude_;
  std::vector<Camera> cameras_;
  float camera_aspect_ = 1.0f;
  float azimuth_ = 30.0f;    // degrees
  float elevation_ = 20.0f;  // degrees
  float distance_ = 7.0f;    // world units: far enough to see the target cameras around the mesh
  bool dirty_ = false;
};

}  // namespace penumbra::viewer
