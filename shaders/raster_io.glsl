// The data layout shared by the Vulkan backend's host code (C++) and its compute shaders (GLSL): the
// per-call scene block and the push constants (the face record and the raster parameters are engine/kernels/
// raster_types.h's, shared with the other backends). Every buffer is reached through a
// buffer device address, so shaders need no descriptor sets. std430 throughout, no vec3 in any buffer
// (std430 pads it to 16 bytes); engine/src/vulkan/raster_layout.h checks sizes and offsets on the host.
#ifndef PENUMBRA_SHADERS_RASTER_IO_GLSL
#define PENUMBRA_SHADERS_RASTER_IO_GLSL

#ifdef __cplusplus
#include <cstdint>
#include <glm/glm.hpp>

#include "kernels.h"
namespace penumbra::detail::vulkan::io {
using uint = std::uint32_t;
using PnFace = kernels::f32::PnFace;
using PnRasterParams = kernels::f32::PnRasterParams;
#define PN_REF(type) std::uint64_t  // a VkDeviceAddress on the host
#else
#extension GL_EXT_buffer_reference : require
#include "kernels/dialect.h"
#include "kernels/raster_types.h"
#define PN_REF(type) type
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Uints { uint v[]; };
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(buffer_reference, std430, buffer_reference_align = 8) buffer Vec2s { vec2 v[]; };
layout(buffer_reference, std430, buffer_reference_align = 16) buffer Vec4s { vec4 v[]; };
layout(buffer_reference, std430, buffer_reference_align = 16) buffer Uvec4s { uvec4 v[]; };
layout(buffer_reference, std430, buffer_reference_align = 8) buffer Faces;
layout(buffer_reference, std430, buffer_reference_align = 8) buffer SceneRef;
#endif

const int kTileSize = 16;        // tile edge in pixels; one forward workgroup per tile
const int kGroupSize = 64;       // invocations per workgroup of the one-dimensional passes
const int kScanBlock = 1024;     // elements one scan workgroup handles (256 invocations x 4)
const int kRadixBlock = 64;      // pairs one radix-sort invocation handles, in order
const int kRadixBits = 4;        // bits per radix-sort digit
const int kGradientFloats = 18;  // per face: dL/d(x, y, depth) of 3 corners, then dL/d(rgb) of 3 corners

/// Sizes, settings and the addresses of every buffer of one call, uploaded once per forward.
struct Scene {
  // Inputs, uploaded by the host.
  PN_REF(Vec4s) screen;        // [views][vertices]: NDC x, NDC y, camera depth, 0
  PN_REF(Uvec4s) triangles;    // [faces]: vertex indices, 0
  PN_REF(Vec4s) colors;        // [vertices]: linear RGB, 0
  PN_REF(Vec2s) depth_range;   // [views]: near, far
  PN_REF(Uints) adjacency_offsets;  // [vertices + 1] into adjacency
  PN_REF(Uints) adjacency;     // [3 faces]: face * 3 + corner, ascending face per vertex
  PN_REF(Vec4s) dL_dimages;    // [views][height][width]: upstream gradient of rgba
  // Face setup and binning.
  PN_REF(Faces) faces;         // [views][faces]: PnFace
  PN_REF(Uints) pair_offsets;  // [views * faces + 1]: tiles per face, then their exclusive scan; last = pairs
  PN_REF(Uints) pair_keys;     // [pair capacity]: view * tiles + tile, in face order
  PN_REF(Uints) pair_faces;    // [pair capacity]: face of each pair, in face order
  PN_REF(Uints) tile_offsets;  // [views * tiles + 1] into tile_faces
  PN_REF(Uints) tile_faces;    // [pair capacity]: faces of each tile, ascending
  // Forward outputs and what backward needs of them.
  PN_REF(Vec4s) images;        // [views][height][width]: rgb, alpha
  PN_REF(Vec4s) pixel_state;   // [views][height][width]: max logit, softmax sum, z-buffer face, max face
  // Backward.
  PN_REF(Floats) pair_gradients;  // [pairs][18]: dL/d(x, y, z) of 3 corners, then dL/d(rgb) of 3 corners
  PN_REF(Floats) face_gradients;  // [views][faces][18], same layout
  PN_REF(Vec4s) dL_dscreen;    // [views][vertices]: dL/d(NDC x, NDC y, depth), 0
  PN_REF(Vec4s) dL_dcolors;    // [vertices]: dL/d(rgb), 0
  // Sizes.
  int width, height, views, face_count;
  int vertex_count, tiles_x, tiles_y, pair_capacity;
  // Settings (the distribution is also a specialisation constant of the per-pixel passes).
  PnRasterParams params;
};

/// Push constants of every pass: the scene and, for the generic passes (scan, radix sort), their arrays.
struct PushArgs {
  PN_REF(SceneRef) scene;
  PN_REF(Uints) in_keys;     // scan: the array; radix: keys read
  PN_REF(Uints) in_values;   // scan: the block sums; radix: values read (unused in the first pass)
  PN_REF(Uints) out_keys;    // radix: keys written
  PN_REF(Uints) out_values;  // radix: values written
  PN_REF(Uints) histogram;   // radix: [16][blocks] digit counts, then their exclusive scan
  uint count;                // scan: elements
  uint shift;                // radix: bit offset of the digit
  uint blocks;               // radix: histogram blocks of kRadixBlock pairs
  uint first_pass;           // radix: 1 when the values read are the pair indices themselves
};

#ifdef __cplusplus
#undef PN_REF
}  // namespace penumbra::detail::vulkan::io
#else
layout(buffer_reference, std430, buffer_reference_align = 8) buffer Faces { PnFace v[]; };
layout(buffer_reference, std430, buffer_reference_align = 8) readonly buffer SceneRef { Scene s; };
layout(push_constant) uniform Push { PushArgs args; };
#endif

#endif  // PENUMBRA_SHADERS_RASTER_IO_GLSL
