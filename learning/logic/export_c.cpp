#include "penumbra/logic/export_c.h"

#include <algorithm>
#include <sstream>

#include "penumbra/logic/gates.h"
#include "penumbra/error.h"
#include "penumbra/files.h"

namespace penumbra::logic {

namespace {

bool reads_a(int gate) {
  return gate_truth(gate, 0, 0) != gate_truth(gate, 1, 0) || gate_truth(gate, 0, 1) != gate_truth(gate, 1, 1);
}
bool reads_b(int gate) {
  return gate_truth(gate, 0, 0) != gate_truth(gate, 0, 1) || gate_truth(gate, 1, 0) != gate_truth(gate, 1, 1);
}

// live[l][j]: whether gate j of layer l influences an output. Dead gates are left out of the C code, which
// also keeps compilers from warning about unused values.
std::vector<std::vector<char>> live_gates(const DiscreteNetwork& network) {
  std::vector<std::vector<char>> live(network.layers.size());
  for (std::size_t l = 0; l < network.layers.size(); ++l) live[l].assign(network.layers[l].gates.size(), 0);
  if (live.empty()) return live;
  std::fill(live.back().begin(), live.back().end(), 1);
  for (std::size_t l = network.layers.size() - 1; l > 0; --l) {
    const DiscreteLayer& layer = network.layers[l];
    for (std::size_t j = 0; j < layer.gates.size(); ++j) {
      if (!live[l][j]) continue;
      if (reads_a(layer.gates[j])) live[l - 1][layer.a[j]] = 1;
      if (reads_b(layer.gates[j])) live[l - 1][layer.b[j]] = 1;
    }
  }
  return live;
}

}  // namespace

std::string export_c(const DiscreteNetwork& network) {
  const int classes = network.classes;
  const int width = network.output_width();
  const int group = classes > 0 ? width / classes : 0;
  int planes = 1;
  while ((1 << planes) <= group) ++planes;

  std::ostringstream c;
  const auto live = live_gates(network);
  long long live_count = 0;
  for (const auto& layer : live) live_count += std::count(layer.begin(), layer.end(), 1);

  c << "/* Logic gate network exported by penumbra logic-eval --export-c: " << network.gate_count()
    << " gates in " << network.layers.size() << " layers, " << live_count << " of which reach an output.\n"
    << " * Bit k of inputs[i] is input i of sample k: one call classifies 64 samples. */\n"
    << "#include <stdint.h>\n\n"
    << "#define LOGIC_NET_INPUTS " << network.inputs << "\n"
    << "#define LOGIC_NET_CLASSES " << classes << "\n\n"
    << "/* Adds one bit per sample into a bit-sliced counter of " << planes << " planes. */\n"
    << "static void logic_net_count(uint64_t* planes, uint64_t bits) {\n"
    << "  for (int p = 0; p < " << planes << "; ++p) {\n"
    << "    const uint64_t carry = planes[p] & bits;\n"
    << "    planes[p] ^= bits;\n"
    << "    bits = carry;\n"
    << "  }\n"
    << "}\n\n"
    << "void logic_net_eval(const uint64_t* inputs, int* class_counts) {\n"
    << "  uint64_t out[" << width << "];\n";
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    const DiscreteLayer& layer = network.layers[l];
    const bool last = l + 1 == network.layers.size();
    const auto operand = [&](std::uint32_t index) {
      std::ostringstream name;
      if (l == 0) {
        name << "inputs[" << index << ']';
      } else {
        name << 'v' << l - 1 << '_' << index;
      }
      return name.str();
    };
    for (std::size_t j = 0; j < layer.gates.size(); ++j) {
      if (!live[l][j]) continue;
      const std::string value = gate_c_expression(layer.gates[j], operand(layer.a[j]), operand(layer.b[j]));
      if (last) {
        c << "  out[" << j << "] = " << value << ";\n";
      } else {
        c << "  const uint64_t v" << l << "_" << j << " = " << value << ";\n";
      }
    }
  }
  c << "  for (int k = 0; k < 64; ++k)\n"
    << "    for (int c = 0; c < LOGIC_NET_CLASSES; ++c) class_counts[k * LOGIC_NET_CLASSES + c] = 0;\n"
    << "  for (int c = 0; c < LOGIC_NET_CLASSES; ++c) {\n"
    << "    uint64_t planes[" << planes << "] = {0};\n"
    << "    for (int j = 0; j < " << group << "; ++j) logic_net_count(planes, out[c * " << group
    << " + j]);\n"
    << "    for (int k = 0; k < 64; ++k)\n"
    << "      for (int p = 0; p < " << planes << "; ++p)\n"
    << "        class_counts[k * LOGIC_NET_CLASSES + c] |= (int)((planes[p] >> k) & 1u) << p;\n"
    << "  }\n"
    << "}\n\n"
    << "void logic_net_predict(const uint64_t* inputs, unsigned char* classes) {\n"
    << "  int counts[64 * LOGIC_NET_CLASSES];\n"
    << "  logic_net_eval(inputs, counts);\n"
    << "  for (int k = 0; k < 64; ++k) {\n"
    << "    int best = 0;\n"
    << "    for (int c = 1; c < LOGIC_NET_CLASSES; ++c)\n"
    << "      if (counts[k * LOGIC_NET_CLASSES + c] > counts[k * LOGIC_NET_CLASSES + best]) best = c;\n"
    << "    classes[k] = (unsigned char)best;\n"
    << "  }\n"
    << "}\n";
  return c.str();
}

void write_c_file(const std::filesystem::path& path, const DiscreteNetwork& network) {
  write_file_atomically(path, export_c(network));
}

}  // namespace penumbra::logic
