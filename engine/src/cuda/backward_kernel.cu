// Backward pass: the forward's blocks again, one thread per pixel, over the same tile lists; each pixel adds
// its pair gradients (kernels/pixel_backward.h). A face's gradient is reduced over the tile's pixels in a fixed
// order (warp butterfly, then the warps in order) and written once per tile entry: no atomics, so the result
// has the same bits on every run.
#include "cuda/cuda_check.h"
#include "cuda/device_maths.h"
#include "cuda/raster_kernels.h"

namespace penumbra::detail::cuda {
namespace {

using namespace kernels;

// Faces staged per batch; bounds the shared memory of the per-warp partial sums.
constexpr int kBatch = 32;
constexpr unsigned kFullWarp = 0xffffffffu;

// Butterfly sum over the warp: every lane ends with the same total, added in the same order on every run.
__device__ float warp_sum(float value) {
#pragma unroll
  for (int offset = kWarpSize / 2; offset > 0; offset /= 2)
    value += __shfl_xor_sync(kFullWarp, value, offset);
  return value;
}

__global__ void __launch_bounds__(kTileThreads)
    backward_kernel(RasterParams params, const DeviceFace* faces, const BinKey* entries,
                    const glm::uvec2* tile_ranges, const glm::vec2* depth_range, PixelState pixels,
                    const float* dL_dimages, FaceGradient* entry_gradients) {
  __shared__ DeviceFace staged[kBatch];
  __shared__ int staged_index[kBatch];
  __shared__ float warp_partials[kTileWarps][kBatch][kFaceGradientFloats];
  const int view = blockIdx.y, tile = blockIdx.x;
  const int thread = threadIdx.y * kTileSize + threadIdx.x;
  const int warp = thread / kWarpSize, lane = thread % kWarpSize;
  const int col = (tile % params.tiles_x) * kTileSize + threadIdx.x;
  const int row = (tile / params.tiles_x) * kTileSize + threadIdx.y;
  const glm::vec2 pixel = pn_pixel_center(col, row, params.width, params.height);
  const float near = depth_range[view].x, far = depth_range[view].y;
  const DeviceFace* view_faces = faces + static_cast<std::size_t>(view) * params.faces;
  const BinKey face_mask = (BinKey(1) << params.face_bits) - 1;
  const glm::uvec2 range = tile_ranges[std::size_t(view) * params.tiles_x * params.tiles_y + tile];

  // Pixels outside the image or with a zero upstream gradient take part in the reductions with zeros.
  bool active = col < params.width && row < params.height;
  PnPixelUpstream up{};
  if (active) {
    const std::size_t pixel_id = (std::size_t(view) * params.height + row) * params.width + col;
    const float4 upstream = reinterpret_cast<const float4*>(dL_dimages)[pixel_id];
    const float4 image = reinterpret_cast<const float4*>(pixels.images)[pixel_id];
    up.dL_dcolor = glm::vec3(upstream.x, upstream.y, upstream.z);
    up.dL_dalpha = upstream.w;
    up.color = glm::vec3(image.x, image.y, image.z);
    up.alpha = image.w;
    up.max_logit = pixels.softmax_max[pixel_id];
    up.sum = pixels.softmax_sum[pixel_id];
    up.nearest_face = pixels.nearest_face[pixel_id];
    up.max_face = pixels.max_face[pixel_id];
    active = up.dL_dalpha != 0.0f || up.dL_dcolor != glm::vec3(0.0f);
  }

  for (unsigned base = range.x; base < range.y; base += kBatch) {
    const int count = min(kBatch, int(range.y - base));
    __syncthreads();  // the previous batch's faces and partial sums are no longer read
    if (thread < count) {
      staged_index[thread] = int(entries[base + thread] & face_mask);
      staged[thread] = view_faces[staged_index[thread]];
    }
    __syncthreads();
    for (int j = 0; j < count; ++j) {
      FaceGradient gradient = pn_gradient_zero();
      const PnFace& face = staged[j].face;
      PnFaceSample sample;
      const bool reached = active && col >= face.x0 && col <= face.x1 && row >= face.y0 && row <= face.y1 &&
                           pn_reach_face(params.pixel, pixel, face, sample);
      if (reached) {
        // Unlit and untextured (the Renderer refuses the rest on this backend): only `gradient` is non-zero.
        PnSurfaceGradient surface_gradient = pn_surface_gradient_zero();
        PnShadingGradient shading_gradient = pn_shading_gradient_zero();
        PnTexelGradient texel_gradient;
        pn_pair_gradient(params.pixel, up, sample, pixel, face, staged_index[j], near, far,
                         pn_shading_unlit(), PnTexels{nullptr},
                         pn_surface_of_colors(staged[j].c0, staged[j].c1, staged[j].c2), gradient,
                         surface_gradient, shading_gradient, texel_gradient);
      }
      // Warps that no pixel of which the face reaches skip the shuffles and write zeros.
      const bool warp_reached = __any_sync(kFullWarp, reached);
      float* values = reinterpret_cast<float*>(&gradient);
#pragma unroll
      for (int k = 0; k < kFaceGradientFloats; ++k) {
        const float total = warp_reached ? warp_sum(values[k]) : 0.0f;
        if (lane == 0) warp_partials[warp][j][k] = total;
      }
    }
    __syncthreads();
    // Sum the warps in order and write each entry's gradient once, contiguously.
    for (int item = thread; item < count * kFaceGradientFloats; item += kTileThreads) {
      const int j = item / kFaceGradientFloats, k = item % kFaceGradientFloats;
      float total = 0.0f;
#pragma unroll
      for (int w = 0; w < kTileWarps; ++w) total += warp_partials[w][j][k];
      reinterpret_cast<float*>(entry_gradients + base)[item] = total;
    }
  }
}

}  // namespace

void launch_backward(const RasterParams& params, const DeviceFace* faces, const BinKey* entries,
                     const glm::uvec2* tile_ranges, const glm::vec2* depth_range, PixelState pixels,
                     const float* dL_dimages, FaceGradient* entry_gradients, cudaStream_t stream) {
  const dim3 grid(params.tiles_x * params.tiles_y, params.views);
  const dim3 block(kTileSize, kTileSize);
  backward_kernel<<<grid, block, 0, stream>>>(params, faces, entries, tile_ranges, depth_range, pixels,
                                              dL_dimages, entry_gradients);
  PN_CUDA_CHECK_LAUNCH();
}

}  // namespace penumbra::detail::cuda
