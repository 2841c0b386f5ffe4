#pragma once
/// The one way Penumbra runs independent work items on several threads. A work item writes only its own
/// outputs, so results never depend on the thread count or on scheduling.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "penumbra/core/threads.h"

namespace penumbra::core {

/// Calls body(index) once for every index in [0, count) on up to `threads` threads, the calling thread among
/// them; indices are handed out one at a time, so uneven items balance. The first exception thrown by `body`
/// stops the handing out and is rethrown once every thread has joined.
template <class Body>
void parallel_for(int count, int threads, Body&& body) {
  const int workers = std::max(1, std::min(threads, count));
  if (workers == 1) {
    for (int index = 0; index < count; ++index) body(index);
    return;
  }
  std::atomic<int> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (int index = next.fetch_add(1); index < count; index = next.fetch_add(1)) body(index);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = count;
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(std::size_t(workers - 1));
  for (int worker = 1; worker < workers; ++worker) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

/// Splits [0, count) into min(threads, count) contiguous chunks of near-equal size, fixed by (count, threads)
/// alone, and calls body(begin, end, chunk) for each through parallel_for: for loops whose items are too small
/// to hand out one by one, or that keep scratch memory per chunk.
template <class Index, class Body>
void parallel_chunks(Index count, int threads, Body&& body) {
  const int chunks = int(std::max<Index>(1, std::min<Index>(Index(std::max(threads, 1)), count)));
  const auto chunk_begin = [&](int chunk) { return Index(count * Index(chunk) / Index(chunks)); };
  parallel_for(chunks, chunks, [&](int chunk) { body(chunk_begin(chunk), chunk_begin(chunk + 1), chunk); });
}

}  // namespace penumbra::core
