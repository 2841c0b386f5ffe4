#pragma once
// Checks on arrays that cross from Python: dtype, shape and layout, each failure a penumbra::Error (a Python
// ValueError) that names the argument, what it got and what it needs. Arrays are read in place, never copied.
#include <pybind11/numpy.h>

#include <initializer_list>
#include <string>

namespace penumbra::python {

namespace py = pybind11;

/// "float32 [4, 3]": the dtype and shape of `array`, for messages.
std::string describe(const py::array& array);

/// Throws unless `array` has `shape` (-1 matches any extent) and is C-contiguous.
void require_shape(const py::array& array, std::initializer_list<py::ssize_t> shape, const std::string& name,
                   const std::string& where);

/// Throws unless `array` holds T.
template <class T>
void require_dtype(const py::array& array, const std::string& name, const std::string& where);

/// require_dtype and require_shape, then the array's first element.
template <class T>
const T* checked_data(const py::array& array, std::initializer_list<py::ssize_t> shape,
                      const std::string& name, const std::string& where) {
  require_dtype<T>(array, name, where);
  require_shape(array, shape, name, where);
  return static_cast<const T*>(array.data());
}

/// Whether `object` is a NumPy array of T.
template <class T>
bool holds(const py::object& object) {
  return py::isinstance<py::array>(object) &&
         py::array(object.cast<py::array>()).dtype().is(py::dtype::of<T>());
}

}  // namespace penumbra::python
