#pragma once
/// Splits independent work (the elements of a batch) over a few threads.
#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace penumbra::sort {

/// Worker count for `requested` threads: 0 means one per hardware thread.
inline int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

/// Calls body(begin, end, worker) on contiguous chunks of [0, count), worker in [0, worker_count).
/// The first exception thrown by any chunk is rethrown once all threads have joined.
template <typename Body>
void parallel_for(int count, int worker_count, const Body& body) {
  worker_count = std::clamp(worker_count, 1, std::max(count, 1));
  if (worker_count == 1) {
    body(0, count, 0);
    return;
  }
  std::vector<std::exception_ptr> failures(worker_count);
  std::vector<std::thread> threads;
  threads.reserve(worker_count - 1);
  const auto run_chunk = [&](int worker) {
    const int begin = static_cast<int>(static_cast<long long>(count) * worker / worker_count);
    const int end = static_cast<int>(static_cast<long long>(count) * (worker + 1) / worker_count);
    try {
      body(begin, end, worker);
    } catch (...) {
      failures[worker] = std::current_exception();
    }
  };
  for (int worker = 1; worker < worker_count; ++worker) threads.emplace_back(run_chunk, worker);
  run_chunk(0);
  for (std::thread& thread : threads) thread.join();
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace penumbra::sort
