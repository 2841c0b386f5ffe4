#pragma once
// The data the CUDA kernels share: one params struct for every pass of a forward/backward pair, the face
// record that face setup writes and the tile kernels stage in shared memory, and a face's gradient (the
// records of engine/kernels/raster_types.h, in namespace kernels).
#include <cstdint>

#include <glm/glm.hpp>

namespace penumbra::detail::cuda {

/// Pixels per tile side; a tile is one thread block of kTileSize^2 threads, one per pixel.
inline constexpr int kTileSize = 16;
inline constexpr int kTileThreads = kTileSize * kTileSize;
inline constexpr int kWarpSize = 32;
inline constexpr int kTileWarps = kTileThreads / kWarpSize;

namespace kernels {
using real = float;
using real2 = glm::vec2;
using real3 = glm::vec3;
#include "kernels/raster_types.h"
}  // namespace kernels

/// Sizes of one forward (and the backward that follows it) and its raster parameters, passed by value to
/// every kernel.
struct RasterParams {
  int width = 0, height = 0;        // image size, pixels
  int tiles_x = 0, tiles_y = 0;     // tiles per row and per column of one view
  int views = 0;                    // images rendered
  int faces = 0;                    // faces of the mesh (per view)
  int vertices = 0;                 // vertices of the mesh (per view)
  int face_bits = 0;                // low bits of a binning key that hold the face index
  kernels::PnRasterParams pixel{};  // what the per-pixel algorithm reads (engine/src/raster_params.h)
};

/// One face of one view after setup, with its corner colours gathered so that tiles read one record per face.
struct DeviceFace {
  kernels::PnFace face;
  glm::vec3 c0, c1, c2;
};

/// dL/d(one face's corners) from one tile, or from all of them once gathered.
using FaceGradient = kernels::PnFaceGradient;
inline constexpr int kFaceGradientFloats = 18;
static_assert(sizeof(FaceGradient) == kFaceGradientFloats * sizeof(float));

/// A binning key orders tile entries by (view, tile), then by face: (view * tiles + tile) << face_bits | face.
using BinKey = std::uint64_t;

}  // namespace penumbra::detail::cuda
