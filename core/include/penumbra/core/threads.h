#pragma once
/// How many threads a computation may use by default: the CPUs this process may run on. That is the CPU
/// affinity mask (sched_getaffinity), which taskset, cgroup cpusets and a Slurm CPU binding all restrict, not
/// the machine's core count: on a 4-CPU allocation of a 128-core node it is 4.
#include <sched.h>

#include <algorithm>
#include <string>
#include <thread>

namespace penumbra::core {

struct ThreadAllowance {
  int count = 1;       ///< >= 1
  std::string source;  ///< where the count comes from: "CPU affinity" or "hardware threads"
};

/// The CPUs this process may run on, read at each call (one system call).
inline ThreadAllowance thread_allowance() {
#ifdef __linux__
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof(mask), &mask) == 0) return {std::max(1, CPU_COUNT(&mask)), "CPU affinity"};
#endif
  return {std::max(1, int(std::thread::hardware_concurrency())), "hardware threads"};
}

/// `requested` threads, or every CPU this process may run on when `requested` <= 0: the one rule behind every
/// `--threads` option.
inline int thread_count(int requested) { return requested > 0 ? requested : thread_allowance().count; }

}  // namespace penumbra::core
