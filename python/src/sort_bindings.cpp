// Differentiable sorting: a SoftSort object runs SoftSorter's forward on a [batch, n] array and keeps the
// result that its backward consumes (the Python autograd op holds one per call).
#include <cstring>
#include <memory>
#include <string>
#include <variant>

#include "array_checks.h"
#include "bindings.h"
#include "penumbra/error.h"
#include "penumbra/sort/soft_sort.h"

namespace penumbra::python {
namespace {

template <class T>
struct SortState {
  std::unique_ptr<sort::SoftSorter<T>> sorter;
  sort::SoftSortResult<T> result;
};

/// One soft sort: forward on construction, backward on request.
class SoftSort {
 public:
  SoftSort(const py::array& values, const std::string& network, const std::string& relaxation,
           double steepness, double art_lambda) {
    const std::string where = "penumbra.soft_sort";
    if (values.ndim() != 2) {
      throw Error("values has shape " + describe(values) + ", not [batch, n]", where, "pass a 2-D array");
    }
    sort::Relaxation relax;
    relax.kind = sort::parse_relaxation_kind(relaxation);
    relax.steepness = steepness;
    relax.art_lambda = art_lambda;
    relax.validate();
    const sort::NetworkKind kind = sort::parse_network_kind(network);
    const int n = int(values.shape(1));
    if (values.dtype().is(py::dtype::of<double>())) {
      state_ = run<double>(values, kind, n, relax, where);
    } else {
      state_ = run<float>(values, kind, n, relax, where);
    }
  }

  py::array sorted() const {
    return std::visit(
        [](const auto& s) {
          return to_array(s.result.sorted, {s.result.batch, s.result.n});
        },
        state_);
  }
  py::array permutation() const {
    return std::visit(
        [](const auto& s) {
          return to_array(s.result.permutation, {s.result.batch, s.result.n, s.result.n});
        },
        state_);
  }

  /// dL/dvalues from dL/dsorted [batch, n] and dL/dP [batch, n, n]; either may be None for zero.
  py::array backward(const py::object& dL_dsorted, const py::object& dL_dpermutation) {
    return std::visit([&](auto& s) { return backward_typed(s, dL_dsorted, dL_dpermutation); }, state_);
  }

 private:
  template <class T>
  static SortState<T> run(const py::array& values, sort::NetworkKind kind, int n,
                          const sort::Relaxation& relax, const std::string& where) {
    const T* data = checked_data<T>(values, {-1, -1}, "values", where);
    SortState<T> state;
    state.sorter = std::make_unique<sort::SoftSorter<T>>(sort::SortingNetwork::create(kind, n), relax);
    const int batch = int(values.shape(0));
    py::gil_scoped_release release;
    state.sorter->forward({data, std::size_t(values.size())}, batch, true, state.result);
    return state;
  }

  template <class T>
  static py::array to_array(const std::vector<T>& data, std::vector<py::ssize_t> shape) {
    py::array_t<T> out(shape);
    std::memcpy(out.mutable_data(), data.data(), data.size() * sizeof(T));
    return out;
  }

  template <class T>
  static py::array backward_typed(SortState<T>& s, const py::object& dL_dsorted,
                                  const py::object& dL_dpermutation) {
    const std::string where = "soft_sort backward";
    const py::ssize_t batch = s.result.batch, n = s.result.n;
    std::span<const T> sorted_gradient, permutation_gradient;
    py::array sorted_array, permutation_array;  // keep the inputs alive while their data is read
    if (!dL_dsorted.is_none()) {
      sorted_array = py::array(dL_dsorted);
      sorted_gradient = {checked_data<T>(sorted_array, {batch, n}, "dL_dsorted", where),
                         std::size_t(batch * n)};
    }
    if (!dL_dpermutation.is_none()) {
      permutation_array = py::array(dL_dpermutation);
      permutation_gradient = {checked_data<T>(permutation_array, {batch, n, n}, "dL_dP", where),
                              std::size_t(batch * n * n)};
    }
    py::array_t<T> dL_dvalues({batch, n});
    std::span<T> out(dL_dvalues.mutable_data(), std::size_t(batch * n));
    py::gil_scoped_release release;
    s.sorter->backward(s.result, sorted_gradient, permutation_gradient, out);
    return dL_dvalues;
  }

  std::variant<SortState<float>, SortState<double>> state_;
};

}  // namespace

void bind_sort(py::module_& m) {
  py::class_<SoftSort>(m, "SoftSort", "A relaxed sorting network applied to a [batch, n] array")
      .def(py::init<const py::array&, const std::string&, const std::string&, double, double>(),
           py::arg("values"), py::arg("network") = "odd_even", py::arg("relaxation") = "cauchy",
           py::arg("steepness") = 10.0, py::arg("art_lambda") = 0.25)
      .def_property_readonly("sorted", &SoftSort::sorted)
      .def_property_readonly("permutation", &SoftSort::permutation)
      .def("backward", &SoftSort::backward, py::arg("dL_dsorted"), py::arg("dL_dP"));
}

}  // namespace penumbra::python
