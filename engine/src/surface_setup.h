#pragma once
// What the shading reads besides the vertex colours, prepared on the host from the public types: the kernels'
// shading parameters, and the corner normals, computed from the positions inside the renderer so that
// gradients flow from the shading back to the positions. A vertex (smooth) or face (flat) of zero area gets a
// zero normal, which the shading treats as unlit by the directional and point lights (docs/rendering-maths.md).
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "kernels.h"
#include "penumbra/shading.h"
#include "scene_projection.h"

namespace penumbra::detail {

/// The kernels' shading parameters for `shading`, sampling a width x height texture when `textured`.
template <class T>
typename kernels::Of<T>::Shading make_shading_params(const Shading& shading, bool textured, int width,
                                                     int height) {
  typename kernels::Of<T>::Shading S = kernels::Of<T>::unlit();
  S.model = static_cast<int>(shading.model);
  S.light_count = static_cast<int>(shading.lights.size());
  S.textured = textured ? 1 : 0;
  S.wrap = static_cast<int>(shading.wrap);
  S.texture_width = textured ? width : 1;
  S.texture_height = textured ? height : 1;
  S.shininess = shading.shininess;
  S.ambient = shading.ambient;
  S.specular = shading.specular;
  for (std::size_t i = 0; i < shading.lights.size(); ++i) {
    S.light_kind[i] = static_cast<int>(shading.lights[i].kind);
    S.light_vector[i] = shading.lights[i].vector;
    S.light_color[i] = shading.lights[i].color;
  }
  for (int k = 0; k < 9; ++k) S.sh[k] = shading.sh[std::size_t(k)];
  return S;
}

/// dL/d(shading's parameters) from the kernels' gradient, one light gradient per light.
template <class T>
ShadingGradient to_shading_gradient(const typename kernels::Of<T>::ShadingGradient& g, std::size_t lights) {
  ShadingGradient out;
  out.ambient = g.ambient;
  out.specular = g.specular;
  out.shininess = float(g.shininess);
  out.lights.resize(lights);
  for (std::size_t i = 0; i < lights; ++i) {
    out.lights[i].vector = g.light_vector[i];
    out.lights[i].color = g.light_color[i];
  }
  for (int k = 0; k < 9; ++k) out.sh[std::size_t(k)] = g.sh[k];
  return out;
}

// Twice the area-weighted normal of a face: (p1 - p0) x (p2 - p0).
template <class T>
glm::vec<3, T> face_cross(std::span<const glm::vec<3, T>> positions, glm::uvec3 tri) {
  return glm::cross(positions[tri.y] - positions[tri.x], positions[tri.z] - positions[tri.x]);
}

// u = v / |v| (zero for v = 0) and its backward.
template <class T>
glm::vec<3, T> unit_or_zero(glm::vec<3, T> v) {
  const T len = glm::length(v);
  return len > T(0) ? v / len : glm::vec<3, T>(0);
}
template <class T>
glm::vec<3, T> unit_backward(glm::vec<3, T> v, glm::vec<3, T> dL_du) {
  const T len = glm::length(v);
  if (!(len > T(0))) return glm::vec<3, T>(0);
  const glm::vec<3, T> u = v / len;
  return (dL_du - u * glm::dot(u, dL_du)) / len;
}

/// Unit normals per face corner [faces * 3]: the corner vertex's area-weighted normal (smooth) or the face's
/// own (flat).
template <class T>
std::vector<glm::vec<3, T>> corner_normals(std::span<const glm::vec<3, T>> positions,
                                           std::span<const glm::uvec3> triangles, NormalMode mode) {
  std::vector<glm::vec<3, T>> corners(triangles.size() * 3);
  if (mode == NormalMode::flat) {
    for (std::size_t f = 0; f < triangles.size(); ++f) {
      const glm::vec<3, T> n = unit_or_zero(face_cross(positions, triangles[f]));
      for (int k = 0; k < 3; ++k) corners[3 * f + k] = n;
    }
    return corners;
  }
  std::vector<glm::vec<3, T>> sums(positions.size(), glm::vec<3, T>(0));
  for (const glm::uvec3& tri : triangles) {
    const glm::vec<3, T> c = face_cross(positions, tri);
    for (int k = 0; k < 3; ++k) sums[tri[k]] += c;
  }
  for (std::size_t f = 0; f < triangles.size(); ++f) {
    for (int k = 0; k < 3; ++k) corners[3 * f + k] = unit_or_zero(sums[triangles[f][k]]);
  }
  return corners;
}

/// Adds dL/dpositions given dL/d(corner_normals(positions, triangles, mode)), in face order.
template <class T>
void corner_normals_backward(std::span<const glm::vec<3, T>> positions, std::span<const glm::uvec3> triangles,
                             NormalMode mode, std::span<const glm::vec<3, T>> dL_dcorners,
                             std::span<glm::vec<3, T>> dL_dpositions) {
  // dL/d(each face's cross product), then through c = a x b: dL/da = b x dL/dc, dL/db = dL/dc x a.
  std::vector<glm::vec<3, T>> dL_dcross(triangles.size());
  if (mode == NormalMode::flat) {
    for (std::size_t f = 0; f < triangles.size(); ++f) {
      const glm::vec<3, T> dL_dn = dL_dcorners[3 * f] + dL_dcorners[3 * f + 1] + dL_dcorners[3 * f + 2];
      dL_dcross[f] = unit_backward(face_cross(positions, triangles[f]), dL_dn);
    }
  } else {
    std::vector<glm::vec<3, T>> sums(positions.size(), glm::vec<3, T>(0));
    std::vector<glm::vec<3, T>> dL_dnormal(positions.size(), glm::vec<3, T>(0));
    for (std::size_t f = 0; f < triangles.size(); ++f) {
      const glm::vec<3, T> c = face_cross(positions, triangles[f]);
      for (int k = 0; k < 3; ++k) {
        sums[triangles[f][k]] += c;
        dL_dnormal[triangles[f][k]] += dL_dcorners[3 * f + k];
      }
    }
    for (std::size_t v = 0; v < sums.size(); ++v) dL_dnormal[v] = unit_backward(sums[v], dL_dnormal[v]);
    for (std::size_t f = 0; f < triangles.size(); ++f) {
      const glm::uvec3 tri = triangles[f];
      dL_dcross[f] = dL_dnormal[tri.x] + dL_dnormal[tri.y] + dL_dnormal[tri.z];
    }
  }
  for (std::size_t f = 0; f < triangles.size(); ++f) {
    const glm::uvec3 tri = triangles[f];
    const glm::vec<3, T> a = positions[tri.y] - positions[tri.x], b = positions[tri.z] - positions[tri.x];
    const glm::vec<3, T> dL_da = glm::cross(b, dL_dcross[f]), dL_db = glm::cross(dL_dcross[f], a);
    dL_dpositions[tri.y] += dL_da;
    dL_dpositions[tri.z] += dL_db;
    dL_dpositions[tri.x] -= dL_da + dL_db;
  }
}

// ---- Attributes of the raster scene (scene_projection.h): the mesh faces in order, each followed by the
// pieces near-plane clipping cut from it. A raster corner at a mesh vertex takes the parent face's corner
// attribute; one at a clip point, the interpolation along the clipped edge with the clip point's t, so that a
// piece shades exactly like the part of its face it covers.

/// Which corner of `tri` is vertex v.
inline int corner_of(glm::uvec3 tri, std::uint32_t v) { return tri.x == v ? 0 : (tri.y == v ? 1 : 2); }

/// The attribute of each raster face corner [raster faces * 3], from one per mesh face corner.
template <class T, class A>
std::vector<A> raster_corner_attribute(const SceneProjection<T>& projection,
                                       std::span<const glm::uvec3> triangles, std::span<const A> corners) {
  const RasterScene<T> scene = projection.scene();
  const std::span<const std::uint32_t> parents = projection.parent_faces();
  const auto clips = projection.clip_points();
  const std::size_t vertex_count = scene.screen.size() / std::size_t(scene.views) - clips.size();
  std::vector<A> out(scene.triangles.size() * 3);
  for (std::size_t r = 0; r < scene.triangles.size(); ++r) {
    const std::uint32_t f = parents[r];
    const glm::uvec3 tri = triangles[f];
    for (int k = 0; k < 3; ++k) {
      const std::uint32_t u = scene.triangles[r][k];
      if (u < vertex_count) {
        out[3 * r + k] = corners[3 * f + corner_of(tri, u)];
        continue;
      }
      const auto& clip = clips[u - vertex_count];
      const A a = corners[3 * f + corner_of(tri, clip.front)], b = corners[3 * f + corner_of(tri, clip.back)];
      out[3 * r + k] = a + clip.t * (b - a);
    }
  }
  return out;
}

/// Backward of raster_corner_attribute: adds dL/d(mesh corners) and dL/d(each clip point's t).
template <class T, class A>
void raster_corner_attribute_backward(const SceneProjection<T>& projection,
                                      std::span<const glm::uvec3> triangles, std::span<const A> corners,
                                      std::span<const A> dL_draster, std::span<A> dL_dcorners,
                                      std::span<T> dL_dclip_t) {
  const RasterScene<T> scene = projection.scene();
  const std::span<const std::uint32_t> parents = projection.parent_faces();
  const auto clips = projection.clip_points();
  const std::size_t vertex_count = scene.screen.size() / std::size_t(scene.views) - clips.size();
  for (std::size_t r = 0; r < scene.triangles.size(); ++r) {
    const std::uint32_t f = parents[r];
    const glm::uvec3 tri = triangles[f];
    for (int k = 0; k < 3; ++k) {
      const std::uint32_t u = scene.triangles[r][k];
      const A g = dL_draster[3 * r + k];
      if (u < vertex_count) {
        dL_dcorners[3 * f + corner_of(tri, u)] += g;
        continue;
      }
      const auto& clip = clips[u - vertex_count];
      const std::size_t front = 3 * f + corner_of(tri, clip.front), back = 3 * f + corner_of(tri, clip.back);
      dL_dcorners[front] += (T(1) - clip.t) * g;
      dL_dcorners[back] += clip.t * g;
      dL_dclip_t[u - vertex_count] += glm::dot(g, corners[back] - corners[front]);
    }
  }
}

/// World positions of the raster vertices: the mesh's, then each clip point's on its edge.
template <class T>
std::vector<glm::vec<3, T>> raster_positions(const SceneProjection<T>& projection,
                                             std::span<const glm::vec<3, T>> positions) {
  std::vector<glm::vec<3, T>> out(positions.begin(), positions.end());
  for (const auto& clip : projection.clip_points()) {
    out.push_back(positions[clip.front] + clip.t * (positions[clip.back] - positions[clip.front]));
  }
  return out;
}

/// Backward of raster_positions: adds dL/dpositions and dL/d(each clip point's t).
template <class T>
void raster_positions_backward(const SceneProjection<T>& projection,
                               std::span<const glm::vec<3, T>> positions,
                               std::span<const glm::vec<3, T>> dL_draster,
                               std::span<glm::vec<3, T>> dL_dpositions, std::span<T> dL_dclip_t) {
  const std::size_t vertex_count = positions.size();
  for (std::size_t v = 0; v < vertex_count; ++v) dL_dpositions[v] += dL_draster[v];
  const auto clips = projection.clip_points();
  for (std::size_t i = 0; i < clips.size(); ++i) {
    const glm::vec<3, T> g = dL_draster[vertex_count + i];
    dL_dpositions[clips[i].front] += (T(1) - clips[i].t) * g;
    dL_dpositions[clips[i].back] += clips[i].t * g;
    dL_dclip_t[i] += glm::dot(g, positions[clips[i].back] - positions[clips[i].front]);
  }
}

/// The appearance part of a raster scene, and its backward, as Renderer (float) and ReferenceRenderer (double)
/// chain it: shading parameters, corner normals computed from the positions, world positions, camera
/// positions, UVs and texels, carried onto the pieces near-plane clipping cuts.
template <class T>
class SceneAppearance {
 public:
  using Vec2 = glm::vec<2, T>;
  using Vec3 = glm::vec<3, T>;

  /// Fills `scene`'s appearance from the mesh (`corner_uvs` and `texels`, row-major from the top row, of a
  /// width x height texture, empty when not textured) for `shading` and the views' `cameras`.
  void forward(const SceneProjection<T>& projection, std::span<const Vec3> positions,
               std::span<const glm::uvec3> triangles, std::span<const Vec2> corner_uvs,
               std::vector<Vec3> texels, int width, int height, std::span<const CameraT<T>> cameras,
               const Shading& shading, RasterScene<T>& scene) {
    shading_ = shading;
    lit_ = shading.model != ShadingModel::unlit;
    textured_ = !texels.empty();
    scene.shading = make_shading_params<T>(shading, textured_, width, height);
    if (!lit_ && !textured_) return;
    positions_.assign(positions.begin(), positions.end());
    triangles_.assign(triangles.begin(), triangles.end());
    if (lit_) {
      corner_normals_ = corner_normals<T>(positions, triangles, shading.normals);
      raster_normals_ = raster_corner_attribute<T, Vec3>(projection, triangles, corner_normals_);
      raster_positions_ = raster_positions<T>(projection, positions);
      eyes_.clear();
      for (const CameraT<T>& camera : cameras) {
        const ViewTransform<T> view = view_transform(camera);
        eyes_.push_back(-(glm::transpose(view.rotation) * view.offset));
      }
      scene.positions = raster_positions_;
      scene.corner_normals = raster_normals_;
      scene.eyes = eyes_;
    }
    if (textured_) {
      corner_uvs_.assign(corner_uvs.begin(), corner_uvs.end());
      raster_uvs_ = raster_corner_attribute<T, Vec2>(projection, triangles, corner_uvs_);
      texels_ = std::move(texels);
      scene.corner_uvs = raster_uvs_;
      scene.texels = texels_;
    }
  }

  bool lit() const { return lit_; }
  bool textured() const { return textured_; }
  const Shading& shading() const { return shading_; }

  /// From the backend's dL/d(appearance inputs): adds dL/dpositions, writes dL/dcorner_uvs (textured) and
  /// adds to dL/d(each clip point's t), which the projection's backward then takes.
  void backward(const SceneProjection<T>& projection, const SurfaceGradients<T>& surface,
                std::span<Vec3> dL_dpositions, std::vector<Vec2>& dL_dcorner_uvs,
                std::span<T> dL_dclip_t) const {
    if (lit_) {
      std::vector<Vec3> dL_dcorner_normals(corner_normals_.size(), Vec3(0));
      raster_corner_attribute_backward<T, Vec3>(projection, triangles_, corner_normals_,
                                                surface.corner_normals, dL_dcorner_normals, dL_dclip_t);
      corner_normals_backward<T>(positions_, triangles_, shading_.normals, dL_dcorner_normals, dL_dpositions);
      raster_positions_backward<T>(projection, positions_, surface.positions, dL_dpositions, dL_dclip_t);
    }
    if (textured_) {
      dL_dcorner_uvs.assign(corner_uvs_.size(), Vec2(0));
      raster_corner_attribute_backward<T, Vec2>(projection, triangles_, corner_uvs_, surface.corner_uvs,
                                                dL_dcorner_uvs, dL_dclip_t);
    }
  }

 private:
  Shading shading_;
  bool lit_ = false, textured_ = false;
  std::vector<Vec3> positions_;
  std::vector<glm::uvec3> triangles_;
  std::vector<Vec3> corner_normals_, raster_normals_, raster_positions_, eyes_, texels_;
  std::vector<Vec2> corner_uvs_, raster_uvs_;
};

}  // namespace penumbra::detail
