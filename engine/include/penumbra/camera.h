#pragma once
/// Cameras. World is right-handed with y up; a camera looks along +Z of its own frame with X right and Y up,
/// so a point's camera-space Z is its depth. NDC: x = X / (Z tan(fov/2) aspect), y = Y / (Z tan(fov/2)).
#include <string>

#include <glm/glm.hpp>

namespace penumbra {

enum class Projection { perspective, orthographic };

/// How the world-to-camera transform is given.
enum class CameraModel {
  look_at,  ///< eye, at, up
  pose,     ///< camera-space point = R(rotation) * world point + translation
};

struct Camera {
  CameraModel model = CameraModel::look_at;
  glm::vec3 eye{0.0f, 0.0f, -2.732f};  ///< look_at: camera centre (world units)
  glm::vec3 at{0.0f};                  ///< look_at: point looked at
  glm::vec3 up{0.0f, 1.0f, 0.0f};      ///< look_at: approximate up direction
  glm::vec3 rotation{0.0f};            ///< pose: axis-angle (radians), world to camera
  glm::vec3 translation{0.0f, 0.0f, 2.732f};  ///< pose: world to camera translation
  Projection projection = Projection::perspective;
  float fov_degrees = 30.0f;  ///< perspective: full vertical field of view
  float ortho_scale = 1.0f;   ///< orthographic: NDC units per world unit
  float near = 0.1f;          ///< depth of the near plane; faces with a vertex nearer are not drawn
  float far = 100.0f;         ///< depth of the far plane (sets the softmax depth normalisation)

  static Camera look_at(glm::vec3 eye, glm::vec3 at = glm::vec3(0.0f), glm::vec3 up = {0.0f, 1.0f, 0.0f},
                        float fov_degrees = 30.0f);
  /// Eye at (d cos e sin a, d sin e, -d cos e cos a) looking at the origin, angles in degrees (GenDR/SoftRas).
  static Camera orbit(float azimuth_degrees, float elevation_degrees, float distance, float fov_degrees = 30.0f);
  static Camera from_pose(glm::vec3 rotation, glm::vec3 translation, float fov_degrees = 30.0f);

  /// Throws penumbra::Error if a field is NaN/Inf, eye == at, fov outside (0, 180), near <= 0 or far <= near.
  void validate(const std::string& where = "camera") const;
};

/// dL/d(each continuous camera parameter); fields that the camera's model does not use stay zero.
struct CameraGradient {
  glm::vec3 eye{0.0f}, at{0.0f}, up{0.0f};
  glm::vec3 rotation{0.0f}, translation{0.0f};
  float fov_degrees = 0.0f;
  float ortho_scale = 0.0f;
};

}  // namespace penumbra
