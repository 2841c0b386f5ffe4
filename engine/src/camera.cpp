#include "penumbra/camera.h"

#include <cmath>
#include <span>
#include <string>

#include <glm/gtc/quaternion.hpp>

#include "penumbra/error.h"
#include "projection.h"

namespace penumbra {
namespace {

bool finite(glm::vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

// From a convention's camera axes to OpenCV's (right, down, forward): a diagonal of signs, its own inverse.
glm::dvec3 axes_to_opencv(CameraConvention convention) {
  switch (convention) {
    case CameraConvention::opencv:
      return {1, 1, 1};
    case CameraConvention::opengl:
      return {1, -1, -1};  // (right, up, backward)
    case CameraConvention::pytorch3d:
      return {-1, -1, 1};  // (left, up, forward)
  }
  return {1, 1, 1};
}

glm::dmat3 scale_rows(glm::dvec3 signs, glm::dmat3 m) {
  for (int col = 0; col < 3; ++col) m[col] *= signs;
  return m;
}

// Axis-angle of a proper rotation, through the quaternion (robust near 0 and at half turns).
glm::dvec3 rotation_vector(const glm::dmat3& rotation) {
  glm::dquat q = glm::quat_cast(rotation);
  if (q.w < 0) q = -q;
  const glm::dvec3 v(q.x, q.y, q.z);
  const double sine = glm::length(v);
  if (sine < 1e-12) return 2.0 * v;
  return v * (2.0 * std::atan2(sine, q.w) / sine);
}

void require_rotation(const glm::dmat3& rotation, const std::string& where) {
  const glm::dmat3 should_be_identity = glm::transpose(rotation) * rotation;
  double error = 0;
  for (int col = 0; col < 3; ++col) {
    error = std::max(error, glm::length(should_be_identity[col] - glm::dmat3(1.0)[col]));
  }
  if (!(error < 1e-3)) {
    throw Error("camera matrix's 3x3 part is not a rotation (|R^T R - I| = " + std::to_string(error) + ")",
                where, "give an orthonormal rotation without scale in the upper-left 3x3");
  }
  if (glm::determinant(rotation) < 0) {
    throw Error("camera matrix's 3x3 part is a mirror image (determinant -1)", where,
                "name the convention the matrix was written in: opencv (x right, y down, z forward), opengl "
                "(x right, y up, z backward) or pytorch3d (x left, y up, z forward)");
  }
}

Camera pose_from_world_to_camera(const glm::dmat3& rotation, const glm::dvec3& translation,
                                 CameraConvention convention, const std::string& where) {
  require_rotation(rotation, where);
  const glm::dvec3 signs = axes_to_opencv(convention);
  Camera camera;
  camera.model = CameraModel::pose;
  camera.rotation = glm::vec3(rotation_vector(scale_rows(signs, rotation)));
  camera.translation = glm::vec3(signs * translation);
  return camera;
}

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
  const glm::vec3 up =
      std::abs(std::cos(elevation)) < 1e-4f ? glm::vec3(0.0f, 0.0f, 1.0f) : glm::vec3(0, 1, 0);
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

Camera Camera::from_matrix(const glm::dmat4& matrix, CameraConvention convention, MatrixDirection direction,
                           const std::string& where) {
  for (int col = 0; col < 4; ++col) {
    for (int row = 0; row < 4; ++row) {
      if (!std::isfinite(matrix[col][row])) {
        throw Error("camera matrix holds a NaN or infinite number", where, "give finite numbers");
      }
    }
  }
  if (std::abs(matrix[0][3]) + std::abs(matrix[1][3]) + std::abs(matrix[2][3]) + std::abs(matrix[3][3] - 1) >
      1e-6) {
    throw Error("camera matrix's last row is not 0 0 0 1", where, "give a rigid transform [R | t; 0 0 0 1]");
  }
  const glm::dmat3 upper(matrix);
  const glm::dvec3 last(matrix[3]);
  if (direction == MatrixDirection::world_to_camera) {
    return pose_from_world_to_camera(upper, last, convention, where);
  }
  // camera-to-world [R_c | C]: world-to-camera is [R_c^T | -R_c^T C].
  const glm::dmat3 rotation = glm::transpose(upper);
  return pose_from_world_to_camera(rotation, -(rotation * last), convention, where);
}

Camera Camera::from_pytorch3d(const glm::dmat3& R, const glm::dvec3& T, const std::string& where) {
  // x_view = x_world R + T with row vectors is x_view = R^T x_world + T with column vectors.
  return pose_from_world_to_camera(glm::transpose(R), T, CameraConvention::pytorch3d, where);
}

Camera& Camera::with_pinhole(float fx_pixels, float fy_pixels, float cx_pixels, float cy_pixels, int width,
                             int height) {
  projection = Projection::pinhole;
  fx = fx_pixels;
  fy = fy_pixels;
  cx = cx_pixels;
  cy = cy_pixels;
  image_width = width;
  image_height = height;
  return *this;
}

glm::dmat4 Camera::world_to_camera(CameraConvention convention) const {
  const detail::ViewTransform<double> view = detail::view_transform(detail::CameraT<double>(*this));
  // The view's axes are (right, up, forward): OpenCV's with y flipped.
  const glm::dvec3 signs = axes_to_opencv(convention) * glm::dvec3(1, -1, 1);
  glm::dmat4 matrix(scale_rows(signs, view.rotation));
  matrix[3] = glm::dvec4(signs * view.offset, 1.0);
  return matrix;
}

glm::vec3 Camera::project(glm::vec3 world, float aspect) const {
  glm::vec3 screen;
  detail::project<float>(std::span(&world, 1), detail::CameraT<float>(*this), aspect, std::span(&screen, 1));
  return screen;
}

glm::vec3 Camera::unproject(glm::vec2 ndc, float depth, float aspect) const {
  const detail::CameraT<double> camera(*this);
  const detail::ViewTransform<double> view = detail::view_transform(camera);
  const detail::ScreenMapping<double> mapping = detail::screen_mapping(camera, double(aspect));
  const double divisor = projection == Projection::orthographic ? 1.0 : double(depth);
  const glm::dvec3 view_point((double(ndc.x) - mapping.offset.x) / mapping.scale.x * divisor,
                              (double(ndc.y) - mapping.offset.y) / mapping.scale.y * divisor, depth);
  return glm::vec3(glm::transpose(view.rotation) * (view_point - view.offset));
}

void Camera::validate(const std::string& where) const {
  if (!finite(eye) || !finite(at) || !finite(up) || !finite(rotation) || !finite(translation) ||
      !std::isfinite(fov_degrees) || !std::isfinite(fx) || !std::isfinite(fy) || !std::isfinite(cx) ||
      !std::isfinite(cy) || !std::isfinite(ortho_scale) || !std::isfinite(near) || !std::isfinite(far)) {
    throw Error("camera has a NaN or infinite parameter", where,
                "give finite numbers for every camera field");
  }
  if (model == CameraModel::look_at) {
    const glm::vec3 forward = at - eye;
    if (glm::dot(forward, forward) < 1e-12f) {
      throw Error("camera eye and at are the same point", where,
                  "place the eye away from the point it looks at");
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
  if (projection == Projection::pinhole && (!(fx > 0.0f) || !(fy > 0.0f))) {
    throw Error("pinhole focal lengths must be > 0 pixels, got fx " + std::to_string(fx) + ", fy " +
                    std::to_string(fy),
                where, "give fx and fy in pixels, e.g. 300");
  }
  if (projection == Projection::pinhole && (image_width < 1 || image_height < 1)) {
    throw Error("pinhole camera has no image size", where,
                "give the width and height (pixels) that fx, fy, cx, cy refer to");
  }
  if (projection == Projection::orthographic && !(ortho_scale > 0.0f)) {
    throw Error("orthographic scale must be > 0", where, "use e.g. 1");
  }
  if (!(near > 0.0f) || !(far > near)) {
    throw Error(
        "camera needs 0 < near < far, got near " + std::to_string(near) + ", far " + std::to_string(far),
        where, "use e.g. near 0.1, far 100");
  }
}

}  // namespace penumbra
