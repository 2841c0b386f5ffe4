#pragma once
// Runs body(index) for index in [0, count) on up to `threads` threads. Each index is one independent work
// item that writes only its own outputs, so results do not depend on the thread count.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace penumbra::detail {

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
  pool.reserve(workers - 1);
  for (int worker = 1; worker < workers; ++worker) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

inline int hardware_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace penumbra::detail
