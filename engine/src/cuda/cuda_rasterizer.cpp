#include "cuda/cuda_rasterizer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "cuda/cuda_check.h"
#include "cuda/device_buffer.h"
#include "cuda/raster_kernels.h"
#include "cuda/tile_binning.h"
#include "cuda/vertex_adjacency.h"
#include "raster_params.h"

namespace penumbra::detail::cuda {
namespace {

// A non-blocking stream owned by the rasteriser, so that its work never waits on the legacy default stream.
class Stream {
 public:
  Stream() { PN_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  ~Stream() { cudaStreamDestroy(stream_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

template <class T>
void upload(DeviceBuffer<T>& buffer, std::span<const T> values, cudaStream_t stream) {
  buffer.reserve(values.size());
  PN_CUDA_CHECK(
      cudaMemcpyAsync(buffer.data(), values.data(), values.size_bytes(), cudaMemcpyHostToDevice, stream));
}

template <class T>
void download(std::span<T> values, const DeviceBuffer<T>& buffer, cudaStream_t stream) {
  PN_CUDA_CHECK(
      cudaMemcpyAsync(values.data(), buffer.data(), values.size_bytes(), cudaMemcpyDeviceToHost, stream));
}

RasterParams make_params(const RasterScene<float>& scene, const RasterSettings& settings) {
  RasterParams params;
  params.width = settings.width;
  params.height = settings.height;
  params.tiles_x = (settings.width + kTileSize - 1) / kTileSize;
  params.tiles_y = (settings.height + kTileSize - 1) / kTileSize;
  params.views = scene.views;
  params.faces = static_cast<int>(scene.triangles.size());
  params.vertices = static_cast<int>(scene.colors.size());
  params.face_bits = std::bit_width(static_cast<unsigned>(params.faces - 1));
  params.pixel = make_raster_params<kernels::PnRasterParams>(settings);
  return params;
}

}  // namespace

struct CudaRasterizer::State {
  Stream stream;
  RasterParams params;
  std::uint32_t entry_count = 0;
  // Inputs of a forward.
  DeviceBuffer<glm::vec3> screen{"screen positions"};
  DeviceBuffer<glm::vec3> colors{"vertex colours"};
  DeviceBuffer<glm::vec2> depth_range{"depth ranges"};
  DeviceBuffer<glm::uvec3> triangles{"triangles"};
  DeviceBuffer<std::uint32_t> vertex_first_corner{"vertex adjacency offsets"};
  DeviceBuffer<std::uint32_t> vertex_corners{"vertex adjacency"};
  std::vector<glm::uvec3> uploaded_triangles;  // the topology on the device, to upload only when it changes
  std::size_t uploaded_vertex_count = 0;
  VertexAdjacency adjacency;  // kept: asynchronous copies read it
  bool has_forward = false;   // the per-pixel state and binning belong to a finished forward
  // Face records, binning and what forward leaves per pixel for backward.
  DeviceBuffer<DeviceFace> faces{"face records"};
  TileBinning binning;
  DeviceBuffer<float> images{"images"};
  DeviceBuffer<float> softmax_max{"softmax maxima"};
  DeviceBuffer<float> softmax_sum{"softmax sums"};
  DeviceBuffer<int> nearest_face{"z-buffer faces"};
  DeviceBuffer<int> max_face{"max-aggregation faces"};
  // Backward.
  DeviceBuffer<float> dL_dimages{"image gradients"};
  DeviceBuffer<FaceGradient> entry_gradients{"per-tile face gradients"};
  DeviceBuffer<FaceGradient> face_gradients{"face gradients"};
  DeviceBuffer<glm::vec3> dL_dscreen{"screen-position gradients"};
  DeviceBuffer<glm::vec3> dL_dcolors{"colour gradients"};

  PixelState pixels() {
    return {images.data(), softmax_max.data(), softmax_sum.data(), nearest_face.data(), max_face.data()};
  }

  void upload_topology(std::span<const glm::uvec3> tris, std::size_t vertex_count) {
    if (vertex_count == uploaded_vertex_count && std::ranges::equal(tris, uploaded_triangles)) return;
    uploaded_triangles.assign(tris.begin(), tris.end());
    uploaded_vertex_count = vertex_count;
    adjacency = build_vertex_adjacency(tris, vertex_count);
    upload(triangles, std::span<const glm::uvec3>(uploaded_triangles), stream.get());
    upload(vertex_first_corner, std::span<const std::uint32_t>(adjacency.first_corner), stream.get());
    upload(vertex_corners, std::span<const std::uint32_t>(adjacency.corners), stream.get());
  }
};

CudaRasterizer::CudaRasterizer() : state_(std::make_unique<State>()) {}
CudaRasterizer::~CudaRasterizer() = default;

std::uint32_t CudaRasterizer::tile_entries() const { return state_->entry_count; }

void CudaRasterizer::forward(const RasterScene<float>& scene, const RasterSettings& settings,
                             std::span<float> images) {
  State& s = *state_;
  if (scene.views > 65535 || scene.triangles.size() >= (std::size_t(1) << 31)) {
    throw Error(std::to_string(scene.views) + " views of " + std::to_string(scene.triangles.size()) +
                    " faces is more than the CUDA backend takes (65535 views, 2^31 - 1 faces)",
                "CUDA backend", "render in several calls");
  }
  const cudaStream_t stream = s.stream.get();
  s.has_forward = false;
  s.params = make_params(scene, settings);
  const RasterParams& params = s.params;
  const std::size_t pixels = std::size_t(params.views) * params.width * params.height;

  // Upload the scene (the topology only when it changed) and set up every view's faces.
  s.upload_topology(scene.triangles, scene.colors.size());
  upload(s.screen, scene.screen, stream);
  upload(s.colors, scene.colors, stream);
  upload(s.depth_range, scene.depth_range, stream);
  s.faces.reserve(std::size_t(params.views) * params.faces);
  launch_face_setup(params, s.screen.data(), s.triangles.data(), s.colors.data(), s.depth_range.data(),
                    s.faces.data(), stream);

  // Bin, then render every tile of every view.
  s.entry_count = s.binning.bin(params, s.faces.data(), stream);
  s.images.reserve(pixels * 4);
  s.softmax_max.reserve(pixels);
  s.softmax_sum.reserve(pixels);
  s.nearest_face.reserve(pixels);
  s.max_face.reserve(pixels);
  launch_forward(params, s.faces.data(), s.binning.entries(), s.binning.tile_ranges(), s.depth_range.data(),
                 s.pixels(), stream);
  download(images, s.images, stream);
  PN_CUDA_CHECK(cudaStreamSynchronize(stream));
  s.has_forward = true;
}

void CudaRasterizer::backward(std::span<const float> dL_dimages, std::span<glm::vec3> dL_dscreen,
                              std::span<glm::vec3> dL_dcolors) {
  State& s = *state_;
  if (!s.has_forward) {
    throw Error("CUDA backward without a finished forward", "CUDA backend",
                "call forward first (and let it succeed)");
  }
  const cudaStream_t stream = s.stream.get();
  const RasterParams& params = s.params;
  const std::size_t face_records = std::size_t(params.views) * params.faces;

  // Per-tile face gradients, reduced in each block; then per face, then per vertex, all in fixed orders.
  upload(s.dL_dimages, dL_dimages, stream);
  s.entry_gradients.reserve(s.entry_count);
  s.face_gradients.reserve(face_records);
  s.dL_dscreen.reserve(dL_dscreen.size());
  s.dL_dcolors.reserve(dL_dcolors.size());
  if (s.entry_count > 0) {
    launch_backward(params, s.faces.data(), s.binning.entries(), s.binning.tile_ranges(),
                    s.depth_range.data(), s.pixels(), s.dL_dimages.data(), s.entry_gradients.data(), stream);
  }
  launch_gather_faces(params, s.binning.face_first_entry(), s.binning.face_entries(),
                      s.entry_gradients.data(), s.face_gradients.data(), stream);
  launch_gather_vertices(params, s.vertex_first_corner.data(), s.vertex_corners.data(),
                         s.face_gradients.data(), s.dL_dscreen.data(), s.dL_dcolors.data(), stream);
  download(dL_dscreen, s.dL_dscreen, stream);
  download(dL_dcolors, s.dL_dcolors, stream);
  PN_CUDA_CHECK(cudaStreamSynchronize(stream));
}

}  // namespace penumbra::detail::cuda
