#pragma once
/// A tiny deterministic generator (SplitMix64) whose whole state is one integer, so a checkpoint stores it
/// and a resumed run draws the same numbers on every platform.
#include <cstdint>

namespace penumbra::core {

struct SplitMix64 {
  std::uint64_t state = 0;

  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, n), n > 0 (modulo bias below 2^-40 for n below 2^24).
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

}  // namespace penumbra::core
