// What a fit leaves for its user: a result mesh in the target's own frame with the Chamfer distance measured
// there, a loss plot with numbered axes, and a target | result | difference grid. Oracles: the normalisation
// applied by hand, pixel counts of the drawn labels, images made by hand.
#include <gtest/gtest.h>

#include "fit_test_meshes.h"
#include "penumbra/learning/loss_plot.h"
#include "penumbra/learning/mesh_fit.h"
#include "penumbra/learning/metrics.h"
#include "penumbra/error.h"
#include "penumbra/renderer.h"
#include "penumbra/learning/result_images.h"

namespace penumbra::test {

using namespace learning;

namespace {

namespace fs = std::filesystem;

TEST(MeshFit, ResultAndChamferAreInTheTargetsOwnFrame) {
  Mesh target = test::cube_mesh();
  for (auto& p : target.positions) p = p * 4.0f + glm::vec3(10.0f, -3.0f, 2.0f);
  const Mesh original = target;
  MeshFitConfig config;
  config.template_mesh = icosphere(1);
  config.target_normalization = normalize_to_unit_sphere(target);
  config.target_mesh = target;
  config.target_views = 4;
  config.held_out_views = 2;
  config.raster.width = config.raster.height = 16;
  MeshFit fit(config);
  fit.step();
  const Mesh result = fit.result_mesh();
  for (std::size_t v = 0; v < result.positions.size(); ++v) {
    const glm::vec3 expected = fit.current_mesh().positions[v] / config.target_normalization.scale +
                               config.target_normalization.center;
    EXPECT_NEAR(glm::length(result.positions[v] - expected), 0.0f, 1e-4f);
  }
  const Evaluation evaluation = fit.evaluate();
  ASSERT_TRUE(evaluation.chamfer.has_value());
  EXPECT_NEAR(*evaluation.chamfer, chamfer_distance(result, original), 1e-6 * *evaluation.chamfer);
  // In the normalised frame the same shapes are closer by the square of the scale.
  EXPECT_GT(*evaluation.chamfer, 2.0 * chamfer_distance(fit.current_mesh(), target));
}

// Dark pixels of the plot inside a rectangle.
int dark_pixels(const Images& image, int x0, int y0, int x1, int y1) {
  int count = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) count += image.at(0, y, x, 0) < 0.3f && image.at(0, y, x, 2) < 0.3f;
  }
  return count;
}

TEST(LossPlot, AxesCarryNumberedTicksAndLabels) {
  std::vector<double> losses;
  for (int i = 0; i < 300; ++i) losses.push_back(std::exp(-0.02 * i));
  const Images plot = plot_loss_curve(losses, 640, 360, true);
  // Tick labels left of the y axis (x < 60), below the x axis (y > 324), and a title on top.
  EXPECT_GT(dark_pixels(plot, 0, 20, 56, 320), 30);
  EXPECT_GT(dark_pixels(plot, 70, 325, 620, 345), 30);
  EXPECT_GT(dark_pixels(plot, 60, 0, 300, 24), 30);
  // The same plot without values has axes and titles but no tick labels on y.
  const Images empty = plot_loss_curve({}, 640, 360, true);
  EXPECT_EQ(dark_pixels(empty, 0, 20, 56, 320), 0);
  EXPECT_THROW(plot_loss_curve(losses, 40, 40, true), Error);
}

TEST(LossPlot, NiceTicksAreRoundNumbersCoveringTheRange) {
  EXPECT_EQ(nice_ticks(1.0, 300.0, 6), (std::vector<double>{50, 100, 150, 200, 250, 300}));
  EXPECT_EQ(nice_ticks(0.0, 1.0, 5), (std::vector<double>{0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0}));
  EXPECT_TRUE(nice_ticks(1.0, 1.0, 5).empty());
}

TEST(ResultImages, ComparisonGridShowsTargetResultAndTheirDifference) {
  Images target(2, 8, 8), result(2, 8, 8);
  for (int row = 0; row < 8; ++row) {
    for (int col = 0; col < 4; ++col) {
      for (int c = 0; c < 4; ++c) target.at(1, row, col, c) = 1.0f;  // a white half in view 1
    }
  }
  const Images grid = comparison_grid(target, result);
  EXPECT_EQ(grid.width, 3 * 8 + 4);
  EXPECT_EQ(grid.height, 2 * 8 + 2);
  // View 0 agrees: its difference column is black; view 1 differs where the white half is.
  EXPECT_EQ(grid.at(0, 3, 2 * 10 + 3, 0), 0.0f);
  EXPECT_GT(grid.at(0, 10 + 3, 2 * 10 + 1, 0), 0.3f);
  EXPECT_EQ(grid.at(0, 10 + 3, 2 * 10 + 6, 0), 0.0f);
  // Over the checkerboard a white silhouette stays white and the background is grey, never transparent.
  const Images shown = over_checkerboard(target);
  EXPECT_EQ(shown.at(1, 0, 0, 0), 1.0f);
  EXPECT_LT(shown.at(1, 0, 6, 0), 0.7f);
  EXPECT_EQ(shown.at(1, 0, 6, 3), 1.0f);
  EXPECT_THROW(comparison_grid(target, Images(1, 8, 8)), Error);
}

}  // namespace
}  // namespace penumbra::test
