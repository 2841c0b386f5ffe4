#pragma once
/// Cameras: one internal camera, and named conventions that map into it (docs/cameras.md).
///
/// World: right-handed, y up. Extrinsics are either look_at (eye, at, up) or a pose in OpenCV axes: the
/// camera frame has x right, y down, z forward (the direction the camera looks), and a world point p is at
/// camera point R(rotation) p + translation, R a proper rotation. Matrices in other conventions (OpenGL, NeRF,
/// Blender, PyTorch3D; world-to-camera or camera-to-world) become such a pose through `from_matrix`.
///
/// Intrinsics: a field of view (vertical or horizontal; the other follows from the image's aspect), or a
/// pinhole in pixels: a camera point (x, y, z) in OpenCV axes lands at pixel (u, v) = (fx x/z + cx, fy y/z + cy)
/// of an image of `image_width` x `image_height`, u right, v down, the centre of the top-left pixel at
/// (0.5, 0.5) (COLMAP's reading; add 0.5 to an OpenCV cx, cy that puts it at (0, 0)). Pixel intrinsics scale
/// with the render size, so a camera calibrated at 1024 x 768 renders at 256 x 192 unchanged.
///
/// Screen: NDC x right, y up, both in [-1, 1]; a point's depth is its distance along the viewing direction.
#include <string>

#include <glm/glm.hpp>

namespace penumbra {

/// What the defaults frame: a mesh normalised to the unit sphere, seen whole with a margin on every border
/// (its outline spans about 85 % of the half-height at this distance and field of view).
constexpr float kDefaultCameraDistance = 3.0f;
constexpr float kDefaultFovDegrees = 45.0f;

enum class Projection {
  perspective,   ///< field of view `fov_degrees` along `fov_axis`, principal point at the image centre
  pinhole,       ///< fx, fy, cx, cy in pixels of an image_width x image_height image
  orthographic,  ///< `ortho_scale` NDC units per world unit
};

/// The image axis a field of view spans (NeRF's camera_angle_x is horizontal; most renderers' vertical).
enum class FovAxis { vertical, horizontal };

/// How the world-to-camera transform is held.
enum class CameraModel {
  look_at,  ///< eye, at, up
  pose,     ///< OpenCV axes: camera point = R(rotation) * world point + translation
};

/// Axes of a camera frame, as a source of cameras writes them.
enum class CameraConvention {
  opencv,     ///< x right, y down, z forward: OpenCV, COLMAP
  opengl,     ///< x right, y up, z backward (looks along -z): OpenGL, Blender, NeRF, instant-ngp, nerfstudio
  pytorch3d,  ///< x left, y up, z forward: PyTorch3D (its R is stored transposed; see from_pytorch3d)
};

/// Which way a 4x4 matrix maps.
enum class MatrixDirection { world_to_camera, camera_to_world };

struct Camera {
  CameraModel model = CameraModel::look_at;
  glm::vec3 eye{0.0f, 0.0f, -kDefaultCameraDistance};         ///< look_at: camera centre (world units)
  glm::vec3 at{0.0f};                                         ///< look_at: point looked at
  glm::vec3 up{0.0f, 1.0f, 0.0f};                             ///< look_at: approximate up direction
  glm::vec3 rotation{0.0f};                                   ///< pose: axis-angle (radians), world to camera
  glm::vec3 translation{0.0f, 0.0f, kDefaultCameraDistance};  ///< pose: world to camera translation

  Projection projection = Projection::perspective;
  float fov_degrees = kDefaultFovDegrees;  ///< perspective: full field of view along fov_axis
  FovAxis fov_axis = FovAxis::vertical;
  float fx = 0.0f, fy = 0.0f;  ///< pinhole: focal lengths in pixels
  float cx = 0.0f, cy = 0.0f;  ///< pinhole: principal point in pixels (top-left pixel's centre at 0.5, 0.5)
  int image_width = 0;         ///< pinhole: size of the image fx, fy, cx, cy are given in (pixels)
  int image_height = 0;
  float ortho_scale = 1.0f;  ///< orthographic: NDC units per world unit
  float near = 0.1f;         ///< depth of the near plane; faces are clipped there (docs/rendering-maths.md)
  float far = 100.0f;        ///< depth of the far plane (sets the softmax depth normalisation)

  static Camera look_at(glm::vec3 eye, glm::vec3 at = glm::vec3(0.0f), glm::vec3 up = {0.0f, 1.0f, 0.0f},
                        float fov_degrees = kDefaultFovDegrees);
  /// Eye at (d cos e sin a, d sin e, -d cos e cos a) looking at the origin, angles in degrees (GenDR/SoftRas).
  static Camera orbit(float azimuth_degrees, float elevation_degrees, float distance = kDefaultCameraDistance,
                      float fov_degrees = kDefaultFovDegrees);
  /// A pose in OpenCV axes: camera point = R(rotation) * world point + translation.
  static Camera from_pose(glm::vec3 rotation, glm::vec3 translation, float fov_degrees = kDefaultFovDegrees);
  /// The pose of a 4x4 matrix (column vectors: camera = M * [world; 1], or the inverse for camera_to_world)
  /// whose camera frame has the axes of `convention`. Throws penumbra::Error if its upper 3x3 is not a
  /// proper rotation or its last row is not (0, 0, 0, 1). Intrinsics stay at their defaults.
  static Camera from_matrix(const glm::dmat4& matrix, CameraConvention convention, MatrixDirection direction,
                            const std::string& where = "camera matrix");
  /// PyTorch3D's own storage: view point = world point * R + T (row vectors; R is the transpose of the
  /// column-vector rotation), view axes x left, y up, z forward.
  static Camera from_pytorch3d(const glm::dmat3& R, const glm::dvec3& T, const std::string& where = "camera");

  /// Sets pinhole intrinsics (pixels of an image width x height).
  Camera& with_pinhole(float fx, float fy, float cx, float cy, int width, int height);

  /// The world-to-camera matrix in `convention`'s axes (column vectors), for any model.
  glm::dmat4 world_to_camera(CameraConvention convention = CameraConvention::opencv) const;
  /// Where a world point lands in a render of aspect `width / height`: (NDC x, NDC y, depth), as the
  /// renderer projects vertices.
  glm::vec3 project(glm::vec3 world, float aspect) const;
  /// The world point at NDC (x, y) and `depth` (world units along the viewing direction): project's inverse.
  glm::vec3 unproject(glm::vec2 ndc, float depth, float aspect) const;

  /// Throws penumbra::Error if a field is NaN/Inf, eye == at, fov outside (0, 180), a pinhole without a
  /// positive focal length or image size, near <= 0 or far <= near.
  void validate(const std::string& where = "camera") const;
};

/// dL/d(each continuous camera parameter); fields that the camera's model and projection do not use stay zero.
struct CameraGradient {
  glm::vec3 eye{0.0f}, at{0.0f}, up{0.0f};
  glm::vec3 rotation{0.0f}, translation{0.0f};
  float fov_degrees = 0.0f;
  float fx = 0.0f, fy = 0.0f, cx = 0.0f, cy = 0.0f;  ///< per pixel of the camera's own image size
  float ortho_scale = 0.0f;
};

}  // namespace penumbra
