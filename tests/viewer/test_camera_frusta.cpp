// The preview's camera frusta. Oracles: the pyramid's apex is where the preview projects the camera's centre;
// its far corners are where the camera's own picture corners lie (projected back through the camera itself,
// they land on NDC (+-1, +-1)); edges behind the preview are dropped.
#include <gtest/gtest.h>

#include "camera_frusta.h"

namespace penumbra::test {

using namespace viewer;

namespace {

TEST(CameraFrusta, ApexAndCornersLieWhereTheCamerasSay) {
  Camera target = Camera::look_at({0.0f, 0.0f, -3.0f});
  target.with_pinhole(100.0f, 100.0f, 70.0f, 40.0f, 128, 96);
  const Camera preview = Camera::orbit(40.0f, 25.0f, 7.0f);
  const std::vector<Camera> cameras{target};
  const std::vector<PreviewSegment> segments = frustum_outlines(cameras, 128.0f / 96.0f, 0.5f, preview);
  ASSERT_EQ(segments.size(), 8u);
  // Centre-to-corner edges start at the camera's centre.
  const glm::vec3 apex = preview.project({0.0f, 0.0f, -3.0f}, 1.0f);
  for (int i = 0; i < 8; i += 2) {
    EXPECT_NEAR(segments[i].from.x, (apex.x + 1.0f) / 2.0f, 1e-5f);
    EXPECT_NEAR(segments[i].from.y, (1.0f - apex.y) / 2.0f, 1e-5f);
  }
  // The first corner is the picture's top-left: through the target camera it is NDC (-1, 1) at depth 0.5.
  const glm::vec3 corner = target.unproject({-1.0f, 1.0f}, 0.5f, 128.0f / 96.0f);
  const glm::vec3 seen_by_target = target.project(corner, 128.0f / 96.0f);
  EXPECT_NEAR(seen_by_target.x, -1.0f, 1e-5f);
  EXPECT_NEAR(seen_by_target.y, 1.0f, 1e-5f);
  EXPECT_NEAR(seen_by_target.z, 0.5f, 1e-5f);
  const glm::vec3 seen_by_preview = preview.project(corner, 1.0f);
  EXPECT_NEAR(segments[0].to.x, (seen_by_preview.x + 1.0f) / 2.0f, 1e-5f);
  EXPECT_NEAR(segments[0].to.y, (1.0f - seen_by_preview.y) / 2.0f, 1e-5f);
}

TEST(CameraFrusta, CamerasBehindThePreviewAreLeftOut) {
  const Camera preview = Camera::look_at({0.0f, 0.0f, -3.0f});
  const std::vector<Camera> behind{Camera::look_at({0.0f, 0.0f, -6.0f}, {0.0f, 0.0f, -9.0f})};
  EXPECT_TRUE(frustum_outlines(behind, 1.0f, 0.5f, preview).empty());
  const std::vector<Camera> in_front{Camera::orbit(90.0f, 0.0f, 3.0f)};
  EXPECT_EQ(frustum_outlines(in_front, 1.0f, 0.5f, preview).size(), 8u);
}

}  // namespace
}  // namespace penumbra::test
