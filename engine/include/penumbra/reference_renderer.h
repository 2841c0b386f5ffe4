#pragma once
/// The CPU rasteriser run in double precision, with the same projection, maths and settings as Renderer's CPU
/// backend. It exists for gradient checks: central finite differences and torch.autograd.gradcheck need a
/// forward pass whose rounding error is far below the step.
#include <memory>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "penumbra/camera.h"
#include "penumbra/settings.h"

namespace penumbra {

/// A Camera whose continuous parameters are doubles; the fields mean what Camera's do.
struct DoubleCamera {
  CameraModel model = CameraModel::look_at;
  glm::dvec3 eye{0.0, 0.0, -kDefaultCameraDistance}, at{0.0}, up{0.0, 1.0, 0.0};
  glm::dvec3 rotation{0.0}, translation{0.0, 0.0, kDefaultCameraDistance};
  Projection projection = Projection::perspective;
  FovAxis fov_axis = FovAxis::vertical;
  double fov_degrees = kDefaultFovDegrees;
  double fx = 0.0, fy = 0.0, cx = 0.0, cy = 0.0;
  int image_width = 0, image_height = 0;
  double ortho_scale = 1.0, near = 0.1, far = 100.0;

  DoubleCamera() = default;
  explicit DoubleCamera(const Camera& camera);
};

/// dL/d(each continuous parameter of a DoubleCamera); fields its model does not use stay zero.
struct DoubleCameraGradient {
  glm::dvec3 eye{0.0}, at{0.0}, up{0.0}, rotation{0.0}, translation{0.0};
  double fov_degrees = 0.0;
  double fx = 0.0, fy = 0.0, cx = 0.0, cy = 0.0;  ///< per pixel of the camera's own image size
  double ortho_scale = 0.0;
};

class ReferenceRenderer {
 public:
  /// `threads`: worker threads, 0 = every CPU the process may run on. Results do not depend on it.
  explicit ReferenceRenderer(int threads = 0);
  ~ReferenceRenderer();
  ReferenceRenderer(const ReferenceRenderer&) = delete;
  ReferenceRenderer& operator=(const ReferenceRenderer&) = delete;
  ReferenceRenderer(ReferenceRenderer&&) noexcept;
  ReferenceRenderer& operator=(ReferenceRenderer&&) noexcept;

  /// Renders like Renderer::forward into `images` ([views][height][width][4], views = cameras.size()),
  /// shaded by settings.shading (there is no texture to sample). `colors` is empty (white) or one linear RGB
  /// per vertex. Validates like Renderer::forward and throws
  /// penumbra::Error on bad input.
  void forward(std::span<const glm::dvec3> positions, std::span<const glm::uvec3> triangles,
               std::span<const glm::dvec3> colors, std::span<const DoubleCamera> cameras,
               const RasterSettings& settings, std::span<double> images);

  /// Gradients of L w.r.t. the inputs of the last forward from dL/dimages (shaped like its images), written
  /// to dL_dpositions and dL_dcolors ([vertices]) and dL_dcameras ([views]).
  void backward(std::span<const double> dL_dimages, std::span<glm::dvec3> dL_dpositions,
                std::span<glm::dvec3> dL_dcolors, std::span<DoubleCameraGradient> dL_dcameras);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace penumbra
