// Logic gate networks: a trained model file loaded and discretised, run bit-packed on a [samples, inputs]
// array of 0/1 bytes; and the binarised dataset splits the command line evaluates on.
#include <pybind11/stl.h>

#include <cstring>
#include <string>

#include "array_checks.h"
#include "bindings.h"
#include "penumbra/logic/binary_dataset.h"
#include "penumbra/logic/bit_packed_network.h"
#include "penumbra/logic/discrete_network.h"
#include "penumbra/logic/model_file.h"
#include "penumbra/error.h"

namespace penumbra::python {
namespace {

class LogicModel {
 public:
  explicit LogicModel(const std::string& path)
      : model_(logic::load_model(path)), packed_(logic::discretize(model_.network)) {}

  /// Predicted class of each sample (arg-max group sum, lowest class on ties).
  py::array_t<std::uint8_t> predict(const py::array& bits) const {
    const std::uint8_t* data = checked_bits(bits);
    const int count = int(bits.shape(0));
    py::array_t<std::uint8_t> out(py::ssize_t{count});
    py::gil_scoped_release release;
    const std::vector<std::uint8_t> classes = packed_.predict(data, count);
    std::memcpy(out.mutable_data(), classes.data(), classes.size());
    return out;
  }

  /// Group sums, [samples, classes].
  py::array_t<std::int32_t> class_counts(const py::array& bits) const {
    const std::uint8_t* data = checked_bits(bits);
    const int count = int(bits.shape(0));
    py::array_t<std::int32_t> out({py::ssize_t{count}, py::ssize_t(packed_.classes())});
    py::gil_scoped_release release;
    const std::vector<int> counts = packed_.class_counts(data, count);
    std::memcpy(out.mutable_data(), counts.data(), counts.size() * sizeof(int));
    return out;
  }

  int inputs() const { return packed_.inputs(); }
  int classes() const { return packed_.classes(); }
  const logic::ModelDataset& dataset() const { return model_.dataset; }
  long long gate_count() const { return model_.network.gate_count(); }

 private:
  const std::uint8_t* checked_bits(const py::array& bits) const {
    const std::string where = "LogicModel";
    const std::uint8_t* data = checked_data<std::uint8_t>(bits, {-1, packed_.inputs()}, "bits", where);
    for (py::ssize_t i = 0; i < bits.size(); ++i) {
      if (data[i] > 1) {
        throw Error("bits holds " + std::to_string(int(data[i])) + " at flat index " + std::to_string(i),
                    where, "inputs are bytes 0 or 1");
      }
    }
    return data;
  }

  logic::LogicModel model_;
  logic::BitPackedNetwork packed_;
};

}  // namespace

void bind_logic(py::module_& m) {
  py::class_<LogicModel>(m, "LogicModel", "A trained logic gate network (model.bin), run bit-packed")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def("predict", &LogicModel::predict, py::arg("bits"))
      .def("class_counts", &LogicModel::class_counts, py::arg("bits"))
      .def_property_readonly("inputs", &LogicModel::inputs)
      .def_property_readonly("classes", &LogicModel::classes)
      .def_property_readonly("gate_count", &LogicModel::gate_count)
      .def_property_readonly("dataset", [](const LogicModel& model) { return model.dataset().name; })
      .def_property_readonly("thresholds",
                             [](const LogicModel& model) { return model.dataset().thresholds; });

  m.def(
      "load_binary_split",
      [](const std::string& dataset, const std::string& folder, const std::string& split,
         const std::vector<float>& thresholds) {
        logic::BinaryDataset data = logic::load_binary_split(dataset, folder, split, thresholds);
        py::array_t<std::uint8_t> bits({py::ssize_t(data.count), py::ssize_t(data.inputs)});
        std::memcpy(bits.mutable_data(), data.bits.data(), data.bits.size());
        py::array_t<std::uint8_t> labels(py::ssize_t(data.count));
        std::memcpy(labels.mutable_data(), data.labels.data(), data.labels.size());
        return py::make_tuple(bits, labels);
      },
      py::arg("dataset"), py::arg("folder"), py::arg("split"), py::arg("thresholds"));
}

}  // namespace penumbra::python
