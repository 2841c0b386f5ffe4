#pragma once
// Single-core speed of bit-packed inference.
#include "penumbra/logic/binary_dataset.h"
#include "penumbra/logic/bit_packed_network.h"

namespace penumbra::logic {

/// Images per second of one thread, both measured in that thread's CPU time over repeated passes of `data`
/// for at least min_seconds.
struct Throughput {
  double packed_images_per_second = 0.0;  ///< inputs already packed 64 per word (the network alone)
  double images_per_second = 0.0;         ///< from one byte per input bit, packing included
};

/// Times BitPackedNetwork::evaluate_block on `data` on the calling thread.
Throughput measure_throughput(const BitPackedNetwork& network, const BinaryDataset& data, double min_seconds);

}  // namespace penumbra::logic
