#pragma once
// The data the CUDA kernels share: one params struct for every pass of a forward/backward pair, the face
// record that face setup writes and the tile kernels stage in shared memory, and a face's gradient.
#include <cstdint>

#include <glm/glm.hpp>

namespace penumbra::detail::cuda {

/// Pixels per tile side; a tile is one thread block of kTileSize^2 threads, one per pixel.
inline constexpr int kTileSize = 16;
inline constexpr int kTileThreads = kTileSize * kTileSize;
inline constexpr int kWarpSize = 32;
inline constexpr int kTileWarps = kTileThreads / kWarpSize;

/// Settings and sizes of one forward (and the backward that follows it), passed by value to every kernel.
struct RasterParams {
  int width = 0, height = 0;         // image size, pixels
  int tiles_x = 0, tiles_y = 0;      // tiles per row and per column of one view
  int views = 0;                     // images rendered
  int faces = 0;                     // faces of the mesh (per view)
  int vertices = 0;                  // vertices of the mesh (per view)
  int face_bits = 0;                 // low bits of a binning key that hold the face index
  int distribution = 0;              // penumbra::Distribution as an int
  int aggregation = 0;               // penumbra::Aggregation as an int
  bool squared = false;              // coverage of sign * d^2 instead of d
  bool softmax = false;              // softmax colour blend (else the hard z-buffer colour)
  bool double_sided = false;         // back faces take part in the colour blend
  float sigma = 0, shift = 0;        // coverage argument s = value / sigma + shift
  float shape = 0;                   // gamma distributions' shape
  float log_gamma_shape = 0;         // lgamma(shape), computed on the host
  float p = 0;                       // T-conorm parameter
  float coverage_epsilon = 0;        // coverages <= this are skipped
  float gamma = 0;                   // softmax temperature
  float background_logit = 0;       // epsilon / gamma
  glm::vec3 background{0.0f};        // background colour, linear RGB
  float radius = 0;                  // culling radius, NDC units (at most 4: the whole screen)
  float reach2 = 0;                  // squared culling radius with a margin: farther outside, a face is skipped
};

/// One face of one view after setup (mirrors the CPU rasteriser's Face, plus its corner colours).
struct DeviceFace {
  glm::vec2 v0, v1, v2;    // screen positions, NDC
  float z0, z1, z2;        // camera depths
  int x0, x1, y0, y1;      // inclusive pixel box its culling radius reaches; x1 < x0 when not drawn
  int colored;             // 1 when it takes part in the colour blend (front-facing or double-sided)
  glm::vec3 c0, c1, c2;    // corner colours, gathered here so that tiles read one record per face
};

/// dL/d(one face's corners) from one tile, or from all of them once gathered.
struct FaceGradient {
  glm::vec3 position[3];   // dL/d(ndc x, ndc y, depth) of each corner
  glm::vec3 color[3];      // dL/d(rgb) of each corner
};
inline constexpr int kFaceGradientFloats = 18;
static_assert(sizeof(FaceGradient) == kFaceGradientFloats * sizeof(float));

/// A binning key orders tile entries by (view, tile), then by face: (view * tiles + tile) << face_bits | face.
using BinKey = std::uint64_t;

}  // namespace penumbra::detail::cuda
