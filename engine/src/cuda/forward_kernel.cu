// Forward pass: one thread block per (tile, view), one thread per pixel. The tile's faces are staged in shared
// memory a block at a time and every pixel folds them in ascending order, exactly like the CPU rasteriser:
// coverage, T-conorm state, softmax colour with a running maximum (or the hard z-buffer colour).
#include <cmath>

#include "cuda/cuda_check.h"
#include "cuda/device_maths.h"
#include "cuda/raster_kernels.h"

namespace penumbra::detail::cuda {
namespace {

using namespace penumbra::cuda_kernels;

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
  const glm::vec2 pixel(float(2 * col + 1 - params.width) / float(params.width),
                        float(params.height - 1 - 2 * row) / float(params.height));
  const float near = depth_range[view].x, far = depth_range[view].y;
  const DeviceFace* view_faces = faces + static_cast<std::size_t>(view) * params.faces;
  const BinKey face_mask = (BinKey(1) << params.face_bits) - 1;
  const glm::uvec2 range = tile_ranges[std::size_t(view) * params.tiles_x * params.tiles_y + tile];

  float state = 0.0f;
  // Softmax over depth with a running maximum; the background starts it.
  float max_logit = params.background_logit, sum = 1.0f;
  glm::vec3 accumulated = params.background;
  float nearest_depth = INFINITY;
  int nearest = -1, max_face = -1;
  glm::vec3 nearest_color = params.background;

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
      const DeviceFace& face = staged[j];
      if (col < face.x0 || col > face.x1 || row < face.y0 || row > face.y1) continue;
      PnFaceSample sample = pn_locate_face(pixel, face.v0, face.v1, face.v2);
      if (!sample.inside && sample.dist2 > params.reach2) continue;  // beyond the culling radius: D <= epsilon
      pn_finish_face(sample, pixel, face.v0, face.v1, face.v2, params.squared);
      if (!params.softmax && sample.inside && face.colored) {
        float w0, w1, w2;
        const float depth = pn_perspective(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, w0, w1, w2);
        if (depth < nearest_depth) {
          nearest_depth = depth;
          nearest = staged_index[j];
          nearest_color = w0 * face.c0 + w1 * face.c1 + w2 * face.c2;
        }
      }
      const float coverage = pn_coverage(params.distribution, sample.value / params.sigma + params.shift,
                                         sample.inside, params.shape, params.log_gamma_shape);
      if (coverage <= params.coverage_epsilon) continue;
      const float previous_state = state;
      state = pn_aggregate_step(params.aggregation, state, coverage, params.p);
      // max sends its gradient to the first face that reaches the maximum.
      if (params.aggregation == PN_AGG_MAX && state > previous_state) max_face = staged_index[j];
      if (!params.softmax || !face.colored) continue;
      float w0, w1, w2;
      const float depth = pn_perspective(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, w0, w1, w2);
      const float logit = pn_depth_logit(depth, near, far, params.gamma);
      if (logit > max_logit) {
        const float rescale = expf(max_logit - logit);
        sum *= rescale;
        accumulated *= rescale;
        max_logit = logit;
      }
      const float weight = coverage * expf(logit - max_logit);
      sum += weight;
      accumulated += weight * (w0 * face.c0 + w1 * face.c1 + w2 * face.c2);
    }
  }
  if (!in_image) return;
  const std::size_t pixel_id = (std::size_t(view) * params.height + row) * params.width + col;
  const glm::vec3 rgb = params.softmax ? accumulated / sum : nearest_color;
  reinterpret_cast<float4*>(pixels.images)[pixel_id] =
      make_float4(rgb.x, rgb.y, rgb.z, pn_aggregate_finish(params.aggregation, state, params.p));
  pixels.softmax_max[pixel_id] = max_logit;
  pixels.softmax_sum[pixel_id] = sum;
  pixels.nearest_face[pixel_id] = nearest;
  pixels.max_face[pixel_id] = max_face;
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
