#pragma once
// Host launchers of the CUDA backend's kernels, one per pass, all asynchronous on the given stream.
#include <cstdint>

#include <cuda_runtime_api.h>
#include <glm/glm.hpp>

#include "cuda/raster_layout.h"

namespace penumbra::detail::cuda {

/// What the forward pass leaves per pixel for the backward pass ([view][row][col]).
struct PixelState {
  float* images = nullptr;       // [pixel][4]: rgb, alpha
  float* softmax_max = nullptr;  // running maximum logit of the colour softmax
  float* softmax_sum = nullptr;  // the softmax normaliser relative to that maximum
  int* nearest_face = nullptr;   // hard colour's z-buffer winner, or -1
  int* max_face = nullptr;       // max aggregation's first face reaching the maximum, or -1
};

/// Projects nothing (screen positions come from the host): builds each view's DeviceFace records.
void launch_face_setup(const RasterParams& params, const glm::vec3* screen, const glm::uvec3* triangles,
                       const glm::vec3* colors, const glm::vec2* depth_range, DeviceFace* faces,
                       cudaStream_t stream);

/// One block per (tile, view): coverage, silhouette and colour of every pixel over its tile's faces.
void launch_forward(const RasterParams& params, const DeviceFace* faces, const BinKey* entries,
                    const glm::uvec2* tile_ranges, const glm::vec2* depth_range, PixelState pixels,
                    cudaStream_t stream);

/// One block per (tile, view): per-pixel gradients of every tile entry's face, reduced over the tile's
/// pixels into entry_gradients[entry] without atomics.
void launch_backward(const RasterParams& params, const DeviceFace* faces, const BinKey* entries,
                     const glm::uvec2* tile_ranges, const glm::vec2* depth_range, PixelState pixels,
                     const float* dL_dimages, FaceGradient* entry_gradients, cudaStream_t stream);

/// Sums each face's tile entries in tile order: face_gradients[view * faces + face].
void launch_gather_faces(const RasterParams& params, const std::uint64_t* face_first_entry,
                         const std::uint32_t* face_entries, const FaceGradient* entry_gradients,
                         FaceGradient* face_gradients, cudaStream_t stream);

/// Sums each vertex's face corners in face order (vertex_corners holds face * 3 + corner): dL/dscreen per
/// view and dL/dcolors over all views.
void launch_gather_vertices(const RasterParams& params, const std::uint32_t* vertex_first_corner,
                            const std::uint32_t* vertex_corners, const FaceGradient* face_gradients,
                            glm::vec3* dL_dscreen, glm::vec3* dL_dcolors, cudaStream_t stream);

}  // namespace penumbra::detail::cuda
