// SnapshotExchange: the UI never sees a half-written snapshot and sees versions only move forward, while a
// writer publishes as fast as it can. Oracle: every published snapshot is internally consistent (all its
// elements equal its sequence number), so any torn copy shows two different values.
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "snapshot_exchange.h"

namespace penumbra::test {

using namespace viewer;

namespace {

struct Payload {
  std::uint64_t sequence = 0;
  std::vector<std::uint64_t> values;  // all equal to sequence
};

TEST(SnapshotExchange, NothingPublishedMeansNoCopy) {
  SnapshotExchange<Payload> exchange;
  Payload out;
  std::uint64_t seen = 0;
  EXPECT_FALSE(exchange.copy_if_newer(out, seen));
  EXPECT_EQ(exchange.version(), 0u);
}

TEST(SnapshotExchange, CopiesOnlyWhenNewer) {
  SnapshotExchange<Payload> exchange;
  Payload staged{1, {1, 1, 1}};
  exchange.publish(staged);
  Payload out;
  std::uint64_t seen = 0;
  ASSERT_TRUE(exchange.copy_if_newer(out, seen));
  EXPECT_EQ(out.sequence, 1u);
  EXPECT_EQ(seen, 1u);
  EXPECT_FALSE(exchange.copy_if_newer(out, seen));
  staged = {2, {2, 2}};
  exchange.publish(staged);
  ASSERT_TRUE(exchange.copy_if_newer(out, seen));
  EXPECT_EQ(out.values, (std::vector<std::uint64_t>{2, 2}));
}

TEST(SnapshotExchange, PublishHandsBackThePreviousSnapshot) {
  SnapshotExchange<Payload> exchange;
  Payload staged{1, {1}};
  exchange.publish(staged);
  staged = {2, {2}};
  exchange.publish(staged);
  EXPECT_EQ(staged.sequence, 1u);  // the writer reuses the old storage
}

TEST(SnapshotExchange, NoTornReadsUnderConcurrentWriterAndReaders) {
  constexpr std::uint64_t kLast = 20000;
  SnapshotExchange<Payload> exchange;
  std::thread writer([&] {
    Payload staged;
    for (std::uint64_t sequence = 1; sequence <= kLast; ++sequence) {
      // Sizes vary so that copies reallocate while the writer refills its own buffer.
      staged.sequence = sequence;
      staged.values.assign(64 + sequence % 512, sequence);
      exchange.publish(staged);
    }
  });

  std::vector<std::thread> readers;
  std::atomic<int> torn{0}, backwards{0}, copies{0};
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      Payload out;
      std::uint64_t seen = 0, last_sequence = 0;
      // Until the last snapshot arrived: every reader copies at least once.
      while (last_sequence < kLast) {
        if (!exchange.copy_if_newer(out, seen)) continue;
        ++copies;
        for (std::uint64_t value : out.values)
          if (value != out.sequence) {
            ++torn;
            break;
          }
        if (out.sequence < last_sequence) ++backwards;
        last_sequence = out.sequence;
      }
    });
  }
  writer.join();
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(backwards.load(), 0);
  EXPECT_GT(copies.load(), 0);
  Payload last;
  std::uint64_t seen = 0;
  ASSERT_TRUE(exchange.copy_if_newer(last, seen));
  EXPECT_EQ(last.sequence, kLast);
}

}  // namespace
}  // namespace penumbra::test
