// parallel_for and parallel_chunks (penumbra/core/parallel_for.h): every index once, exceptions reach the
// caller, chunks fixed by (count, threads) alone.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "penumbra/core/parallel_for.h"

namespace penumbra::test {

using namespace core;

namespace {

TEST(ParallelFor, VisitsEveryIndexExactlyOnce) {
  for (int threads : {1, 2, 3, 8}) {
    for (int count : {0, 1, 7, 1000}) {
      std::vector<std::atomic<int>> visits(static_cast<std::size_t>(count));
      parallel_for(count, threads, [&](int index) { visits[std::size_t(index)].fetch_add(1); });
      for (int index = 0; index < count; ++index) {
        EXPECT_EQ(visits[std::size_t(index)].load(), 1)
            << "index " << index << " of " << count << ", " << threads << " threads";
      }
    }
  }
}

TEST(ParallelFor, AnExceptionInAWorkerReachesTheCaller) {
  for (int threads : {1, 4}) {
    std::atomic<int> visited{0};
    EXPECT_THROW(parallel_for(10000, threads,
                              [&](int index) {
                                visited.fetch_add(1);
                                if (index == 37) throw std::runtime_error("item 37");
                              }),
                 std::runtime_error);
    // On one thread handing out stops at the failure; with several, how many other items finish before the
    // throwing worker stops the others depends on timing.
    if (threads == 1) {
      EXPECT_EQ(visited.load(), 38);
    }
  }
}

TEST(ParallelChunks, ChunksAreContiguousDisjointAndCoverTheRange) {
  for (int threads : {1, 3, 4, 16}) {
    for (std::size_t count : {std::size_t(0), std::size_t(2), std::size_t(10), std::size_t(1001)}) {
      std::vector<std::atomic<int>> visits(count);
      std::atomic<int> chunks{0};
      parallel_chunks(count, threads, [&](std::size_t begin, std::size_t end, int chunk) {
        EXPECT_LE(begin, end);
        EXPECT_GE(chunk, 0);
        EXPECT_LT(chunk, threads);
        for (std::size_t i = begin; i < end; ++i) visits[i].fetch_add(1);
        chunks.fetch_add(1);
      });
      for (std::size_t i = 0; i < count; ++i) EXPECT_EQ(visits[i].load(), 1) << i;
      EXPECT_EQ(chunks.load(),
                int(std::max<std::size_t>(1, std::min<std::size_t>(count, std::size_t(threads)))));
    }
  }
}

TEST(ParallelChunks, BoundsDependOnlyOnCountAndThreads) {
  auto bounds = [] {
    std::vector<int> begins(5, -1);
    parallel_chunks(103, 5, [&](int begin, int, int chunk) { begins[std::size_t(chunk)] = begin; });
    return begins;
  };
  const std::vector<int> expected{0, 20, 41, 61, 82};  // floor(103 k / 5)
  EXPECT_EQ(bounds(), expected);
  EXPECT_EQ(bounds(), expected);
}

TEST(ParallelChunks, AnExceptionInAChunkReachesTheCaller) {
  EXPECT_THROW(parallel_chunks(100, 4,
                               [](int begin, int, int) {
                                 if (begin > 0) throw std::logic_error("chunk");
                               }),
               std::logic_error);
}

TEST(ThreadCount, ZeroMeansTheHardware) {
  EXPECT_GE(thread_count(0), 1);
  EXPECT_GE(thread_count(-1), 1);
  EXPECT_EQ(thread_count(3), 3);
}

}  // namespace
}  // namespace penumbra::test
