// Backward pass: the forward's blocks again, one thread per pixel, over the same tile lists. Each pixel
// recomputes its per-face terms from the stored softmax maximum and normaliser (DESIGN §3.5). A face's gradient
// is reduced over the tile's pixels in a fixed order (warp butterfly, then the warps in order) and written once
// per tile entry: no atomics, so the result has the same bits on every run.
#include "cuda/cuda_check.h"
#include "cuda/device_maths.h"
#include "cuda/raster_kernels.h"

namespace penumbra::detail::cuda {
namespace {

using namespace penumbra::cuda_kernels;

// Faces staged per batch; bounds the shared memory of the per-warp partial sums.
constexpr int kBatch = 32;
constexpr unsigned kFullWarp = 0xffffffffu;

// What one pixel needs from the forward pass and the upstream gradient.
struct PixelUpstream {
  glm::vec3 dL_dcolor;
  float dL_dalpha;
  glm::vec3 color;      // the forward's rgb
  float alpha;          // the forward's alpha
  float max_logit, sum; // the softmax's running maximum and normaliser
  int nearest_face, max_face;
};

// dL/d(one face's corners) from one pixel. Mirrors CpuRasterizer::backward_tile; returns false when the face
// does not reach the pixel (the gradient stays zero).
__device__ bool pixel_face_gradient(const RasterParams& params, const DeviceFace& face, int face_index,
                                    glm::vec2 pixel, int col, int row, float near, float far,
                                    const PixelUpstream& up, FaceGradient& out) {
  if (col < face.x0 || col > face.x1 || row < face.y0 || row > face.y1) return false;
  PnFaceSample sample = pn_locate_face(pixel, face.v0, face.v1, face.v2);
  if (!sample.inside && sample.dist2 > params.reach2) return false;
  pn_finish_face(sample, pixel, face.v0, face.v1, face.v2, params.squared);
  glm::vec2 g0(0.0f), g1(0.0f), g2(0.0f);
  if (!params.softmax && face_index == up.nearest_face) {
    // Hard colour: the z-buffer winner's interpolated colour, differentiable inside the face through the
    // vertex colours, the barycentrics and the perspective-correct weights.
    float w0, w1, w2;
    const float depth = pn_perspective(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, w0, w1, w2);
    out.color[0] += w0 * up.dL_dcolor;
    out.color[1] += w1 * up.dL_dcolor;
    out.color[2] += w2 * up.dL_dcolor;
    float dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2;
    pn_perspective_backward(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, depth, w0, w1, w2, 0.0f,
                            dot(up.dL_dcolor, face.c0), dot(up.dL_dcolor, face.c1), dot(up.dL_dcolor, face.c2),
                            dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2);
    out.position[0].z += dL_dz0;
    out.position[1].z += dL_dz1;
    out.position[2].z += dL_dz2;
    pn_barycentric_backward(sample, pixel, face.v0, face.v1, face.v2, dL_db0, dL_db1, dL_db2, g0, g1, g2);
  }
  const float argument = sample.value / params.sigma + params.shift;
  const float coverage = pn_coverage(params.distribution, argument, sample.inside, params.shape,
                                     params.log_gamma_shape);
  if (coverage > params.coverage_epsilon) {
    float dL_dcoverage = up.dL_dalpha * pn_aggregate_gradient(params.aggregation, up.alpha, coverage, params.p);
    if (params.aggregation == PN_AGG_MAX && face_index == up.max_face) dL_dcoverage += up.dL_dalpha;
    if (params.softmax && face.colored) {
      float w0, w1, w2;
      const float depth = pn_perspective(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, w0, w1, w2);
      const glm::vec3 face_color = w0 * face.c0 + w1 * face.c1 + w2 * face.c2;
      const float exponential = expf(pn_depth_logit(depth, near, far, params.gamma) - up.max_logit);
      const float weight = coverage * exponential;
      // I = sum(weight_j c_j) / sum  =>  dI/dweight_j = (c_j - I) / sum.
      const float dL_dweight = dot(up.dL_dcolor, face_color - up.color) / up.sum;
      dL_dcoverage += dL_dweight * exponential;
      const float dL_ddepth = dL_dweight * weight * (-1.0f / ((far - near) * params.gamma));
      const glm::vec3 dL_dface_color = up.dL_dcolor * (weight / up.sum);
      out.color[0] += w0 * dL_dface_color;
      out.color[1] += w1 * dL_dface_color;
      out.color[2] += w2 * dL_dface_color;
      float dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2;
      pn_perspective_backward(sample.b0, sample.b1, sample.b2, face.z0, face.z1, face.z2, depth, w0, w1, w2,
                              dL_ddepth, dot(dL_dface_color, face.c0), dot(dL_dface_color, face.c1),
                              dot(dL_dface_color, face.c2), dL_db0, dL_db1, dL_db2, dL_dz0, dL_dz1, dL_dz2);
      out.position[0].z += dL_dz0;
      out.position[1].z += dL_dz1;
      out.position[2].z += dL_dz2;
      pn_barycentric_backward(sample, pixel, face.v0, face.v1, face.v2, dL_db0, dL_db1, dL_db2, g0, g1, g2);
    }
    if (dL_dcoverage != 0.0f) {
      const float dL_dvalue = dL_dcoverage *
                              pn_coverage_density(params.distribution, argument, params.shape,
                                                  params.log_gamma_shape) / params.sigma;
      pn_value_backward(sample, pixel, params.squared, dL_dvalue, g0, g1, g2);
    }
  }
  out.position[0] += glm::vec3(g0, 0.0f);
  out.position[1] += glm::vec3(g1, 0.0f);
  out.position[2] += glm::vec3(g2, 0.0f);
  return true;
}

// Butterfly sum over the warp: every lane ends with the same total, added in the same order on every run.
__device__ float warp_sum(float value) {
#pragma unroll
  for (int offset = kWarpSize / 2; offset > 0; offset /= 2) value += __shfl_xor_sync(kFullWarp, value, offset);
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
  const glm::vec2 pixel(float(2 * col + 1 - params.width) / float(params.width),
                        float(params.height - 1 - 2 * row) / float(params.height));
  const float near = depth_range[view].x, far = depth_range[view].y;
  const DeviceFace* view_faces = faces + static_cast<std::size_t>(view) * params.faces;
  const BinKey face_mask = (BinKey(1) << params.face_bits) - 1;
  const glm::uvec2 range = tile_ranges[std::size_t(view) * params.tiles_x * params.tiles_y + tile];

  // Pixels outside the image or with a zero upstream gradient take part in the reductions with zeros.
  bool active = col < params.width && row < params.height;
  PixelUpstream up{};
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
      FaceGradient gradient{};
      const bool reached = active && pixel_face_gradient(params, staged[j], staged_index[j], pixel, col, row, near,
                                                         far, up, gradient);
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
  backward_kernel<<<grid, block, 0, stream>>>(params, faces, entries, tile_ranges, depth_range, pixels, dL_dimages,
                                              entry_gradients);
  PN_CUDA_CHECK_LAUNCH();
}

}  // namespace penumbra::detail::cuda
