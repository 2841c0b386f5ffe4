// Deterministic gathers after the backward pass: each face sums its tile entries in tile order, then each
// vertex sums its face corners in face order (views in order for the colours), as the CPU rasteriser does.
#include "cuda/cuda_check.h"
#include "cuda/device_maths.h"
#include "cuda/raster_kernels.h"

namespace penumbra::detail::cuda {
namespace {

constexpr int kThreads = 256;

__global__ void gather_faces_kernel(std::size_t face_records, const std::uint64_t* face_first_entry,
                                    const std::uint32_t* face_entries, const FaceGradient* entry_gradients,
                                    FaceGradient* face_gradients) {
  const std::size_t g = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (g >= face_records) return;
  FaceGradient total = kernels::pn_gradient_zero();
  for (std::uint64_t slot = face_first_entry[g]; slot < face_first_entry[g + 1]; ++slot) {
    kernels::pn_gradient_add(total, entry_gradients[face_entries[slot]]);
  }
  face_gradients[g] = total;
}

__global__ void gather_vertices_kernel(RasterParams params, const std::uint32_t* vertex_first_corner,
                                       const std::uint32_t* vertex_corners,
                                       const FaceGradient* face_gradients, glm::vec3* dL_dscreen,
                                       glm::vec3* dL_dcolors) {
  const int vertex = blockIdx.x * blockDim.x + threadIdx.x;
  if (vertex >= params.vertices) return;
  glm::vec3 color(0.0f);
  for (int view = 0; view < params.views; ++view) {
    const FaceGradient* view_faces = face_gradients + std::size_t(view) * params.faces;
    glm::vec3 position(0.0f);
    for (std::uint32_t slot = vertex_first_corner[vertex]; slot < vertex_first_corner[vertex + 1]; ++slot) {
      const std::uint32_t corner = vertex_corners[slot];
      const FaceGradient& face = view_faces[corner / 3];
      const int k = corner % 3;
      position += k == 0 ? face.position0 : (k == 1 ? face.position1 : face.position2);
      color += k == 0 ? face.color0 : (k == 1 ? face.color1 : face.color2);
    }
    dL_dscreen[std::size_t(view) * params.vertices + vertex] = position;
  }
  dL_dcolors[vertex] = color;
}

}  // namespace

void launch_gather_faces(const RasterParams& params, const std::uint64_t* face_first_entry,
                         const std::uint32_t* face_entries, const FaceGradient* entry_gradients,
                         FaceGradient* face_gradients, cudaStream_t stream) {
  const std::size_t face_records = std::size_t(params.views) * params.faces;
  const unsigned blocks = unsigned((face_records + kThreads - 1) / kThreads);
  gather_faces_kernel<<<blocks, kThreads, 0, stream>>>(face_records, face_first_entry, face_entries,
                                                       entry_gradients, face_gradients);
  PN_CUDA_CHECK_LAUNCH();
}

void launch_gather_vertices(const RasterParams& params, const std::uint32_t* vertex_first_corner,
                            const std::uint32_t* vertex_corners, const FaceGradient* face_gradients,
                            glm::vec3* dL_dscreen, glm::vec3* dL_dcolors, cudaStream_t stream) {
  const unsigned blocks = unsigned((params.vertices + kThreads - 1) / kThreads);
  gather_vertices_kernel<<<blocks, kThreads, 0, stream>>>(params, vertex_first_corner, vertex_corners,
                                                          face_gradients, dL_dscreen, dL_dcolors);
  PN_CUDA_CHECK_LAUNCH();
}

}  // namespace penumbra::detail::cuda
