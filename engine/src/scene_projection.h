#pragma once
// World mesh + cameras -> the RasterScene every backend draws, and its exact backward. Each camera's view is
// projected after clipping faces against the camera's near plane in camera space: a face with one corner
// behind the plane becomes two triangles, with two corners behind one, and one with all three behind is
// dropped. Colours are interpolated at the clip points, and the gradients of the clip points' screen
// positions and colours flow back to the corners they were cut from, to their colours and to the camera.
//
// The raster scene shares one triangle list between views. So the raster faces are every mesh face in order,
// each followed by the pieces its clipping gives in each view (views ascending); a clip point is a raster
// vertex of its own view only, and stands behind every other view's near plane, which drops its pieces
// there, as a face crossing the near plane is dropped in the view where its pieces replace it.
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "projection.h"
#include "raster_scene.h"

namespace penumbra::detail {

template <class T>
class SceneProjection {
 public:
  /// Projects `positions` ([vertices], world) for each camera, clipping at its near plane. `colors` holds
  /// one linear RGB per vertex; `aspect` is the render's width / height.
  void forward(std::span<const Vec3<T>> positions, std::span<const glm::uvec3> triangles,
               std::span<const Vec3<T>> colors, std::span<const CameraT<T>> cameras, T aspect);

  /// What the backends draw: the mesh's vertices followed by the clip points, and the raster faces.
  RasterScene<T> scene() const {
    return {static_cast<int>(cameras_.size()), screen_, triangles_, colors_, depth_range_};
  }

  /// The mesh face each raster face was cut from ([raster faces]).
  std::span<const std::uint32_t> parent_faces() const { return parents_; }

  /// A point where the edge from corner `front` (in front of the near plane) to corner `back` (behind it)
  /// crosses the plane: front + t (back - front) in camera space, at depth near.
  struct ClipPoint {
    std::uint32_t front, back;
    std::uint32_t view;
    T t;
  };
  /// The clip points, raster vertex `vertices + i` being clip point i.
  std::span<const ClipPoint> clip_points() const { return clip_points_; }

  /// Given the backend's dL/dscreen ([views][raster vertices]) and dL/dcolors ([raster vertices]), adds
  /// dL/dpositions and dL/dcolors of the mesh's vertices and writes dL/dcamera for each view. `dL_dclip_t`
  /// ([clip points], or empty) adds what other attributes interpolated at the clip points (shading) give
  /// their parameters t.
  void backward(std::span<const Vec3<T>> dL_dscreen, std::span<const Vec3<T>> dL_draster_colors,
                std::span<Vec3<T>> dL_dpositions, std::span<Vec3<T>> dL_dcolors,
                std::span<CameraGradientT<T>> dL_dcameras, std::span<const T> dL_dclip_t = {}) const;

 private:
  /// The raster vertex of the clip point on edge (front, back) in `view`, made on first use.
  std::uint32_t clip_point(std::uint32_t view, std::uint32_t front, std::uint32_t back);
  void clip_face(std::uint32_t view, std::uint32_t face, glm::uvec3 tri);

  std::vector<Vec3<T>> positions_;    // [vertices]
  std::vector<Vec3<T>> mesh_colors_;  // [vertices]
  std::vector<CameraT<T>> cameras_;   // [views]
  T aspect_ = 1;
  std::vector<Vec3<T>> camera_points_;  // [views][vertices]: camera-space positions
  std::vector<ClipPoint> clip_points_;  // [raster vertices - vertices]
  std::vector<std::unordered_map<std::uint64_t, std::uint32_t>> clip_index_;  // [view]: edge -> raster vertex
  std::vector<Vec3<T>> screen_;                                               // [views][raster vertices]
  std::vector<Vec3<T>> colors_;                                               // [raster vertices]
  std::vector<glm::uvec3> triangles_;                                         // [raster faces]
  std::vector<std::uint32_t> parents_;                                        // [raster faces]
  std::vector<Vec2<T>> depth_range_;                                          // [views]
};

template <class T>
std::uint32_t SceneProjection<T>::clip_point(std::uint32_t view, std::uint32_t front, std::uint32_t back) {
  const std::size_t vertex_count = positions_.size();
  const std::uint64_t key = std::uint64_t(front) * vertex_count + back;
  const auto [it, added] =
      clip_index_[view].try_emplace(key, static_cast<std::uint32_t>(vertex_count + clip_points_.size()));
  if (added) {
    // Computed from the (front, back) pair alone, so faces sharing the edge share the point: no crack.
    const Vec3<T>* c = camera_points_.data() + view * vertex_count;
    const T t = (c[front].z - cameras_[view].near) / (c[front].z - c[back].z);
    clip_points_.push_back({front, back, view, t});
    colors_.push_back(mesh_colors_[front] + t * (mesh_colors_[back] - mesh_colors_[front]));
  }
  return it->second;
}

template <class T>
void SceneProjection<T>::clip_face(std::uint32_t view, std::uint32_t face, glm::uvec3 tri) {
  const Vec3<T>* c = camera_points_.data() + view * positions_.size();
  const T near = cameras_[view].near;
  auto in_front = [&](std::uint32_t v) { return c[v].z >= near; };
  // The clipped polygon, walking the corners in order from corner 0: each corner in front of the plane, then
  // the crossing of the edge to the next corner where the edge crosses (not where it only touches the plane).
  std::uint32_t polygon[4];
  int count = 0;
  for (int k = 0; k < 3; ++k) {
    const std::uint32_t a = tri[k], b = tri[(k + 1) % 3];
    if (in_front(a)) polygon[count++] = a;
    if (in_front(a) && !in_front(b) && c[a].z > near) polygon[count++] = clip_point(view, a, b);
    if (!in_front(a) && in_front(b) && c[b].z > near) polygon[count++] = clip_point(view, b, a);
  }
  // Fanned from its first point: one triangle, or two for a quadrilateral; winding is the face's.
  for (int k = 1; k + 1 < count; ++k) {
    triangles_.push_back({polygon[0], polygon[k], polygon[k + 1]});
    parents_.push_back(face);
  }
}

template <class T>
void SceneProjection<T>::forward(std::span<const Vec3<T>> positions, std::span<const glm::uvec3> triangles,
                                 std::span<const Vec3<T>> colors, std::span<const CameraT<T>> cameras,
                                 T aspect) {
  const std::size_t vertex_count = positions.size();
  const std::size_t views = cameras.size();
  positions_.assign(positions.begin(), positions.end());
  mesh_colors_.assign(colors.begin(), colors.end());
  cameras_.assign(cameras.begin(), cameras.end());
  aspect_ = aspect;
  depth_range_.clear();
  camera_points_.resize(views * vertex_count);
  for (std::size_t view = 0; view < views; ++view) {
    depth_range_.emplace_back(cameras[view].near, cameras[view].far);
    to_camera<T>(positions, view_transform(cameras[view]),
                 std::span(camera_points_).subspan(view * vertex_count, vertex_count));
  }

  // Raster faces: each mesh face, then its pieces in every view where it crosses the near plane.
  clip_points_.clear();
  clip_index_.assign(views, {});
  colors_ = mesh_colors_;
  triangles_.clear();
  parents_.clear();
  for (std::uint32_t face = 0; face < triangles.size(); ++face) {
    const glm::uvec3 tri = triangles[face];
    triangles_.push_back(tri);
    parents_.push_back(face);
    for (std::uint32_t view = 0; view < views; ++view) {
      const Vec3<T>* c = camera_points_.data() + view * vertex_count;
      const T near = cameras[view].near;
      const int behind = int(c[tri.x].z < near) + int(c[tri.y].z < near) + int(c[tri.z].z < near);
      if (behind == 1 || behind == 2) clip_face(view, face, tri);
    }
  }

  // Screen positions: a clip point lies at depth near in its own view and behind the near plane in others.
  const std::size_t raster_vertices = vertex_count + clip_points_.size();
  screen_.resize(views * raster_vertices);
  for (std::size_t view = 0; view < views; ++view) {
    const ScreenMapping<T> mapping = screen_mapping(cameras[view], aspect);
    const bool perspective = cameras[view].projection != Projection::orthographic;
    const Vec3<T>* c = camera_points_.data() + view * vertex_count;
    Vec3<T>* screen = screen_.data() + view * raster_vertices;
    for (std::size_t v = 0; v < vertex_count; ++v) screen[v] = to_screen(c[v], mapping, perspective);
    const Vec3<T> unseen(0, 0, -cameras[view].near);
    for (std::size_t i = 0; i < clip_points_.size(); ++i) {
      const ClipPoint& p = clip_points_[i];
      if (p.view != view) {
        screen[vertex_count + i] = unseen;
        continue;
      }
      Vec3<T> point = c[p.front] + p.t * (c[p.back] - c[p.front]);
      point.z = cameras[view].near;
      screen[vertex_count + i] = to_screen(point, mapping, perspective);
    }
  }
}

template <class T>
void SceneProjection<T>::backward(std::span<const Vec3<T>> dL_dscreen,
                                  std::span<const Vec3<T>> dL_draster_colors,
                                  std::span<Vec3<T>> dL_dpositions, std::span<Vec3<T>> dL_dcolors,
                                  std::span<CameraGradientT<T>> dL_dcameras,
                                  std::span<const T> dL_dclip_t) const {
  const std::size_t vertex_count = positions_.size();
  const std::size_t raster_vertices = vertex_count + clip_points_.size();
  for (std::size_t v = 0; v < vertex_count; ++v) dL_dcolors[v] += dL_draster_colors[v];
  std::vector<Vec3<T>> dL_dcamera_points(vertex_count);
  for (std::size_t view = 0; view < cameras_.size(); ++view) {
    const CameraT<T>& camera = cameras_[view];
    const ScreenMapping<T> mapping = screen_mapping(camera, aspect_);
    const bool perspective = camera.projection != Projection::orthographic;
    const Vec3<T>* c = camera_points_.data() + view * vertex_count;
    const Vec3<T>* dL_dview_screen = dL_dscreen.data() + view * raster_vertices;
    ScreenMappingGradient<T> dL_dmapping;
    for (std::size_t v = 0; v < vertex_count; ++v) {
      dL_dcamera_points[v] = to_screen_backward(c[v], dL_dview_screen[v], mapping, perspective, dL_dmapping);
    }
    // A clip point p = a + t (b - a), with t = (a.z - near) / (a.z - b.z), for front corner a and back b;
    // its colour is colour_a + t (colour_b - colour_a).
    for (std::size_t i = 0; i < clip_points_.size(); ++i) {
      const ClipPoint& p = clip_points_[i];
      if (p.view != view) continue;
      const Vec3<T> a = c[p.front], b = c[p.back];
      Vec3<T> point = a + p.t * (b - a);
      point.z = camera.near;
      const Vec3<T> dL_dpoint =
          to_screen_backward(point, dL_dview_screen[vertex_count + i], mapping, perspective, dL_dmapping);
      const Vec3<T> dL_dcolor = dL_draster_colors[vertex_count + i];
      const T dL_dt = glm::dot(dL_dpoint, b - a) +
                      glm::dot(dL_dcolor, mesh_colors_[p.back] - mesh_colors_[p.front]) +
                      (dL_dclip_t.empty() ? T(0) : dL_dclip_t[i]);
      // dt/da.z = (1 - t) / (a.z - b.z), dt/db.z = t / (a.z - b.z).
      const T dL_dt_over_dz = dL_dt / (a.z - b.z);
      dL_dcamera_points[p.front] += (1 - p.t) * dL_dpoint + Vec3<T>(0, 0, (1 - p.t) * dL_dt_over_dz);
      dL_dcamera_points[p.back] += p.t * dL_dpoint + Vec3<T>(0, 0, p.t * dL_dt_over_dz);
      dL_dcolors[p.front] += (1 - p.t) * dL_dcolor;
      dL_dcolors[p.back] += p.t * dL_dcolor;
    }
    dL_dcameras[view] =
        camera_backward<T>(positions_, camera, aspect_, dL_dcamera_points, dL_dmapping, dL_dpositions);
  }
}

}  // namespace penumbra::detail
