#include "penumbra/logic/wiring.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "penumbra/error.h"

namespace penumbra::logic {
namespace {

std::vector<std::uint32_t> shuffled_indices(int count, std::mt19937_64& rng) {
  std::vector<std::uint32_t> indices(static_cast<std::size_t>(count));
  std::iota(indices.begin(), indices.end(), 0u);
  std::shuffle(indices.begin(), indices.end(), rng);
  return indices;
}

// Slots 0..2·outputs−1 take the inputs round-robin, then the slots are shuffled: balanced use.
Wiring random_wiring(int inputs, int outputs, std::mt19937_64& rng) {
  const auto input_order = shuffled_indices(inputs, rng);
  const auto slot_order = shuffled_indices(2 * outputs, rng);
  Wiring wiring;
  wiring.a.resize(static_cast<std::size_t>(outputs));
  wiring.b.resize(static_cast<std::size_t>(outputs));
  for (int slot = 0; slot < 2 * outputs; ++slot) {
    const std::uint32_t input =
        input_order[slot_order[static_cast<std::size_t>(slot)] % std::uint32_t(inputs)];
    auto& side = slot < outputs ? wiring.a : wiring.b;
    side[static_cast<std::size_t>(slot % outputs)] = input;
  }
  return wiring;
}

// Pairs {p[i], p[i+d mod n]} over a random permutation p are all distinct for d < n/2, and for d = n/2
// when i < n/2. Distance 1 comes first, even i before odd i, so that the first n/2 neurons cover every input.
Wiring unique_wiring(int inputs, int outputs, std::mt19937_64& rng) {
  const long long available = static_cast<long long>(inputs) * (inputs - 1) / 2;
  if (outputs > available) {
    throw Error("unique wiring needs at most inputs·(inputs−1)/2 = " + std::to_string(available) + " neurons",
                std::to_string(inputs) + " inputs, " + std::to_string(outputs) + " neurons",
                "use fewer neurons or the random wiring scheme");
  }
  const auto p = shuffled_indices(inputs, rng);
  Wiring wiring;
  const auto add_pair = [&](int i, int d) {
    if (static_cast<int>(wiring.a.size()) >= outputs) return;
    wiring.a.push_back(p[static_cast<std::size_t>(i)]);
    wiring.b.push_back(p[static_cast<std::size_t>((i + d) % inputs)]);
  };
  for (int i = 0; i < inputs; i += 2) add_pair(i, 1);
  for (int i = 1; i < inputs; i += 2) add_pair(i, 1);
  for (int d = 2; 2 * d <= inputs; ++d) {
    const int starts = (2 * d == inputs) ? inputs / 2 : inputs;
    for (int i = 0; i < starts; ++i) add_pair(i, d);
  }
  // Shuffle the neurons so that GroupSum classes draw from all distances alike.
  const auto order = shuffled_indices(outputs, rng);
  Wiring shuffled;
  shuffled.a.resize(wiring.a.size());
  shuffled.b.resize(wiring.b.size());
  for (std::size_t j = 0; j < order.size(); ++j) {
    shuffled.a[j] = wiring.a[order[j]];
    shuffled.b[j] = wiring.b[order[j]];
  }
  return shuffled;
}

}  // namespace

Wiring make_wiring(WiringScheme scheme, int inputs, int outputs, std::uint64_t seed) {
  if (inputs < 1 || outputs < 1 || 2LL * outputs < inputs) {
    throw Error("a logic layer needs 2·neurons ≥ inputs ≥ 1 so that every input is read",
                std::to_string(inputs) + " inputs, " + std::to_string(outputs) + " neurons",
                "widen the layer to at least half its input count");
  }
  std::mt19937_64 rng(seed);
  return scheme == WiringScheme::Random ? random_wiring(inputs, outputs, rng)
                                        : unique_wiring(inputs, outputs, rng);
}

WiringScheme parse_wiring_scheme(const std::string& name) {
  if (name == "random") return WiringScheme::Random;
  if (name == "unique") return WiringScheme::Unique;
  throw Error("unknown wiring scheme '" + name + "'", "wiring", "use 'random' or 'unique'");
}

const char* wiring_scheme_name(WiringScheme scheme) {
  return scheme == WiringScheme::Random ? "random" : "unique";
}

}  // namespace penumbra::logic
