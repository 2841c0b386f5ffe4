#include "penumbra/logic/throughput.h"

#include <algorithm>
#include <ctime>
#include <vector>

#include "penumbra/error.h"

namespace penumbra::logic {
namespace {

// CPU time of the calling thread: "images per second on one core" even on a machine shared with other work.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

}  // namespace

Throughput measure_throughput(const BitPackedNetwork& network, const BinaryDataset& data,
                              double min_seconds) {
  if (data.count < 1 || data.inputs != network.inputs()) {
    throw Error("throughput needs a non-empty dataset of the network's input size", data.name,
                "use the dataset the model was trained on");
  }
  constexpr int B = BitPackedNetwork::kBlockSamples;
  const int blocks = (data.count + B - 1) / B;
  const std::size_t words = network.block_words();
  std::vector<std::uint64_t> packed(std::size_t(blocks) * words);
  for (int block = 0; block < blocks; ++block) {
    const int first = block * B;
    network.pack_block(data.sample(first), std::min(B, data.count - first),
                       packed.data() + std::size_t(block) * words);
  }
  std::vector<int> counts(std::size_t(B) * std::size_t(network.classes()));
  std::vector<std::uint64_t> scratch;
  // Fold the counts into a checksum so the work cannot be optimised away.
  volatile int sink = 0;

  Throughput result;
  long long images = 0;
  double start = thread_cpu_seconds();
  do {
    for (int block = 0; block < blocks; ++block) {
      network.evaluate_block(packed.data() + std::size_t(block) * words, counts.data(), scratch);
      sink = sink + counts[0];
    }
    images += data.count;
  } while ((thread_cpu_seconds() - start) < min_seconds);
  result.packed_images_per_second = double(images) / (thread_cpu_seconds() - start);

  std::vector<std::uint64_t> one_block(words);
  images = 0;
  start = thread_cpu_seconds();
  do {
    for (int block = 0; block < blocks; ++block) {
      const int first = block * B;
      network.pack_block(data.sample(first), std::min(B, data.count - first), one_block.data());
      network.evaluate_block(one_block.data(), counts.data(), scratch);
      sink = sink + counts[0];
    }
    images += data.count;
  } while ((thread_cpu_seconds() - start) < min_seconds);
  result.images_per_second = double(images) / (thread_cpu_seconds() - start);
  return result;
}

}  // namespace penumbra::logic
