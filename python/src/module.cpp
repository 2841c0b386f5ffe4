// The extension module `penumbra._penumbra`. penumbra::Error (bad input: the same one-line text the command
// line prints) becomes ValueError; failures of a backend are raised as RuntimeError where they happen.
#include "bindings.h"
#include "penumbra/error.h"

PYBIND11_MODULE(_penumbra, module) {
  module.doc() = "Penumbra's C++ core: rendering, sorting networks and logic gate networks";
  pybind11::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const penumbra::Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  penumbra::python::bind_render(module);
  penumbra::python::bind_sort(module);
  penumbra::python::bind_logic(module);
}
