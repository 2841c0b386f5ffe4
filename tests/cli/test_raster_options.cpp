// The one definition of the rasteriser options (cli/raster_options.h): parsed exactly as `render`, `bench`,
// `fit`, `pose` and the viewer parse them, with the one default rule for sigma.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "penumbra/error.h"
#include "raster_options.h"

namespace penumbra::test {

using namespace cli;

namespace {

RasterSettings parse(std::vector<std::string> arguments) {
  RasterOptions options{"32x16"};
  CLI::App app{"raster options"};
  options.add_to(app);
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  app.parse(reversed);
  return options.settings();
}

TEST(RasterOptions, SigmaDefaultsToOneRuleForBothDistances) {
  EXPECT_FLOAT_EQ(parse({}).sigma, 0.01f);
  EXPECT_FLOAT_EQ(parse({"--squared"}).sigma, 1e-4f);
  EXPECT_FLOAT_EQ(default_sigma(true), default_sigma(false) * default_sigma(false));
  EXPECT_FLOAT_EQ(parse({"--squared", "--sigma", "0.5"}).sigma, 0.5f);
}

TEST(RasterOptions, CompatGendrSetsEveryGendrConvention) {
  const RasterSettings penumbra = parse({});
  EXPECT_TRUE(penumbra.perspective_colors);
  EXPECT_FALSE(penumbra.gendr_shifts);
  const RasterSettings gendr = parse({"--compat", "gendr"});
  EXPECT_TRUE(gendr.clipped_barycentrics);
  EXPECT_FALSE(gendr.perspective_colors);
  EXPECT_TRUE(gendr.gendr_shifts);
  EXPECT_TRUE(gendr.gamma_saturation);
  EXPECT_TRUE(gendr.colors_in_depth_range);
  EXPECT_THROW(parse({"--compat", "softras"}), Error);
}

TEST(RasterOptions, EveryFlagReachesTheSettings) {
  const RasterSettings s =
      parse({"--size", "64", "--distribution", "gamma", "--shape", "2", "--shift", "0.25", "--aggregation",
             "yager", "--p", "3", "--gamma", "0.01", "--colors", "hard", "--cull-back-faces"});
  EXPECT_EQ(s.width, 64);
  EXPECT_EQ(s.height, 64);
  EXPECT_EQ(s.distribution, Distribution::gamma);
  EXPECT_FALSE(s.squared);
  EXPECT_FLOAT_EQ(s.shape, 2.0f);
  EXPECT_FLOAT_EQ(s.shift, 0.25f);
  EXPECT_EQ(s.aggregation, Aggregation::yager);
  EXPECT_FLOAT_EQ(s.p, 3.0f);
  EXPECT_FLOAT_EQ(s.gamma, 0.01f);
  EXPECT_EQ(s.colors, ColorMode::hard);
  EXPECT_EQ(s.back_faces, BackFaces::cull);
  const RasterSettings defaults = parse({});
  EXPECT_EQ(defaults.width, 32);
  EXPECT_EQ(defaults.height, 16);
  EXPECT_EQ(defaults.back_faces, BackFaces::double_sided);
}

TEST(RasterOptions, BadValuesThrowNamingTheSetting) {
  EXPECT_THROW(parse({"--size", "64y64"}), Error);
  EXPECT_THROW(parse({"--size", "x64"}), Error);
  EXPECT_THROW(parse({"--aggregation", "sum"}), Error);
  // Numbers out of their range are refused while parsing, with the range (number_checks.h).
  EXPECT_THROW(parse({"--sigma", "0"}), CLI::ValidationError);
  EXPECT_THROW(parse({"--gamma", "nan"}), CLI::ValidationError);
  try {
    parse({"--size", "12by12"});
    ADD_FAILURE() << "a malformed size was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.where(), "--size");
  }
}

TEST(RasterOptions, MeshArgumentIsAFileOrAnIcosphere) {
  EXPECT_EQ(load_mesh_argument("icosphere:1", true).triangles.size(), 80u);
  EXPECT_THROW(load_mesh_argument("icosphere:", true), Error);
  EXPECT_THROW(load_mesh_argument("icosphere:2x", true), Error);
  EXPECT_THROW(load_mesh_argument("icosphere:99", true), Error);
}

}  // namespace
}  // namespace penumbra::test
