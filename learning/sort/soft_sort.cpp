#include "penumbra/sort/soft_sort.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include "penumbra/core/parallel_for.h"
#include "penumbra/error.h"

namespace penumbra::sort {
namespace {

// Below this many scalars of stored P copies, backward keeps every layer's P instead of checkpointing.
constexpr std::size_t kStoreAllLayersLimit = std::size_t{1} << 20;

// One relaxed swap of two rows: row_a <- alpha a + (1 - alpha) b, row_b <- (1 - alpha) a + alpha b.
// The 2x2 mixing matrix is symmetric, so the same routine also carries gradients backwards.
template <typename Scalar>
void mix_rows(Scalar* row_a, Scalar* row_b, Scalar alpha, int n) {
  for (int i = 0; i < n; ++i) {
    const Scalar a = row_a[i];
    const Scalar b = row_b[i];
    const Scalar difference = a - b;
    row_a[i] = b + alpha * difference;
    row_b[i] = a - alpha * difference;
  }
}

// Applies every comparator of `layer` to the wire-major matrix `rows` (n rows of n).
template <typename Scalar>
void mix_layer(const ComparatorLayer& layer, const Scalar* alpha, Scalar* rows, int n) {
  for (std::size_t k = 0; k < layer.size(); ++k) {
    mix_rows(rows + static_cast<std::size_t>(layer[k].min_wire) * n,
             rows + static_cast<std::size_t>(layer[k].max_wire) * n, alpha[k], n);
  }
}

template <typename Scalar>
void set_identity(Scalar* rows, int n) {
  std::fill(rows, rows + static_cast<std::size_t>(n) * n, Scalar(0));
  for (int i = 0; i < n; ++i) rows[static_cast<std::size_t>(i) * n + i] = Scalar(1);
}

template <typename Scalar>
void transpose_in_place(Scalar* matrix, int n) {
  for (int row = 0; row < n; ++row) {
    for (int col = row + 1; col < n; ++col) {
      std::swap(matrix[static_cast<std::size_t>(row) * n + col],
                matrix[static_cast<std::size_t>(col) * n + row]);
    }
  }
}

void check_span_size(std::size_t actual, std::size_t expected, const char* name) {
  if (actual != expected) {
    throw Error(std::string(name) + " has " + std::to_string(actual) + " entries, expected " +
                    std::to_string(expected),
                name, "pass [batch][n] values (and [batch][n][n] for P gradients)");
  }
}

}  // namespace

template <typename Scalar>
SoftSorter<Scalar>::SoftSorter(SortingNetwork network, Relaxation relaxation, int thread_count)
    : network_(std::move(network)),
      relaxation_(relaxation),
      thread_count_(core::thread_count(thread_count)),
      layers_per_checkpoint_(1) {
  relaxation_.validate();
  const int layer_count = static_cast<int>(network_.layers().size());
  layer_begin_.assign(layer_count + 1, 0);
  for (int layer = 0; layer < layer_count; ++layer) {
    layer_begin_[layer + 1] = layer_begin_[layer] + network_.layers()[layer].size();
  }
  const std::size_t matrix_size = static_cast<std::size_t>(network_.wire_count()) * network_.wire_count();
  if (matrix_size * layer_count <= kStoreAllLayersLimit) {
    layers_per_checkpoint_ = layer_count;
  } else {
    layers_per_checkpoint_ =
        std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(layer_count)))));
  }
}

template <typename Scalar>
void SoftSorter<Scalar>::forward(std::span<const Scalar> values, int batch, bool with_permutation,
                                 SoftSortResult<Scalar>& result) {
  const int n = network_.wire_count();
  if (batch < 1) throw Error("batch must hold at least one vector", "batch", "pass batch >= 1");
  check_span_size(values.size(), static_cast<std::size_t>(batch) * n, "values");
  for (std::size_t index = 0; index < values.size(); ++index) {
    if (!std::isfinite(values[index])) {
      throw Error("value " + std::to_string(index) + " is not finite", "values", "sort finite numbers only");
    }
  }
  const std::size_t comparators = static_cast<std::size_t>(network_.comparator_count());
  const std::size_t matrix_size = static_cast<std::size_t>(n) * n;
  result.batch = batch;
  result.n = n;
  result.has_permutation = with_permutation;
  result.sorted.assign(values.begin(), values.end());
  result.permutation.resize(with_permutation ? batch * matrix_size : 0);
  result.alpha.resize(batch * comparators);
  result.dalpha_dgap.resize(batch * comparators);
  result.gap.resize(batch * comparators);

  core::parallel_chunks(batch, thread_count_, [&](int begin, int end, int) {
    for (int element = begin; element < end; ++element) {
      Scalar* wires = result.sorted.data() + static_cast<std::size_t>(element) * n;
      Scalar* alpha = result.alpha.data() + element * comparators;
      Scalar* dalpha_dgap = result.dalpha_dgap.data() + element * comparators;
      Scalar* gap = result.gap.data() + element * comparators;
      // P is built wire-major (row j = weights on wire j) so each swap touches two contiguous rows.
      Scalar* rows = with_permutation ? result.permutation.data() + element * matrix_size : nullptr;
      if (rows) set_identity(rows, n);
      std::size_t comparator = 0;
      for (const ComparatorLayer& layer : network_.layers()) {
        const std::size_t layer_begin = comparator;
        for (const Comparator& swap : layer) {
          const Scalar a = wires[swap.min_wire];
          const Scalar b = wires[swap.max_wire];
          const SwapWeight weight = swap_weight(relaxation_, static_cast<double>(b - a));
          const auto mix = static_cast<Scalar>(weight.alpha);
          alpha[comparator] = mix;
          dalpha_dgap[comparator] = static_cast<Scalar>(weight.dalpha_dgap);
          gap[comparator] = b - a;
          wires[swap.min_wire] = b + mix * (a - b);
          wires[swap.max_wire] = a - mix * (a - b);
          ++comparator;
        }
        if (rows) mix_layer(layer, alpha + layer_begin, rows, n);
      }
      // Wire-major rows are P's columns: transpose into the [input][rank] convention.
      if (rows) transpose_in_place(rows, n);
    }
  });
}

template <typename Scalar>
void SoftSorter<Scalar>::backward(const SoftSortResult<Scalar>& result, std::span<const Scalar> dL_dsorted,
                                  std::span<const Scalar> dL_dpermutation, std::span<Scalar> dL_dvalues) {
  const int n = network_.wire_count();
  if (result.n != n ||
      result.alpha.size() != static_cast<std::size_t>(result.batch) * network_.comparator_count()) {
    throw Error("the forward result does not come from this sorter", "backward",
                "pass the result of forward()");
  }
  const std::size_t vector_entries = static_cast<std::size_t>(result.batch) * n;
  if (!dL_dsorted.empty()) check_span_size(dL_dsorted.size(), vector_entries, "dL_dsorted");
  if (!dL_dpermutation.empty()) {
    if (!result.has_permutation) {
      throw Error("dL/dP given but forward did not compute P", "backward",
                  "call forward with with_permutation");
    }
    check_span_size(dL_dpermutation.size(), vector_entries * n, "dL_dpermutation");
  }
  check_span_size(dL_dvalues.size(), vector_entries, "dL_dvalues");

  const int workers = std::clamp(thread_count_, 1, result.batch);
  if (static_cast<int>(workspaces_.size()) < workers) workspaces_.resize(workers);
  core::parallel_chunks(result.batch, workers, [&](int begin, int end, int worker) {
    for (int element = begin; element < end; ++element) {
      const std::size_t offset = static_cast<std::size_t>(element) * n;
      backward_one(result, element, dL_dsorted.empty() ? nullptr : dL_dsorted.data() + offset,
                   dL_dpermutation.empty() ? nullptr : dL_dpermutation.data() + offset * n,
                   dL_dvalues.data() + offset, workspaces_[worker]);
    }
  });
}

template <typename Scalar>
void SoftSorter<Scalar>::backward_one(const SoftSortResult<Scalar>& result, int element,
                                      const Scalar* dL_dsorted, const Scalar* dL_dpermutation,
                                      Scalar* dL_dvalues, std::vector<Scalar>& workspace) const {
  const int n = network_.wire_count();
  const std::vector<ComparatorLayer>& layers = network_.layers();
  const int layer_count = static_cast<int>(layers.size());
  const std::size_t comparators = static_cast<std::size_t>(network_.comparator_count());
  const Scalar* alpha = result.alpha.data() + element * comparators;
  const Scalar* dalpha_dgap = result.dalpha_dgap.data() + element * comparators;
  const Scalar* gap = result.gap.data() + element * comparators;
  const std::size_t matrix_size = static_cast<std::size_t>(n) * n;
  const int span = layers_per_checkpoint_;
  const int checkpoint_count = (layer_count + span - 1) / span;

  // dL/d(wire values), walked from the outputs (wire j = rank j) back to the inputs (wire i = input i).
  Scalar* dL_dwires = dL_dvalues;
  for (int wire = 0; wire < n; ++wire) dL_dwires[wire] = dL_dsorted ? dL_dsorted[wire] : Scalar(0);

  // Workspace: [checkpoints of P before every span-th layer][P before each layer of one span][dL/dP rows].
  Scalar* checkpoints = nullptr;
  Scalar* span_rows = nullptr;
  Scalar* dL_drows = nullptr;
  if (dL_dpermutation) {
    workspace.resize((checkpoint_count + span + 1) * matrix_size);
    checkpoints = workspace.data();
    span_rows = checkpoints + checkpoint_count * matrix_size;
    dL_drows = span_rows + span * matrix_size;
    for (int wire = 0; wire < n; ++wire) {
      for (int input = 0; input < n; ++input) {
        dL_drows[static_cast<std::size_t>(wire) * n + input] =
            dL_dpermutation[static_cast<std::size_t>(input) * n + wire];
      }
    }
    // Replay P's forward from alpha alone, keeping a copy before every span-th layer.
    Scalar* running = span_rows;
    set_identity(running, n);
    std::size_t comparator = 0;
    for (int layer = 0; layer < layer_count; ++layer) {
      if (layer % span == 0)
        std::copy(running, running + matrix_size, checkpoints + (layer / span) * matrix_size);
      mix_layer(layers[layer], alpha + comparator, running, n);
      comparator += layers[layer].size();
    }
  }

  for (int checkpoint = checkpoint_count - 1; checkpoint >= 0; --checkpoint) {
    const int first = checkpoint * span;
    const int last = std::min(layer_count, first + span);
    if (dL_dpermutation) {
      // P before each layer of this span, recomputed from the checkpoint.
      std::copy(checkpoints + checkpoint * matrix_size, checkpoints + (checkpoint + 1) * matrix_size,
                span_rows);
      for (int layer = first; layer + 1 < last; ++layer) {
        Scalar* next = span_rows + (layer - first + 1) * matrix_size;
        std::copy(next - matrix_size, next, next);
        mix_layer(layers[layer], alpha + layer_begin_[layer], next, n);
      }
    }
    for (int layer = last - 1; layer >= first; --layer) {
      const Scalar* rows_before = dL_dpermutation ? span_rows + (layer - first) * matrix_size : nullptr;
      std::size_t comparator = layer_begin_[layer];
      for (const Comparator& swap : layers[layer]) {
        const int a = swap.min_wire;
        const int b = swap.max_wire;
        const Scalar mix = alpha[comparator];
        const Scalar dL_da = dL_dwires[a];
        const Scalar dL_db = dL_dwires[b];
        // d(min)/d alpha = a - b = -gap and d(max)/d alpha = gap.
        Scalar dL_dalpha = -(dL_da - dL_db) * gap[comparator];
        if (dL_dpermutation) {
          Scalar* grad_a = dL_drows + static_cast<std::size_t>(a) * n;
          Scalar* grad_b = dL_drows + static_cast<std::size_t>(b) * n;
          const Scalar* row_a = rows_before + static_cast<std::size_t>(a) * n;
          const Scalar* row_b = rows_before + static_cast<std::size_t>(b) * n;
          Scalar sum = 0;
          for (int input = 0; input < n; ++input)
            sum += (grad_a[input] - grad_b[input]) * (row_a[input] - row_b[input]);
          dL_dalpha += sum;
          mix_rows(grad_a, grad_b, mix, n);
        }
        const Scalar dL_dgap = dL_dalpha * dalpha_dgap[comparator];
        dL_dwires[a] = dL_db + mix * (dL_da - dL_db) - dL_dgap;
        dL_dwires[b] = dL_da - mix * (dL_da - dL_db) + dL_dgap;
        ++comparator;
      }
    }
  }
}

SoftSortResult<double> soft_sort(const SortingNetwork& network, const Relaxation& relaxation,
                                 std::span<const double> values) {
  SoftSorter<double> sorter(network, relaxation, 1);
  SoftSortResult<double> result;
  sorter.forward(values, 1, true, result);
  return result;
}

template class SoftSorter<float>;
template class SoftSorter<double>;

}  // namespace penumbra::sort
