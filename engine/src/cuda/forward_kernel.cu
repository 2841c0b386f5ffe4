// Forward pass: one thread block per (tile, view), one thread per pixel. The tile's faces are staged in shared
// memory a block at a time and every pixel folds them in ascending order (kernels/pixel_forward.h).
#include <cmath>

#include "cuda/cuda_check.h"
#include "cuda/device_maths.h"
#include "cuda/raster_kernels.h"

namespace penumbra::detail::cuda {
namespace {

using namespace kernels;

__global__ void __launch_bounds__(kTileThreads)
    forward_kernel(RasterParams params, const DeviceFace* faces, const BinKey* entries,
                   const glm::uvec2* tile_ranges, const glm::vec2* depth_range, PixelState pixels) {
  __shared__ DeviceFace staged[kTileThreads];
  __shared__ int staged_index[kTileThreads];
  const int view = blockIdx.y, tile = blockIdx.x;
  const int thread = threadIdx.y * kTileSize + threadIdx.x;
  const int col = (tile % params.tiles_x) * kTileSize + threadIdx.x;
  const int row = (tile / params.tiles_x) * kTileSize + threadIdx.y;
  const bool in_image = col < params.width && row < params.height;
  const glm::vec2 pixel = pn_pixel_center(col, row, params.width, params.height);
  const float near = depth_range[view].x, far = depth_range[view].y;
  const DeviceFace* view_faces = faces + static_cast<std::size_t>(view) * params.faces;
  const BinKey face_mask = (BinKey(1) << params.face_bits) - 1;
  const glm::uvec2 range = tile_ranges[std::size_t(view) * params.tiles_x * params.tiles_y + tile];

  PnPixelFold fold = pn_fold_begin(params.pixel);
  // This backend shades unlit vertex colours only (the Renderer refuses lit models and textures on it).
  const PnShading unlit = pn_shading_unlit();
  const PnTexels no_texture{nullptr};
  for (unsigned base = range.x; base < range.y; base += kTileThreads) {
    const int count = min(kTileThreads, int(range.y - base));
    __syncthreads();  // the previous batch is no longer read
    if (thread < count) {
      staged_index[thread] = int(entries[base + thread] & face_mask);
      staged[thread] = view_faces[staged_index[thread]];
    }
    __syncthreads();
    if (!in_image) continue;
    for (int j = 0; j < count; ++j) {
      const DeviceFace& record = staged[j];
      const PnFace& face = record.face;
      if (col < face.x0 || col > face.x1 || row < face.y0 || row > face.y1) continue;
      PnFaceSample sample;
      if (!pn_reach_face(params.pixel, pixel, face, sample)) continue;
      pn_fold_face(fold, params.pixel, sample, face, staged_index[j], near, far, unlit, no_texture,
                   pn_surface_of_colors(record.c0, record.c1, record.c2));
    }
  }
  if (!in_image) return;
  const std::size_t pixel_id = (std::size_t(view) * params.height + row) * params.width + col;
  glm::vec3 rgb;
  float alpha;
  pn_fold_finish(fold, params.pixel, rgb, alpha);
  reinterpret_cast<float4*>(pixels.images)[pixel_id] = make_float4(rgb.x, rgb.y, rgb.z, alpha);
  pixels.softmax_max[pixel_id] = fold.max_logit;
  pixels.softmax_sum[pixel_id] = fold.sum;
  pixels.nearest_face[pixel_id] = fold.nearest_face;
  pixels.max_face[pixel_id] = fold.max_face;
}

}  // namespace

void launch_forward(const RasterParams& params, const DeviceFace* faces, const BinKey* entries,
                    const glm::uvec2* tile_ranges, const glm::vec2* depth_range, PixelState pixels,
                    cudaStream_t stream) {
  const dim3 grid(params.tiles_x * params.tiles_y, params.views);
  const dim3 block(kTileSize, kTileSize);
  forward_kernel<<<grid, block, 0, stream>>>(params, faces, entries, tile_ranges, depth_range, pixels);
  PN_CUDA_CHECK_LAUNCH();
}

}  // namespace penumbra::detail::cuda
