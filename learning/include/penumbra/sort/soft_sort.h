#pragma once
/// Differentiable sorting of batches of vectors by a relaxed sorting network, with an analytic backward.
///
/// Convention: P[i][j] is the weight of input i at rank j (ranks ascending), so sorted[j] = sum_i x[i] P[i][j],
/// i.e. `sorted = x P` with x a row vector. P is doubly stochastic and tends to the hard permutation
/// (P[i][j] = 1 iff input i has rank j) as the steepness grows. This is diffsort's code convention
/// (the papers write the transpose, sort(x) = P x).
#include <cstddef>
#include <span>
#include <vector>

#include "penumbra/sort/relaxation.h"
#include "penumbra/sort/sorting_network.h"

namespace penumbra::sort {

/// Output of SoftSorter::forward, and the record that SoftSorter::backward consumes.
template <typename Scalar>
struct SoftSortResult {
  int batch = 0;                    ///< number of vectors
  int n = 0;                        ///< length of each vector (wires of the network)
  std::vector<Scalar> sorted;       ///< [batch][rank]: soft-sorted values, ascending
  std::vector<Scalar> permutation;  ///< [batch][input][rank]: relaxed P; empty when not requested
  std::vector<Scalar> alpha;        ///< [batch][comparator]: mixing weight f(gap) of each comparator
  std::vector<Scalar> dalpha_dgap;  ///< [batch][comparator]: derivative of alpha w.r.t. the gap
  std::vector<Scalar> gap;       ///< [batch][comparator]: value on max wire minus value on min wire, before
  bool has_permutation = false;  ///< whether `permutation` was computed
};

/// A relaxed sorting network. Forward is O(comparators) for the values and O(comparators * n) for P;
/// backward walks the layers in reverse, touching only the two rows of each comparator (no n x n products),
/// and recomputes P's intermediate layers from sqrt-spaced checkpoints to keep memory at O(sqrt(L) n^2).
/// Scalar is float or double. Elements of a batch run on `thread_count` threads
/// (0: every CPU the process may run on).
template <typename Scalar>
class SoftSorter {
 public:
  /// Throws penumbra::Error when the relaxation's parameters are out of range.
  SoftSorter(SortingNetwork network, Relaxation relaxation, int thread_count = 0);

  const SortingNetwork& network() const { return network_; }
  const Relaxation& relaxation() const { return relaxation_; }

  /// Sorts `batch` vectors of length n (`values` is [batch][n]) into `result`, reusing its storage.
  /// Computes P only when `with_permutation`. Throws penumbra::Error on a size mismatch or NaN/Inf values.
  void forward(std::span<const Scalar> values, int batch, bool with_permutation,
               SoftSortResult<Scalar>& result);

  /// Gradient of L w.r.t. the input values ([batch][n]) from dL/dsorted ([batch][n]) and dL/dP
  /// ([batch][input][rank]); either span may be empty to mean zero. Needs P in `result` when dL/dP is given.
  void backward(const SoftSortResult<Scalar>& result, std::span<const Scalar> dL_dsorted,
                std::span<const Scalar> dL_dpermutation, std::span<Scalar> dL_dvalues);

 private:
  void backward_one(const SoftSortResult<Scalar>& result, int element, const Scalar* dL_dsorted,
                    const Scalar* dL_dpermutation, Scalar* dL_dvalues, std::vector<Scalar>& workspace) const;

  SortingNetwork network_;
  Relaxation relaxation_;
  int thread_count_;
  std::vector<std::size_t> layer_begin_;         // index of each layer's first comparator
  int layers_per_checkpoint_;                    // layers between two stored copies of P in backward
  std::vector<std::vector<Scalar>> workspaces_;  // one per thread, sized on first use
};

/// Soft-sorts one vector in double, with P: the entry point for the command line and the viewer.
SoftSortResult<double> soft_sort(const SortingNetwork& network, const Relaxation& relaxation,
                                 std::span<const double> values);

extern template class SoftSorter<float>;
extern template class SoftSorter<double>;

}  // namespace penumbra::sort
