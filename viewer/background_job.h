#pragma once
// A job on its own thread that can be asked to stop and is always joined: the sorting and logic panels run
// their small trainings this way so that closing the viewer mid-training shuts down cleanly.
#include <atomic>
#include <functional>
#include <thread>

namespace penumbra::viewer {

class BackgroundJob {
 public:
  BackgroundJob() = default;
  ~BackgroundJob() { stop(); }
  BackgroundJob(const BackgroundJob&) = delete;
  BackgroundJob& operator=(const BackgroundJob&) = delete;

  /// Stops any running job, then runs `job(stop_requested)` on a new thread.
  void start(std::function<void(const std::atomic<bool>& stop_requested)> job) {
    stop();
    stop_requested_ = false;
    running_ = true;
    thread_ = std::thread([this, job = std::move(job)] {
      job(stop_requested_);
      running_ = false;
    });
  }

  /// Asks the job to stop and waits for it.
  void stop() {
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
  }

  bool running() const { return running_; }

 private:
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace penumbra::viewer
