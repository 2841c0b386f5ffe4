#pragma once
// The 16 two-input Boolean gates, their real-valued relaxations and their bitwise forms.
#include <array>
#include <cstdint>
#include <string>

namespace penumbra::logic {

/// Number of distinct two-input Boolean gates.
inline constexpr int kGateCount = 16;

/// Gate ids follow difflogic's order: the id's four bits, most significant first, are the outputs at
/// (A, B) = 00, 01, 10, 11. So id 1 is A∧B (0001) and id 8 is ¬(A∨B) (1000).
enum class Gate : std::uint8_t {
  False = 0,
  And = 1,
  ANotB = 2,
  A = 3,
  BNotA = 4,
  B = 5,
  Xor = 6,
  Or = 7,
  Nor = 8,
  Xnor = 9,
  NotB = 10,
  BImpliesA = 11,
  NotA = 12,
  AImpliesB = 13,
  Nand = 14,
  True = 15,
};

/// Output of gate `id` on Boolean inputs a, b (each 0 or 1).
constexpr int gate_truth(int id, int a, int b) { return (id >> (3 - (2 * a + b))) & 1; }

/// Coefficients (c0, c1, c2, c3) with relaxation(a, b) = c0 + c1·a + c2·b + c3·a·b. The relaxation is the
/// expectation of the gate under independent Bernoulli inputs, i.e. the bilinear interpolation of its
/// truth table, so every gate is linear in {1, a, b, ab}.
constexpr std::array<float, 4> gate_coefficients(int id) {
  const float t00 = float(gate_truth(id, 0, 0));
  const float t01 = float(gate_truth(id, 0, 1));
  const float t10 = float(gate_truth(id, 1, 0));
  const float t11 = float(gate_truth(id, 1, 1));
  return {t00, t10 - t00, t01 - t00, t11 - t10 - t01 + t00};
}

/// Real-valued relaxation of gate `id` for a, b in [0, 1].
template <typename Real>
constexpr Real relaxed_gate(int id, Real a, Real b) {
  const auto c = gate_coefficients(id);
  return Real(c[0]) + Real(c[1]) * a + Real(c[2]) * b + Real(c[3]) * a * b;
}

/// The gate on 64 (or any width of) packed Boolean samples at once.
template <typename Word>
constexpr Word bitwise_gate(int id, Word a, Word b) {
  switch (static_cast<Gate>(id)) {
    case Gate::False:
      return Word(0);
    case Gate::And:
      return a & b;
    case Gate::ANotB:
      return a & ~b;
    case Gate::A:
      return a;
    case Gate::BNotA:
      return b & ~a;
    case Gate::B:
      return b;
    case Gate::Xor:
      return a ^ b;
    case Gate::Or:
      return a | b;
    case Gate::Nor:
      return ~(a | b);
    case Gate::Xnor:
      return ~(a ^ b);
    case Gate::NotB:
      return ~b;
    case Gate::BImpliesA:
      return ~b | a;
    case Gate::NotA:
      return ~a;
    case Gate::AImpliesB:
      return ~a | b;
    case Gate::Nand:
      return ~(a & b);
    case Gate::True:
      return ~Word(0);
  }
  return Word(0);
}

/// A C expression of the gate on operands named `a` and `b` of type uint64_t (used by the C export).
std::string gate_c_expression(int id, const std::string& a, const std::string& b);

/// Short human-readable name ("AND", "A_NOT_B", ...), for histograms and logs.
const char* gate_name(int id);

}  // namespace penumbra::logic
