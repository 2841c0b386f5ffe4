// Face setup: screen edges, depths, corner colours and the pixel box that each face's culling radius
// reaches, computed exactly as the CPU rasteriser does (the box arithmetic is rounded step by step, with no
// fused multiply-add, so both backends bin every face into the same tiles).
#include "cuda/cuda_check.h"
#include "cuda/raster_kernels.h"

namespace penumbra::detail::cuda {
namespace {

// Pixel index of an NDC coordinate along an axis of `size` pixels, clamped like the CPU's clamp_index.
__device__ int clamp_index(float value, int size) {
  return static_cast<int>(fminf(fmaxf(value, -1.0f), float(size)));
}

__global__ void face_setup_kernel(RasterParams params, const glm::vec3* screen, const glm::uvec3* triangles,
                                  const glm::vec3* colors, const glm::vec2* depth_range, DeviceFace* faces) {
  const int face_index = blockIdx.x * blockDim.x + threadIdx.x;
  const int view = blockIdx.y;
  if (face_index >= params.faces) return;
  const glm::uvec3 tri = triangles[face_index];
  const glm::vec3* view_screen = screen + static_cast<std::size_t>(view) * params.vertices;
  const glm::vec3 a = view_screen[tri.x], b = view_screen[tri.y], c = view_screen[tri.z];
  DeviceFace face;
  face.v0 = glm::vec2(a);
  face.v1 = glm::vec2(b);
  face.v2 = glm::vec2(c);
  face.z0 = a.z;
  face.z1 = b.z;
  face.z2 = c.z;
  face.c0 = colors[tri.x];
  face.c1 = colors[tri.y];
  face.c2 = colors[tri.z];
  const glm::vec2 e1 = face.v1 - face.v0, e2 = face.v2 - face.v0;
  const float signed_area = __fsub_rn(__fmul_rn(e1.x, e2.y), __fmul_rn(e1.y, e2.x));
  face.colored = params.double_sided || signed_area > 0.0f;
  // A corner at or behind the near plane (or not finite) makes the projection invalid: the face is not drawn.
  const float near = depth_range[view].x;
  const float corner_sum = __fadd_rn(__fadd_rn(__fadd_rn(__fadd_rn(__fadd_rn(a.x, a.y), b.x), b.y), c.x), c.y);
  const bool drawable = fminf(fminf(a.z, b.z), c.z) >= near && isfinite(corner_sum);
  const float r = params.radius;
  const float xmin = __fsub_rn(fminf(fminf(a.x, b.x), c.x), r), xmax = __fadd_rn(fmaxf(fmaxf(a.x, b.x), c.x), r);
  const float ymin = __fsub_rn(fminf(fminf(a.y, b.y), c.y), r), ymax = __fadd_rn(fmaxf(fmaxf(a.y, b.y), c.y), r);
  // Pixel centre x = (2i + 1 - W) / W, so i = (x W + W - 1) / 2; rows run downwards from y = 1.
  const float w = float(params.width), h = float(params.height);
  const float h_minus_1 = float(params.height - 1);
  face.x0 = clamp_index(ceilf(__fsub_rn(__fadd_rn(__fmul_rn(xmin, w), w), 1.0f) * 0.5f), params.width);
  face.x1 = clamp_index(floorf(__fsub_rn(__fadd_rn(__fmul_rn(xmax, w), w), 1.0f) * 0.5f), params.width);
  face.y0 = clamp_index(ceilf(__fsub_rn(h_minus_1, __fmul_rn(ymax, h)) * 0.5f), params.height);
  face.y1 = clamp_index(floorf(__fsub_rn(h_minus_1, __fmul_rn(ymin, h)) * 0.5f), params.height);
  face.x0 = max(face.x0, 0);
  face.y0 = max(face.y0, 0);
  face.x1 = min(face.x1, params.width - 1);
  face.y1 = min(face.y1, params.height - 1);
  if (!drawable) face.x1 = -1;  // an empty box: binned nowhere
  faces[static_cast<std::size_t>(view) * params.faces + face_index] = face;
}

}  // namespace

void launch_face_setup(const RasterParams& params, const glm::vec3* screen, const glm::uvec3* triangles,
                       const glm::vec3* colors, const glm::vec2* depth_range, DeviceFace* faces,
                       cudaStream_t stream) {
  constexpr int kThreads = 256;
  const dim3 grid((params.faces + kThreads - 1) / kThreads, params.views);
  face_setup_kernel<<<grid, kThreads, 0, stream>>>(params, screen, triangles, colors, depth_range, faces);
  PN_CUDA_CHECK_LAUNCH();
}

}  // namespace penumbra::detail::cuda
