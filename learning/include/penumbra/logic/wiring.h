#pragma once
// Fixed, seeded connections of a logic layer: which two inputs each neuron reads.
#include <cstdint>
#include <string>
#include <vector>

namespace penumbra::logic {

/// How the two inputs of each neuron are chosen.
enum class WiringScheme {
  Random,  ///< every input used about 2·outputs/inputs times, in random (a, b) slots; a == b possible
  Unique,  ///< no pair used twice and every input covered (needs outputs ≤ inputs·(inputs−1)/2)
};

/// Inputs of each neuron: neuron j reads inputs a[j] and b[j].
struct Wiring {
  std::vector<std::uint32_t> a;
  std::vector<std::uint32_t> b;
};

/// Builds the wiring of a layer of `outputs` neurons over `inputs` values, reproducibly from `seed`.
/// Both schemes need 2·outputs ≥ inputs so that every input is read; throws penumbra::Error otherwise.
Wiring make_wiring(WiringScheme scheme, int inputs, int outputs, std::uint64_t seed);

/// "random" or "unique"; throws penumbra::Error on any other name.
WiringScheme parse_wiring_scheme(const std::string& name);
const char* wiring_scheme_name(WiringScheme scheme);

}  // namespace penumbra::logic
