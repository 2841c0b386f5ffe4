// Properties of the two wiring schemes: balance, uniqueness, coverage, reproducibility, and refusals.
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "penumbra/logic/wiring.h"
#include "penumbra/error.h"

namespace penumbra::test {

using namespace logic;

namespace {

TEST(LogicWiring, RandomUsesEveryInputAboutEqually) {
  const int inputs = 100, outputs = 130;
  const Wiring wiring = make_wiring(WiringScheme::Random, inputs, outputs, 7);
  std::vector<int> uses(inputs, 0);
  for (int j = 0; j < outputs; ++j) {
    ++uses[wiring.a[std::size_t(j)]];
    ++uses[wiring.b[std::size_t(j)]];
  }
  for (int use : uses) {
    EXPECT_GE(use, 2);  // 260 slots over 100 inputs: 2 or 3 each
    EXPECT_LE(use, 3);
  }
}

TEST(LogicWiring, UniqueHasNoRepeatedPairAndCoversEveryInput) {
  for (int inputs : {7, 8, 50}) {
    const int outputs = inputs * (inputs - 1) / 2;  // every pair there is
    const Wiring wiring = make_wiring(WiringScheme::Unique, inputs, outputs, 3);
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (int j = 0; j < outputs; ++j) {
      const auto a = wiring.a[std::size_t(j)], b = wiring.b[std::size_t(j)];
      ASSERT_NE(a, b);
      pairs.insert({std::min(a, b), std::max(a, b)});
    }
    EXPECT_EQ(int(pairs.size()), outputs) << inputs << " inputs";
  }
  const Wiring half = make_wiring(WiringScheme::Unique, 40, 20, 5);
  std::set<std::uint32_t> covered(half.a.begin(), half.a.end());
  covered.insert(half.b.begin(), half.b.end());
  EXPECT_EQ(covered.size(), 40u);
}

TEST(LogicWiring, SameSeedSameWiringOtherSeedOther) {
  for (auto scheme : {WiringScheme::Random, WiringScheme::Unique}) {
    const Wiring first = make_wiring(scheme, 64, 64, 11);
    const Wiring again = make_wiring(scheme, 64, 64, 11);
    const Wiring other = make_wiring(scheme, 64, 64, 12);
    EXPECT_EQ(first.a, again.a);
    EXPECT_EQ(first.b, again.b);
    EXPECT_NE(first.a, other.a);
  }
}

TEST(LogicWiring, RefusesLayersThatCannotReadAllInputsOrPairsThatRunOut) {
  EXPECT_THROW(make_wiring(WiringScheme::Random, 100, 49, 1), Error);
  EXPECT_THROW(make_wiring(WiringScheme::Unique, 3, 4, 1), Error);
  EXPECT_THROW(parse_wiring_scheme("sideways"), Error);
}

}  // namespace
}  // namespace penumbra::test
