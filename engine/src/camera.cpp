#include "penumbra/camera.h"

#include <cmath>
#include <string>

#include "penumbra/error.h"

namespace penumbra {
namespace {
bool finite(glm::vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }
}  // namespace

Camera Camera::look_at(glm::vec3 eye, glm::vec3 at, glm::vec3 up, float fov_degrees) {
  Camera camera;
  camera.model = CameraModel::look_at;
  camera.eye = eye;
  camera.at = at;
  camera.up = up;
  camera.fov_degrees = fov_degrees;
  return camera;
}

Camera Camera::orbit(float azimuth_degrees, float elevation_degrees, float distance, float fov_degrees) {
  const float azimuth = glm::radians(azimuth_degrees);
  const float elevation = glm::radians(elevation_degrees);
  const glm::vec3 eye{distance * std::cos(elevation) * std::sin(azimuth), distance * std::sin(elevation),
                      -distance * std::cos(elevation) * std::cos(azimuth)};
  // Straight above or below, y is no longer a usable up direction.
  const glm::vec3 up = std::abs(std::cos(elevation)) < 1e-4f ? glm::vec3(0.0f, 0.0f, 1.0f) : glm::vec3(0, 1, 0);
  return look_at(eye, glm::vec3(0.0f), up, fov_degrees);
}

Camera Camera::from_pose(glm::vec3 rotation, glm::vec3 translation, float fov_degrees) {
  Camera camera;
  camera.model = CameraModel::pose;
  camera.rotation = rotation;
  camera.translation = translation;
  camera.fov_degrees = fov_degrees;
  return camera;
}

void Camera::validate(const std::string& where) const {
  if (!finite(eye) || !finite(at) || !finite(up) || !finite(rotation) || !finite(translation) ||
      !std::isfinite(fov_degrees) || !std::isfinite(ortho_scale) || !std::isfinite(near) || !std::isfinite(far)) {
    throw Error("camera has a NaN or infinite parameter", where, "give finite numbers for every camera field");
  }
  if (model == CameraModel::look_at) {
    const glm::vec3 forward = at - eye;
    if (glm::dot(forward, forward) < 1e-12f) {
      throw Error("camera eye and at are the same point", where, "place the eye away from the point it looks at");
    }
    const glm::vec3 side = glm::cross(forward, up);
    if (glm::dot(side, side) < 1e-12f * glm::dot(forward, forward) * std::max(glm::dot(up, up), 1e-12f)) {
      throw Error("camera up direction is parallel to the viewing direction (or zero)", where,
                  "choose an up vector that is not along at - eye");
    }
  }
  if (projection == Projection::perspective && !(fov_degrees > 0.0f && fov_degrees < 180.0f)) {
    throw Error("field of view " + std::to_string(fov_degrees) + " is outside (0, 180) degrees", where,
                "use e.g. 30");
  }
  if (projection == Projection::orthographic && !(ortho_scale > 0.0f)) {
    throw Error("orthographic scale must be > 0", where, "use e.g. 1");
  }
  if (!(near > 0.0f) || !(far > near)) {
    throw Error("camera needs 0 < near < far, got near " + std::to_string(near) + ", far " + std::to_string(far),
                where, "use e.g. near 0.1, far 100");
  }
}

}  // namespace penumbra
