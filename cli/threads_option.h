#pragma once
// The --threads option of every command that computes: one declaration, one default rule
// (penumbra/core/threads.h: the CPUs this process may run on, so taskset, cgroups and Slurm allocations
// count).
#include <CLI/CLI.hpp>

namespace penumbra::cli {

/// Declares --threads N on `command`, bound to `threads` (0: every CPU this process may run on).
inline void add_threads_option(CLI::App& command, int& threads) {
  command
      .add_option("--threads", threads,
                  "Worker threads (0: every CPU this process may run on; see `penumbra info`)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

}  // namespace penumbra::cli
