#pragma once
// Hands the newest snapshot from a producer thread (a trainer) to the UI thread. A mutex-protected double
// buffer: the producer fills its own staging copy without any lock and swaps it in under the lock; the UI
// copies the published slot under the same lock, so it never sees a half-written snapshot, and skips the
// copy when nothing new was published since it last looked.
#include <cstdint>
#include <mutex>
#include <utility>

namespace penumbra::viewer {

template <typename Snapshot>
class SnapshotExchange {
 public:
  /// Publishes `staged` and hands back the previous published value in it (its storage gets reused).
  void publish(Snapshot& staged) {
    std::lock_guard lock(mutex_);
    std::swap(published_, staged);
    ++version_;
  }

  /// Copies the published snapshot into `out` if it is newer than `seen_version`, then updates it.
  /// Returns whether it copied. Version 0 means nothing published yet.
  bool copy_if_newer(Snapshot& out, std::uint64_t& seen_version) const {
    std::lock_guard lock(mutex_);
    if (version_ == seen_version) return false;
    out = published_;
    seen_version = version_;
    return true;
  }

  std::uint64_t version() const {
    std::lock_guard lock(mutex_);
    return version_;
  }

 private:
  mutable std::mutex mutex_;
  Snapshot published_{};
  std::uint64_t version_ = 0;
};

}  // namespace penumbra::viewer
