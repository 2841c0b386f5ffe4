#include "cuda/tile_binning.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <string>

#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>

#include "cuda/cuda_check.h"

namespace penumbra::detail::cuda {
namespace {

constexpr int kThreads = 256;

// The tiles a face's pixel box touches: columns tx0..tx1 and rows ty0..ty1 (none when the box is empty).
struct TileBox {
  int tx0, tx1, ty0, ty1;
  __device__ explicit TileBox(const DeviceFace& record) : TileBox(record.face) {}
  __device__ explicit TileBox(const kernels::PnFace& face)
      : tx0(face.x0 / kTileSize),
        tx1(face.x1 / kTileSize),
        ty0(face.y0 / kTileSize),
        ty1(face.y1 / kTileSize) {
    if (face.x1 < face.x0 || face.y1 < face.y0) tx1 = tx0 - 1;
  }
  __device__ int columns() const { return tx1 - tx0 + 1; }
  __device__ std::uint64_t count() const {
    return tx1 < tx0 ? 0 : std::uint64_t(columns()) * (ty1 - ty0 + 1);
  }
};

// counts[g] for g = view * faces + face, and a zero past the end so that the exclusive scan ends in the total.
__global__ void count_tiles_kernel(std::size_t face_records, const DeviceFace* faces, std::uint64_t* counts) {
  const std::size_t g = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (g < face_records) counts[g] = TileBox(faces[g]).count();
  if (g == face_records) counts[g] = 0;
}

__global__ void emit_keys_kernel(RasterParams params, const DeviceFace* faces, const std::uint64_t* first,
                                 BinKey* keys) {
  const std::size_t g = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (g >= std::size_t(params.views) * params.faces) return;
  const TileBox box(faces[g]);
  const std::uint64_t view = g / params.faces, face = g % params.faces;
  const std::uint64_t tile_base = view * params.tiles_x * params.tiles_y;
  BinKey* out = keys + first[g];
  for (int ty = box.ty0; ty <= box.ty1 && box.tx1 >= box.tx0; ++ty) {
    for (int tx = box.tx0; tx <= box.tx1; ++tx) {
      *out++ = ((tile_base + std::uint64_t(ty) * params.tiles_x + tx) << params.face_bits) | face;
    }
  }
}

// For each sorted entry: mark where its tile's range starts and ends, and record it at its face's slot.
__global__ void index_entries_kernel(RasterParams params, std::uint32_t entry_count, const BinKey* sorted,
                                     const DeviceFace* faces, const std::uint64_t* first,
                                     glm::uvec2* tile_ranges, std::uint32_t* face_entries) {
  const std::uint32_t entry = blockIdx.x * blockDim.x + threadIdx.x;
  if (entry >= entry_count) return;
  const BinKey key = sorted[entry];
  const std::uint64_t tile = key >> params.face_bits;
  const std::uint64_t face = key & ((BinKey(1) << params.face_bits) - 1);
  if (entry == 0 || (sorted[entry - 1] >> params.face_bits) != tile) tile_ranges[tile].x = entry;
  if (entry + 1 == entry_count || (sorted[entry + 1] >> params.face_bits) != tile)
    tile_ranges[tile].y = entry + 1;
  const std::uint64_t tiles_per_view = std::uint64_t(params.tiles_x) * params.tiles_y;
  const std::uint64_t view = tile / tiles_per_view, tile_in_view = tile % tiles_per_view;
  const std::uint64_t g = view * params.faces + face;
  const TileBox box(faces[g]);
  const int tx = int(tile_in_view % params.tiles_x), ty = int(tile_in_view / params.tiles_x);
  face_entries[first[g] + std::uint64_t(ty - box.ty0) * box.columns() + (tx - box.tx0)] = entry;
}

unsigned blocks(std::size_t items) { return unsigned((items + kThreads - 1) / kThreads); }

}  // namespace

TileBinning::TileBinning() = default;

std::uint32_t TileBinning::bin(const RasterParams& params, const DeviceFace* faces, cudaStream_t stream) {
  const std::size_t face_records = std::size_t(params.views) * params.faces;
  const std::size_t tiles = std::size_t(params.views) * params.tiles_x * params.tiles_y;

  // Count each face's tiles, then scan the counts into each face's first entry (the last one is the total).
  tile_counts_.reserve(face_records + 1);
  face_first_.reserve(face_records + 1);
  count_tiles_kernel<<<blocks(face_records + 1), kThreads, 0, stream>>>(face_records, faces,
                                                                        tile_counts_.data());
  PN_CUDA_CHECK_LAUNCH();
  std::size_t scan_bytes = 0;
  PN_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(nullptr, scan_bytes, tile_counts_.data(), face_first_.data(),
                                              face_records + 1, stream));
  scratch_.reserve(scan_bytes);
  PN_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(scratch_.data(), scan_bytes, tile_counts_.data(),
                                              face_first_.data(), face_records + 1, stream));
  // The one read-back of a pass: the list sizes depend on it.
  std::uint64_t total = 0;
  PN_CUDA_CHECK(cudaMemcpyAsync(&total, face_first_.data() + face_records, sizeof(total),
                                cudaMemcpyDeviceToHost, stream));
  PN_CUDA_CHECK(cudaStreamSynchronize(stream));
  if (total > 0x7fffffffu) {
    throw Error(
        "the faces' culling boxes cover " + std::to_string(total) + " (tile, face) pairs, more than 2^31 - 1",
        "CUDA backend",
        "lower the image size, the number of views or faces, or sigma (heavy tails reach the "
        "whole screen)");
  }
  const auto entry_count = static_cast<std::uint32_t>(total);

  // One key per (tile, face), sorted so that each tile's faces are contiguous and ascending.
  tile_ranges_.reserve(tiles);
  PN_CUDA_CHECK(cudaMemsetAsync(tile_ranges_.data(), 0, tiles * sizeof(glm::uvec2), stream));
  sorted_ = keys_.data();
  if (entry_count == 0) return 0;
  keys_.reserve(entry_count);
  keys_alternate_.reserve(entry_count);
  face_entries_.reserve(entry_count);
  emit_keys_kernel<<<blocks(face_records), kThreads, 0, stream>>>(params, faces, face_first_.data(),
                                                                  keys_.data());
  PN_CUDA_CHECK_LAUNCH();
  cub::DoubleBuffer<BinKey> keys(keys_.data(), keys_alternate_.data());
  // Only the bits in use are sorted (at least one: one tile of one face still sorts a key).
  const int end_bit = std::max(1, params.face_bits + int(std::bit_width(tiles - 1)));
  std::size_t sort_bytes = 0;
  PN_CUDA_CHECK(
      cub::DeviceRadixSort::SortKeys(nullptr, sort_bytes, keys, int(entry_count), 0, end_bit, stream));
  scratch_.reserve(sort_bytes);
  PN_CUDA_CHECK(cub::DeviceRadixSort::SortKeys(scratch_.data(), sort_bytes, keys, int(entry_count), 0,
                                               end_bit, stream));
  sorted_ = keys.Current();

  index_entries_kernel<<<blocks(entry_count), kThreads, 0, stream>>>(
      params, entry_count, sorted_, faces, face_first_.data(), tile_ranges_.data(), face_entries_.data());
  PN_CUDA_CHECK_LAUNCH();
  return entry_count;
}

}  // namespace penumbra::detail::cuda
