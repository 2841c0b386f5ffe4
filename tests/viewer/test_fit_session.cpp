// FitSession: the trainer thread steps, publishes, obeys pause and single step, reports bad sources as a
// status instead of dying, and shuts down cleanly when destroyed mid-fit.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "fit_session.h"
#include "penumbra/mesh.h"

namespace penumbra::test {

using namespace viewer;

namespace {

using namespace std::chrono_literals;

FitSetup tiny_setup() {
  FitSetup setup;
  setup.template_mesh = "icosphere:1";
  setup.image_size = 24;
  setup.target_views = 4;
  return setup;
}

// Polls the newest snapshot until `done` holds or 60 s pass.
FitSnapshot wait_for(const FitSession& session, const std::function<bool(const FitSnapshot&)>& done) {
  FitSnapshot snapshot;
  std::uint64_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    session.snapshots().copy_if_newer(snapshot, seen);
    if (done(snapshot)) return snapshot;
    std::this_thread::sleep_for(5ms);
  }
  ADD_FAILURE() << "timed out; status: " << snapshot.status;
  return snapshot;
}

TEST(FitSession, StepsAndPublishesViewsMeshAndCurves) {
  FitSession session(tiny_setup(), FitControls{});
  const FitSnapshot snapshot = wait_for(session, [](const FitSnapshot& s) { return s.loss.size() >= 3; });
  EXPECT_TRUE(snapshot.has_fit);
  EXPECT_EQ(snapshot.targets.views, FitSession::kShownViews);
  EXPECT_EQ(snapshot.renders.views, FitSession::kShownViews);
  EXPECT_EQ(snapshot.renders.width, 24);
  EXPECT_EQ(snapshot.loss.size(), snapshot.iou.size());
  EXPECT_EQ(snapshot.gradient_magnitude.size(), snapshot.mesh.positions.size());
  EXPECT_EQ(snapshot.mesh.positions.size(), 42u);
}

TEST(FitSession, PauseStopsStepsAndStepOnceDoesExactlyOne) {
  FitSession session(tiny_setup(), FitControls{});
  session.set_paused(true);
  FitSnapshot paused = wait_for(session, [](const FitSnapshot& s) { return s.has_fit && s.paused; });
  std::this_thread::sleep_for(300ms);
  paused = wait_for(session, [](const FitSnapshot& s) { return s.paused; });
  const int steps = paused.last.step;
  std::this_thread::sleep_for(300ms);
  FitSnapshot still = wait_for(session, [](const FitSnapshot&) { return true; });
  EXPECT_EQ(still.last.step, steps);
  session.step_once();
  const FitSnapshot stepped = wait_for(session, [&](const FitSnapshot& s) { return s.last.step > steps; });
  EXPECT_EQ(stepped.last.step, steps + 1);
}

TEST(FitSession, LiveControlsAreApplied) {
  FitSession session(tiny_setup(), FitControls{});
  FitControls controls;
  controls.raster.distribution = Distribution::gaussian;
  controls.raster.squared = false;
  controls.raster.sigma = 0.02f;
  controls.learning_rate = 0.005f;
  session.set_controls(controls);
  const FitSnapshot snapshot = wait_for(session, [](const FitSnapshot& s) {
    return s.controls.raster.distribution == Distribution::gaussian && s.last.step > 0 && s.last.sigma > 0.01;
  });
  EXPECT_FLOAT_EQ(float(snapshot.last.sigma), 0.02f);
  EXPECT_NEAR(snapshot.last.learning_rate, 0.005, 1e-9);
}

TEST(FitSession, SavesTheMeshAndItsMetrics) {
  const auto folder =
      std::filesystem::temp_directory_path() / ("penumbra_fit_session_" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  FitSession session(tiny_setup(), FitControls{});
  wait_for(session, [](const FitSnapshot& s) { return s.loss.size() >= 2; });
  session.save((folder / "result.obj").string());
  wait_for(session, [](const FitSnapshot& s) { return s.status.rfind("saved", 0) == 0; });
  const Mesh mesh = load_mesh(folder / "result.obj");
  EXPECT_EQ(mesh.positions.size(), 42u);
  std::ifstream metrics_file(folder / "result.json");
  const auto metrics = nlohmann::json::parse(metrics_file);
  EXPECT_GE(metrics.at("steps").get<int>(), 2);
  EXPECT_EQ(metrics.at("distribution").get<std::string>(), "logistic");
  EXPECT_GT(metrics.at("silhouette_iou_held_out").get<double>(), 0.0);
  EXPECT_TRUE(metrics.contains("chamfer"));
  std::filesystem::remove_all(folder);
}

TEST(FitSession, ShowsTheRequestedTrainingViews) {
  FitSession session(tiny_setup(), FitControls{});
  const FitSnapshot first = wait_for(session, [](const FitSnapshot& s) { return s.has_fit; });
  EXPECT_EQ(first.training_views, 4);
  EXPECT_EQ(first.first_shown_view, 0);
  session.show_views(3);
  const FitSnapshot last = wait_for(session, [](const FitSnapshot& s) { return s.first_shown_view == 3; });
  // Only view 3 is left from there; targets and renders agree.
  EXPECT_EQ(last.targets.views, 1);
  EXPECT_EQ(last.renders.views, 1);
}

TEST(FitSession, BadSourceBecomesAStatusAndRestartRecovers) {
  FitSetup bad = tiny_setup();
  bad.target_mesh = "no-such-file.obj";
  FitSession session(bad, FitControls{});
  const FitSnapshot failed = wait_for(session, [](const FitSnapshot& s) { return !s.status.empty(); });
  EXPECT_FALSE(failed.has_fit);
  EXPECT_NE(failed.status.find("no-such-file.obj"), std::string::npos);
  session.restart(tiny_setup());
  wait_for(session, [](const FitSnapshot& s) { return s.has_fit && !s.loss.empty(); });
}

TEST(FitSession, DestroyingMidFitJoinsPromptly) {
  const auto start = std::chrono::steady_clock::now();
  {
    FitSession session(tiny_setup(), FitControls{});
    wait_for(session, [](const FitSnapshot& s) { return !s.loss.empty(); });
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 30s);
}

}  // namespace
}  // namespace penumbra::test
