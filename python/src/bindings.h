#pragma once
// The parts of the extension module, each adding its classes and functions to the module.
#include <pybind11/pybind11.h>

namespace penumbra::python {

void bind_render(pybind11::module_& module);
void bind_sort(pybind11::module_& module);
void bind_logic(pybind11::module_& module);

}  // namespace penumbra::python
