#pragma once
// World vertices to screen (NDC x, y and camera depth), and the exact backward to the vertices and to the
// camera's own parameters. Templated on the scalar so that tests can run it in double.
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "penumbra/camera.h"

namespace penumbra::detail {

template <class T>
using Vec2 = glm::vec<2, T, glm::defaultp>;
template <class T>
using Vec3 = glm::vec<3, T, glm::defaultp>;
template <class T>
using Mat3 = glm::mat<3, 3, T, glm::defaultp>;

/// A Camera in scalar T, with the same fields and meaning.
template <class T>
struct CameraT {
  CameraModel model = CameraModel::look_at;
  Vec3<T> eye, at, up, rotation, translation;
  Projection projection = Projection::perspective;
  FovAxis fov_axis = FovAxis::vertical;
  T fov_degrees, fx, fy, cx, cy, ortho_scale, near, far;
  int image_width = 0, image_height = 0;

  CameraT() = default;
  explicit CameraT(const Camera& c)
      : model(c.model),
        eye(c.eye),
        at(c.at),
        up(c.up),
        rotation(c.rotation),
        translation(c.translation),
        projection(c.projection),
        fov_axis(c.fov_axis),
        fov_degrees(c.fov_degrees),
        fx(c.fx),
        fy(c.fy),
        cx(c.cx),
        cy(c.cy),
        ortho_scale(c.ortho_scale),
        near(c.near),
        far(c.far),
        image_width(c.image_width),
        image_height(c.image_height) {}
};

/// Gradient of a CameraT, field for field.
template <class T>
struct CameraGradientT {
  Vec3<T> eye{0}, at{0}, up{0}, rotation{0}, translation{0};
  T fov_degrees = 0, fx = 0, fy = 0, cx = 0, cy = 0, ortho_scale = 0;
};

/// Cross-product matrix [v]x, so that [v]x w = v x w.
template <class T>
Mat3<T> skew(Vec3<T> v) {
  // glm is column-major: Mat3(col0, col1, col2).
  return Mat3<T>(Vec3<T>(0, v.z, -v.y), Vec3<T>(-v.z, 0, v.x), Vec3<T>(v.y, -v.x, 0));
}

/// Rodrigues: R = I + a [w]x + b [w]x^2 with a = sin(th)/th, b = (1 - cos th)/th^2, and the derivatives of
/// a and b divided by th (series near zero, where the closed forms cancel).
template <class T>
void rodrigues_coefficients(T theta, T& a, T& b, T& da_over_theta, T& db_over_theta) {
  if (theta < T(1e-4)) {
    const T t2 = theta * theta;
    a = 1 - t2 / 6;
    b = T(0.5) - t2 / 24;
    da_over_theta = -T(1) / 3 + t2 / 30;
    db_over_theta = -T(1) / 12 + t2 / 180;
    return;
  }
  const T s = std::sin(theta), c = std::cos(theta);
  a = s / theta;
  b = (1 - c) / (theta * theta);
  da_over_theta = (theta * c - s) / (theta * theta * theta);
  db_over_theta = (theta * s - 2 * (1 - c)) / (theta * theta * theta * theta);
}

template <class T>
Mat3<T> rotation_matrix(Vec3<T> w) {
  T a, b, da, db;
  rodrigues_coefficients(glm::length(w), a, b, da, db);
  const Mat3<T> K = skew(w);
  return Mat3<T>(T(1)) + a * K + b * (K * K);
}

/// OpenCV axes (right, down, forward) to the view axes the projection uses (right, up, forward), and back:
/// flipping y, its own inverse.
template <class T>
Mat3<T> flip_y(const Mat3<T>& rows) {
  Mat3<T> flipped = rows;
  for (int col = 0; col < 3; ++col) flipped[col][1] = -flipped[col][1];
  return flipped;
}

/// World-to-view rotation (rows: right, up, forward) and offset, for either model.
template <class T>
struct ViewTransform {
  Mat3<T> rotation;  ///< camera = rotation * world + offset
  Vec3<T> offset;
  // look_at intermediates, kept for the backward pass.
  Vec3<T> forward, right_unnormalised, right, up;
  T forward_length = 0, right_length = 0;
};

template <class T>
ViewTransform<T> view_transform(const CameraT<T>& camera) {
  ViewTransform<T> view;
  if (camera.model == CameraModel::pose) {
    view.rotation = flip_y(rotation_matrix(camera.rotation));
    view.offset = Vec3<T>(camera.translation.x, -camera.translation.y, camera.translation.z);
    return view;
  }
  const Vec3<T> h = camera.at - camera.eye;
  view.forward_length = glm::length(h);
  view.forward = h / view.forward_length;
  view.right_unnormalised = glm::cross(view.forward, camera.up);
  view.right_length = glm::length(view.right_unnormalised);
  view.right = view.right_unnormalised / view.right_length;
  view.up = glm::cross(view.right, view.forward);
  view.rotation = glm::transpose(Mat3<T>(view.right, view.up, view.forward));
  view.offset = -(view.rotation * camera.eye);
  return view;
}

/// View point (X, Y, Z) to NDC: x = scale.x X / Z + offset.x, y = scale.y Y / Z + offset.y (perspective and
/// pinhole), or x = scale.x X, y = scale.y Y (orthographic). `aspect` is the render's width / height.
template <class T>
struct ScreenMapping {
  Vec2<T> scale, offset{0};
};

template <class T>
ScreenMapping<T> screen_mapping(const CameraT<T>& camera, T aspect) {
  switch (camera.projection) {
    case Projection::orthographic:
      return {{camera.ortho_scale / aspect, camera.ortho_scale}};
    case Projection::pinhole: {
      // Pixel u = fx X / Z + cx over a width W is NDC x = (2u - W) / W; v runs down, so y = (H - 2v) / H
      // with the OpenCV Y = -view Y.
      const T width = T(camera.image_width), height = T(camera.image_height);
      return {{2 * camera.fx / width, 2 * camera.fy / height},
              {2 * camera.cx / width - 1, 1 - 2 * camera.cy / height}};
    }
    case Projection::perspective:
      break;
  }
  const T focal = T(1) / std::tan(glm::radians(camera.fov_degrees) / 2);
  if (camera.fov_axis == FovAxis::horizontal) return {{focal, focal * aspect}};
  return {{focal / aspect, focal}};
}

/// dL/d(scale, offset) of a ScreenMapping, summed over the points it mapped.
template <class T>
struct ScreenMappingGradient {
  Vec2<T> scale{0}, offset{0};
};

/// Camera-space point c to screen (ndc x, ndc y, depth).
template <class T>
Vec3<T> to_screen(Vec3<T> c, const ScreenMapping<T>& mapping, bool perspective) {
  const T divisor = perspective ? c.z : T(1);
  return Vec3<T>(mapping.scale.x * c.x / divisor + mapping.offset.x,
                 mapping.scale.y * c.y / divisor + mapping.offset.y, c.z);
}

/// Backward of to_screen: returns dL/dc for dL/dscreen `g` and adds the mapping's share to dL_dmapping.
template <class T>
Vec3<T> to_screen_backward(Vec3<T> c, Vec3<T> g, const ScreenMapping<T>& mapping, bool perspective,
                           ScreenMappingGradient<T>& dL_dmapping) {
  const Vec2<T> scale = mapping.scale;
  dL_dmapping.offset += Vec2<T>(g.x, g.y);
  if (!perspective) {
    dL_dmapping.scale += Vec2<T>(g.x * c.x, g.y * c.y);
    return Vec3<T>(g.x * scale.x, g.y * scale.y, g.z);
  }
  const T inv_z = T(1) / c.z;
  dL_dmapping.scale += Vec2<T>(g.x * c.x * inv_z, g.y * c.y * inv_z);
  return Vec3<T>(g.x * scale.x * inv_z, g.y * scale.y * inv_z,
                 g.z - (g.x * scale.x * c.x + g.y * scale.y * c.y) * inv_z * inv_z);
}

/// World positions to camera space: out[v] = rotation * positions[v] + offset.
template <class T>
void to_camera(std::span<const Vec3<T>> positions, const ViewTransform<T>& view, std::span<Vec3<T>> out) {
  for (std::size_t v = 0; v < positions.size(); ++v) out[v] = view.rotation * positions[v] + view.offset;
}

/// Projects positions into screen: out[v] = (ndc x, ndc y, depth).
template <class T>
void project(std::span<const Vec3<T>> positions, const CameraT<T>& camera, T aspect, std::span<Vec3<T>> out) {
  const ViewTransform<T> view = view_transform(camera);
  const ScreenMapping<T> mapping = screen_mapping(camera, aspect);
  const bool perspective = camera.projection != Projection::orthographic;
  for (std::size_t v = 0; v < positions.size(); ++v) {
    out[v] = to_screen(view.rotation * positions[v] + view.offset, mapping, perspective);
  }
}

/// Backward of to_camera and of the screen mapping: given dL/d(camera-space point) of every position and the
/// mapping's gradient, accumulates dL/dpositions and returns dL/dcamera.
template <class T>
CameraGradientT<T> camera_backward(std::span<const Vec3<T>> positions, const CameraT<T>& camera, T aspect,
                                   std::span<const Vec3<T>> dL_dcamera_points,
                                   const ScreenMappingGradient<T>& dL_dmapping,
                                   std::span<Vec3<T>> dL_dpositions) {
  const ViewTransform<T> view = view_transform(camera);
  const ScreenMapping<T> mapping = screen_mapping(camera, aspect);
  const Vec2<T> scale = mapping.scale;
  const T dL_dscale_x = dL_dmapping.scale.x, dL_dscale_y = dL_dmapping.scale.y;
  const Vec2<T> dL_dscreen_offset = dL_dmapping.offset;

  Mat3<T> dL_drotation(T(0));  // dL/dR[col][row] in glm's layout
  Vec3<T> dL_doffset(0);
  for (std::size_t v = 0; v < positions.size(); ++v) {
    const Vec3<T> dL_dc = dL_dcamera_points[v];
    dL_dpositions[v] += glm::transpose(view.rotation) * dL_dc;
    dL_drotation += glm::outerProduct(dL_dc, positions[v]);
    dL_doffset += dL_dc;
  }

  CameraGradientT<T> grad;
  if (camera.projection == Projection::perspective) {
    // Both scales are proportional to 1 / tan(fov/2), whichever axis the fov spans:
    // d scale / d fov_deg = -scale / tan * sec^2 * (pi / 360).
    const T half = glm::radians(camera.fov_degrees) / 2;
    const T tan_half = std::tan(half);
    const T dtan_dfov = (T(1) + tan_half * tan_half) * std::numbers::pi_v<T> / 360;
    grad.fov_degrees = -(dL_dscale_x * scale.x + dL_dscale_y * scale.y) / tan_half * dtan_dfov;
  } else if (camera.projection == Projection::pinhole) {
    const T width = T(camera.image_width), height = T(camera.image_height);
    grad.fx = dL_dscale_x * 2 / width;
    grad.fy = dL_dscale_y * 2 / height;
    grad.cx = dL_dscreen_offset.x * 2 / width;
    grad.cy = -dL_dscreen_offset.y * 2 / height;
  } else {
    grad.ortho_scale = dL_dscale_x / aspect + dL_dscale_y;
  }

  if (camera.model == CameraModel::pose) {
    // The view is flip_y of the OpenCV pose (flip_y is its own transpose and inverse).
    dL_drotation = flip_y(dL_drotation);
    grad.translation = Vec3<T>(dL_doffset.x, -dL_doffset.y, dL_doffset.z);
    // dL/dw_i = sum_jk dL/dR_jk dR_jk/dw_i, with dR/dw_i from differentiating I + a K + b K^2.
    const Vec3<T> w = camera.rotation;
    T a, b, da, db;
    rodrigues_coefficients(glm::length(w), a, b, da, db);
    const Mat3<T> K = skew(w);
    const Mat3<T> K2 = K * K;
    for (int i = 0; i < 3; ++i) {
      Vec3<T> e(0);
      e[i] = 1;
      const Mat3<T> Ei = skew(e);
      const Mat3<T> dR = a * Ei + b * (Ei * K + K * Ei) + (da * w[i]) * K + (db * w[i]) * K2;
      T sum = 0;
      for (int col = 0; col < 3; ++col) sum += glm::dot(dL_drotation[col], dR[col]);
      grad.rotation[i] = sum;
    }
    return grad;
  }

  // look_at: offset = -R eye, R rows (right, up, forward).
  const Mat3<T>& R = view.rotation;
  grad.eye = -(glm::transpose(R) * dL_doffset);
  // dL/dR including the offset's dependence on R: offset_j = -sum_k R_jk eye_k.
  const Mat3<T> dL_dR = dL_drotation - glm::outerProduct(dL_doffset, camera.eye);
  // Row j of R is column j of transpose: collect dL/d(row).
  const Mat3<T> dL_dRt = glm::transpose(dL_dR);
  Vec3<T> dL_dright = dL_dRt[0];
  const Vec3<T> dL_dup_axis = dL_dRt[1];
  Vec3<T> dL_dforward = dL_dRt[2];
  // up_axis = cross(right, forward).
  dL_dright += glm::cross(view.forward, dL_dup_axis);
  dL_dforward += glm::cross(dL_dup_axis, view.right);
  // right = normalize(cross(forward, up)).
  const Vec3<T> dL_dright_raw =
      (dL_dright - view.right * glm::dot(view.right, dL_dright)) / view.right_length;
  dL_dforward += glm::cross(camera.up, dL_dright_raw);
  grad.up = glm::cross(dL_dright_raw, view.forward);
  // forward = normalize(at - eye).
  const Vec3<T> dL_dh =
      (dL_dforward - view.forward * glm::dot(view.forward, dL_dforward)) / view.forward_length;
  grad.at = dL_dh;
  grad.eye -= dL_dh;
  return grad;
}

/// Backward of project: accumulates dL/dpositions and returns dL/dcamera.
template <class T>
CameraGradientT<T> project_backward(std::span<const Vec3<T>> positions, const CameraT<T>& camera, T aspect,
                                    std::span<const Vec3<T>> dL_dscreen, std::span<Vec3<T>> dL_dpositions) {
  const ViewTransform<T> view = view_transform(camera);
  const ScreenMapping<T> mapping = screen_mapping(camera, aspect);
  const bool perspective = camera.projection != Projection::orthographic;
  ScreenMappingGradient<T> dL_dmapping;
  std::vector<Vec3<T>> dL_dcamera_points(positions.size());
  for (std::size_t v = 0; v < positions.size(); ++v) {
    const Vec3<T> c = view.rotation * positions[v] + view.offset;
    dL_dcamera_points[v] = to_screen_backward(c, dL_dscreen[v], mapping, perspective, dL_dmapping);
  }
  return camera_backward<T>(positions, camera, aspect, dL_dcamera_points, dL_dmapping, dL_dpositions);
}

}  // namespace penumbra::detail
