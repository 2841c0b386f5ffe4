#include "penumbra/logic/gates.h"

#include <initializer_list>
#include <string_view>

namespace penumbra::logic {
namespace {

std::string join(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (std::string_view part : parts) text += part;
  return text;
}

}  // namespace

std::string gate_c_expression(int id, const std::string& a, const std::string& b) {
  switch (static_cast<Gate>(id)) {
    case Gate::False:
      return "(uint64_t)0";
    case Gate::And:
      return join({a, " & ", b});
    case Gate::ANotB:
      return join({a, " & ~", b});
    case Gate::A:
      return a;
    case Gate::BNotA:
      return join({b, " & ~", a});
    case Gate::B:
      return b;
    case Gate::Xor:
      return join({a, " ^ ", b});
    case Gate::Or:
      return join({a, " | ", b});
    case Gate::Nor:
      return join({"~(", a, " | ", b, ")"});
    case Gate::Xnor:
      return join({"~(", a, " ^ ", b, ")"});
    case Gate::NotB:
      return join({"~", b});
    case Gate::BImpliesA:
      return join({"~", b, " | ", a});
    case Gate::NotA:
      return join({"~", a});
    case Gate::AImpliesB:
      return join({"~", a, " | ", b});
    case Gate::Nand:
      return join({"~(", a, " & ", b, ")"});
    case Gate::True:
      return "~(uint64_t)0";
  }
  return "(uint64_t)0";
}

const char* gate_name(int id) {
  static constexpr const char* kNames[kGateCount] = {
      "FALSE", "AND",  "A_NOT_B", "A",           "B_NOT_A", "B",           "XOR",  "OR",
      "NOR",   "XNOR", "NOT_B",   "B_IMPLIES_A", "NOT_A",   "A_IMPLIES_B", "NAND", "TRUE"};
  return (id >= 0 && id < kGateCount) ? kNames[id] : "?";
}

}  // namespace penumbra::logic
