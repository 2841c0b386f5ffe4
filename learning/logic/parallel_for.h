#pragma once
// Splits an index range into one contiguous chunk per thread. Each chunk is fixed by (count, threads) only,
// so results never depend on scheduling.
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace penumbra::logic {

/// Calls body(begin, end) on `threads` disjoint contiguous chunks of [0, count), in parallel; the calling
/// thread takes the first chunk. `body` must only write state owned by its chunk.
template <typename Body>
void parallel_for(int threads, std::size_t count, const Body& body) {
  const std::size_t chunks = std::max<std::size_t>(1, std::min<std::size_t>(std::size_t(std::max(threads, 1)), count));
  if (chunks == 1) {
    body(std::size_t(0), count);
    return;
  }
  const auto chunk_begin = [&](std::size_t chunk) { return count * chunk / chunks; };
  std::vector<std::thread> workers;
  workers.reserve(chunks - 1);
  for (std::size_t chunk = 1; chunk < chunks; ++chunk) {
    workers.emplace_back([&, chunk] { body(chunk_begin(chunk), chunk_begin(chunk + 1)); });
  }
  body(chunk_begin(0), chunk_begin(1));
  for (auto& worker : workers) worker.join();
}

}  // namespace penumbra::logic
