#include "logic/gates.h"

namespace penumbra::logic {

std::string gate_c_expression(int id, const std::string& a, const std::string& b) {
  switch (static_cast<Gate>(id)) {
    case Gate::False: return "(uint64_t)0";
    case Gate::And: return a + " & " + b;
    case Gate::ANotB: return a + " & ~" + b;
    case Gate::A: return a;
    case Gate::BNotA: return b + " & ~" + a;
    case Gate::B: return b;
    case Gate::Xor: return a + " ^ " + b;
    case Gate::Or: return a + " | " + b;
    case Gate::Nor: return "~(" + a + " | " + b + ")";
    case Gate::Xnor: return "~(" + a + " ^ " + b + ")";
    case Gate::NotB: return "~" + b;
    case Gate::BImpliesA: return "~" + b + " | " + a;
    case Gate::NotA: return "~" + a;
    case Gate::AImpliesB: return "~" + a + " | " + b;
    case Gate::Nand: return "~(" + a + " & " + b + ")";
    case Gate::True: return "~(uint64_t)0";
  }
  return "(uint64_t)0";
}

const char* gate_name(int id) {
  static constexpr const char* kNames[kGateCount] = {
      "FALSE", "AND", "A_NOT_B", "A", "B_NOT_A", "B", "XOR", "OR",
      "NOR", "XNOR", "NOT_B", "B_IMPLIES_A", "NOT_A", "A_IMPLIES_B", "NAND", "TRUE"};
  return (id >= 0 && id < kGateCount) ? kNames[id] : "?";
}

}  // namespace penumbra::logic
