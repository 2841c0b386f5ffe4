#include "array_checks.h"

#include <cstdint>

#include "penumbra/error.h"

namespace penumbra::python {

std::string describe(const py::array& array) {
  std::string text = py::str(array.dtype()).cast<std::string>() + " [";
  for (py::ssize_t axis = 0; axis < array.ndim(); ++axis) {
    text += (axis ? ", " : "") + std::to_string(array.shape(axis));
  }
  return text + "]";
}

void require_shape(const py::array& array, std::initializer_list<py::ssize_t> shape, const std::string& name,
                   const std::string& where) {
  std::string expected = "[";
  bool matches = array.ndim() == py::ssize_t(shape.size());
  py::ssize_t axis = 0;
  for (py::ssize_t extent : shape) {
    expected += (axis ? ", " : "") + (extent < 0 ? std::string("N") : std::to_string(extent));
    if (matches && extent >= 0 && array.shape(axis) != extent) matches = false;
    ++axis;
  }
  expected += "]";
  if (!matches) {
    throw Error(name + " has shape " + describe(array) + ", not " + expected, where,
                "pass " + name + " shaped " + expected);
  }
  if (!(array.flags() & py::array::c_style)) {
    throw Error(name + " is not C-contiguous", where,
                "pass a contiguous array (numpy.ascontiguousarray, or .contiguous() for a tensor)");
  }
}

template <class T>
void require_dtype(const py::array& array, const std::string& name, const std::string& where) {
  if (array.dtype().is(py::dtype::of<T>())) return;
  const std::string wanted = py::str(py::dtype::of<T>()).cast<std::string>();
  throw Error(name + " is " + describe(array) + ", not " + wanted, where, "convert it to " + wanted);
}

template void require_dtype<float>(const py::array&, const std::string&, const std::string&);
template void require_dtype<double>(const py::array&, const std::string&, const std::string&);
template void require_dtype<std::int32_t>(const py::array&, const std::string&, const std::string&);
template void require_dtype<std::int64_t>(const py::array&, const std::string&, const std::string&);
template void require_dtype<std::uint8_t>(const py::array&, const std::string&, const std::string&);

}  // namespace penumbra::python
