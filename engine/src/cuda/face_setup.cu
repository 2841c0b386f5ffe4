// Face setup: kernels/face_setup.h's record for every face of every view, with its corner colours.
#include "cuda/cuda_check.h"
#include "cuda/device_maths.h"
#include "cuda/raster_kernels.h"

namespace penumbra::detail::cuda {
namespace {

__global__ void face_setup_kernel(RasterParams params, const glm::vec3* screen, const glm::uvec3* triangles,
                                  const glm::vec3* colors, const glm::vec2* depth_range, DeviceFace* faces) {
  const int face_index = blockIdx.x * blockDim.x + threadIdx.x;
  const int view = blockIdx.y;
  if (face_index >= params.faces) return;
  const glm::uvec3 tri = triangles[face_index];
  const glm::vec3* view_screen = screen + static_cast<std::size_t>(view) * params.vertices;
  DeviceFace record;
  record.face = kernels::pn_setup_face(view_screen[tri.x], view_screen[tri.y], view_screen[tri.z],
                                       depth_range[view].x, params.pixel, params.width, params.height);
  record.c0 = colors[tri.x];
  record.c1 = colors[tri.y];
  record.c2 = colors[tri.z];
  faces[static_cast<std::size_t>(view) * params.faces + face_index] = record;
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
