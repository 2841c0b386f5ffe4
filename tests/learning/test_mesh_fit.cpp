// MeshFit: a small fit converges, a resumed fit continues bit for bit, setters and checkpoints behave.
#include <gtest/gtest.h>

#include <cstring>

#include "fit_test_meshes.h"
#include "penumbra/learning/mesh_fit.h"
#include "penumbra/error.h"

namespace penumbra::test {

using namespace learning;

namespace {

MeshFitConfig cube_config() {
  MeshFitConfig config;
  config.template_mesh = icosphere(2);
  config.target_mesh = test::cube_mesh();
  config.target_views = 12;
  config.held_out_views = 4;
  config.raster.width = config.raster.height = 32;
  config.raster.distribution = Distribution::logistic;
  config.raster.squared = false;
  config.sigma = Schedule::constant(0.01);
  config.learning_rate = Schedule::constant(0.01);
  config.regularisers.laplacian = 20.0;
  config.seed = 3;
  return config;
}

TEST(MeshFit, IcosphereFitsACube) {
  MeshFit fit(cube_config());
  const double start = fit.evaluate().silhouette_iou;
  for (int i = 0; i < 100; ++i) fit.step();
  const Evaluation evaluation = fit.evaluate();
  EXPECT_GT(evaluation.silhouette_iou, 0.9) << "started at " << start;
  EXPECT_TRUE(evaluation.held_out);
  ASSERT_TRUE(evaluation.chamfer.has_value());
  EXPECT_LT(*evaluation.chamfer, 0.01);
  EXPECT_EQ(fit.steps_done(), 100);
}

TEST(MeshFit, ResumedFitMatchesAnUninterruptedOneBitForBit) {
  const std::filesystem::path folder = test::fresh_folder("resume");
  MeshFitConfig config = cube_config();
  config.fit_colors = true;
  config.target_mesh->colors.assign(config.target_mesh->positions.size(), glm::vec3(0.8f, 0.3f, 0.1f));
  MeshFit uninterrupted(config);
  for (int i = 0; i < 12; ++i) uninterrupted.step();

  MeshFit first(config);
  for (int i = 0; i < 5; ++i) first.step();
  first.save_checkpoint(folder / "checkpoint.bin");
  MeshFit resumed(config);
  resumed.load_checkpoint(folder / "checkpoint.bin");
  EXPECT_EQ(resumed.steps_done(), 5);
  for (int i = 0; i < 7; ++i) resumed.step();

  const Mesh& a = uninterrupted.current_mesh();
  const Mesh& b = resumed.current_mesh();
  ASSERT_EQ(a.positions.size(), b.positions.size());
  EXPECT_EQ(std::memcmp(a.positions.data(), b.positions.data(), a.positions.size() * sizeof(glm::vec3)), 0);
  EXPECT_EQ(std::memcmp(a.colors.data(), b.colors.data(), a.colors.size() * sizeof(glm::vec3)), 0);
}

TEST(MeshFit, CheckpointOfAnotherTemplateIsRefused) {
  const std::filesystem::path folder = test::fresh_folder("other_template");
  MeshFit fit(cube_config());
  fit.save_checkpoint(folder / "checkpoint.bin");
  MeshFitConfig other = cube_config();
  other.template_mesh = icosphere(1);
  MeshFit different(other);
  EXPECT_THROW(different.load_checkpoint(folder / "checkpoint.bin"), Error);
  EXPECT_THROW(different.load_checkpoint(folder / "missing.bin"), Error);
}

TEST(MeshFit, SettersApplyBetweenSteps) {
  MeshFit fit(cube_config());
  RasterSettings settings = fit.raster_settings();
  settings.sigma = 0.02f;
  settings.distribution = Distribution::uniform;
  settings.squared = false;
  settings.aggregation = Aggregation::einstein;
  settings.p = 2.0f;
  settings.gamma = 1e-3f;
  settings.width = 1;  // the targets fix the size
  fit.set_raster_settings(settings);
  fit.set_learning_rate(0.005);
  fit.set_views_per_step(100);
  EXPECT_EQ(fit.config().views_per_step, 12);
  const StepMetrics metrics = fit.step();
  EXPECT_DOUBLE_EQ(metrics.sigma, double(0.02f));
  EXPECT_DOUBLE_EQ(metrics.learning_rate, 0.005);
  EXPECT_EQ(fit.raster_settings().distribution, Distribution::uniform);
  EXPECT_EQ(fit.raster_settings().width, cube_config().raster.width);
  EXPECT_EQ(fit.gradient_magnitude().size(), fit.current_mesh().positions.size());
  RasterSettings negative_sigma = settings;
  negative_sigma.sigma = -1.0f;
  EXPECT_THROW(fit.set_raster_settings(negative_sigma), Error);
  RasterSettings bad_p = settings;
  bad_p.aggregation = Aggregation::schweizer_sklar;
  EXPECT_THROW(fit.set_raster_settings(bad_p), Error);
  // A refused setting changes nothing.
  EXPECT_EQ(fit.raster_settings().aggregation, Aggregation::einstein);
  EXPECT_FLOAT_EQ(fit.raster_settings().sigma, 0.02f);
}

TEST(MeshFit, ImageTargetsHoldOutEveryFifthView) {
  MeshFitConfig config = cube_config();
  MeshFit rendered(config);
  config.target_images = rendered.target_images();
  config.target_cameras = rendered.target_cameras();
  config.target_mesh.reset();
  MeshFit from_images(config);
  EXPECT_EQ(from_images.target_cameras().size(), 10u);
  EXPECT_EQ(from_images.held_out_cameras().size(), 2u);
  EXPECT_FALSE(from_images.evaluate().chamfer.has_value());
}

}  // namespace
}  // namespace penumbra::test
