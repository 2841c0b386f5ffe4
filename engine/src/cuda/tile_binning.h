#pragma once
// Exact binning of faces into 16x16-pixel tiles: per-face tile counts, a prefix sum for the offsets, one key
// per (tile, face) and a radix sort, so that every tile lists its faces ascending. Sizes come from the scan;
// nothing is dropped. The entry count is the one value read back to the host.
#include <cstdint>

#include <cuda_runtime_api.h>
#include <glm/glm.hpp>

#include "cuda/device_buffer.h"
#include "cuda/raster_layout.h"

namespace penumbra::detail::cuda {

class TileBinning {
 public:
  TileBinning();

  /// Bins the faces of every view (`faces`: [view][face]) and returns the number of tile entries.
  /// Waits for the stream once, to read that number. Throws penumbra::Error when it exceeds 2^31 - 1.
  std::uint32_t bin(const RasterParams& params, const DeviceFace* faces, cudaStream_t stream);

  /// [entry]: binning keys sorted by (view, tile, face); the face index is the low params.face_bits bits.
  const BinKey* entries() const { return sorted_; }
  /// [view * tiles + tile]: first and one-past-last entry of the tile.
  const glm::uvec2* tile_ranges() const { return tile_ranges_.data(); }
  /// [view * faces + face + 1]: first position in face_entries() of each face; the last is the total.
  const std::uint64_t* face_first_entry() const { return face_first_.data(); }
  /// Each face's entries in the order of its tiles (row by row), at face_first_entry()[face].
  const std::uint32_t* face_entries() const { return face_entries_.data(); }

 private:
  DeviceBuffer<std::uint64_t> tile_counts_{"per-face tile counts"};
  DeviceBuffer<std::uint64_t> face_first_{"per-face entry offsets"};
  DeviceBuffer<BinKey> keys_{"tile binning keys"};
  DeviceBuffer<BinKey> keys_alternate_{"tile binning keys (sort buffer)"};
  DeviceBuffer<unsigned char> scratch_{"CUB scan/sort scratch"};
  DeviceBuffer<glm::uvec2> tile_ranges_{"tile ranges"};
  DeviceBuffer<std::uint32_t> face_entries_{"per-face tile entries"};
  const BinKey* sorted_ = nullptr;
};

}  // namespace penumbra::detail::cuda
