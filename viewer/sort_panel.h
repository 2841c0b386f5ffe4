#pragma once
// The sorting-network tab: the network's wires and comparators, the relaxed permutation matrix P of a typed
// or random input as a heat map with a steepness slider, and live curves of a small ranking training.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "background_job.h"
#include "snapshot_exchange.h"
#include "penumbra/sort/ranking_training.h"
#include "penumbra/sort/relaxation.h"
#include "penumbra/sort/sorting_network.h"

namespace penumbra::viewer {

class SortPanel {
 public:
  SortPanel();
  void show();
  /// Starts the panel's training on its thread (no effect while one runs).
  void start_training();

 private:
  /// What the ranking training thread publishes.
  struct TrainingProgress {
    std::vector<float> train_loss, exact_match, element_wise;
    int step = 0;
    std::string status;
  };

  void show_network_controls();
  void show_network(float width, float height) const;
  void show_permutation(float side) const;
  void show_training();
  void recompute();

  sort::NetworkKind kind_ = sort::NetworkKind::odd_even;
  sort::Relaxation relaxation_;
  int n_ = 6;
  std::string values_text_;
  std::string input_error_;
  std::vector<double> values_;
  std::vector<double> sorted_;
  std::vector<double> permutation_;  // [input][rank]
  std::vector<sort::ComparatorLayer> layers_;
  std::mt19937 random_{7};

  sort::RankTrainingConfig training_;
  SnapshotExchange<TrainingProgress> progress_;
  TrainingProgress shown_progress_;
  std::uint64_t seen_version_ = 0;
  BackgroundJob job_;  // last: joined before the members it uses go away
};

}  // namespace penumbra::viewer
