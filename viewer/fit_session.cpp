#include "fit_session.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "penumbra/error.h"

namespace penumbra::viewer {

namespace {

using Clock = std::chrono::steady_clock;

// Evaluations render the held-out views; every few publishes is enough for a curve.
constexpr int kPublishesPerEvaluation = 5;

// Views [first, first + count) of `images` (fewer at the end).
Images view_range(const Images& images, int first, int count) {
  const int views = std::max(0, std::min(count, images.views - first));
  Images result(views, images.height, images.width);
  const auto begin = images.rgba.begin() + std::ptrdiff_t(images.index(first, 0, 0));
  std::copy_n(begin, result.rgba.size(), result.rgba.begin());
  return result;
}

void apply(learning::MeshFit& fit, const FitControls& controls) {
  fit.set_distribution(controls.distribution, controls.squared);
  fit.set_aggregation(controls.aggregation, controls.p);
  fit.set_sigma(controls.sigma);
  fit.set_gamma(controls.gamma);
  fit.set_learning_rate(controls.learning_rate);
  fit.set_views_per_step(controls.views_per_step);
}

void write_result(learning::MeshFit& fit, const FitSnapshot& state, const std::filesystem::path& obj_path) {
  save_obj(fit.current_mesh(), obj_path);
  const learning::Evaluation evaluation = fit.evaluate();
  nlohmann::json metrics = {
      {"steps", fit.steps_done()},
      {"loss", state.last.loss},
      {"silhouette_iou_training", state.last.silhouette_iou},
      {"silhouette_iou_held_out", evaluation.silhouette_iou},
      {"held_out", evaluation.held_out},
      {"distribution", name(state.controls.distribution)},
      {"squared", state.controls.squared},
      {"aggregation", name(state.controls.aggregation)},
      {"p", state.controls.p},
      {"sigma", state.controls.sigma},
      {"gamma", state.controls.gamma},
      {"learning_rate", state.controls.learning_rate},
      {"views_per_step", state.controls.views_per_step},
      {"template", state.setup.template_mesh},
  };
  if (evaluation.chamfer) metrics["chamfer"] = *evaluation.chamfer;
  std::filesystem::path json_path = obj_path;
  json_path.replace_extension(".json");
  std::ofstream out(json_path);
  out << metrics.dump(2) << "\n";
  if (!out) throw Error("cannot write the metrics", json_path.string(), "check the folder exists and is writable");
}

}  // namespace

FitSession::FitSession(FitSetup setup, FitControls controls)
    : thread_([this, setup, controls] { run(setup, controls); }) {}

FitSession::~FitSession() {
  {
    std::lock_guard lock(mutex_);
    commands_.stop = true;
  }
  wake_.notify_all();
  thread_.join();
}

void FitSession::set_controls(const FitControls& controls) {
  {
    std::lock_guard lock(mutex_);
    commands_.controls = controls;
  }
  wake_.notify_all();
}

void FitSession::restart(const FitSetup& setup) {
  {
    std::lock_guard lock(mutex_);
    commands_.setup = setup;
  }
  wake_.notify_all();
}

void FitSession::set_paused(bool paused) {
  {
    std::lock_guard lock(mutex_);
    commands_.paused = paused;
  }
  wake_.notify_all();
}

void FitSession::step_once() {
  {
    std::lock_guard lock(mutex_);
    ++commands_.single_steps;
  }
  wake_.notify_all();
}

void FitSession::show_views(int first) {
  {
    std::lock_guard lock(mutex_);
    commands_.first_shown_view = first;
  }
  wake_.notify_all();
}

void FitSession::save(const std::string& obj_path) {
  {
    std::lock_guard lock(mutex_);
    commands_.save_path = obj_path;
  }
  wake_.notify_all();
}

void FitSession::run(FitSetup setup, FitControls controls) {
  std::unique_ptr<learning::MeshFit> fit;
  FitSnapshot state;  // the trainer's own copy; published copies are made from it
  FitSnapshot staged;
  std::vector<Camera> shown_cameras;
  int first_shown_view = 0;
  bool build_pending = true;
  bool stepped_since_evaluation = false;
  int publishes = 0;
  Clock::time_point next_publish = Clock::now();
  Clock::time_point rate_start = Clock::now();
  int rate_start_step = 0;

  while (true) {
    bool do_step = false;
    bool controls_changed = false;
    bool shown_views_changed = false;
    std::optional<std::string> save_path;
    {
      std::unique_lock lock(mutex_);
      // Sleep while there is nothing to do: paused (or no fit) and no command waiting.
      wake_.wait(lock, [&] {
        const bool can_step = fit && (!commands_.paused || commands_.single_steps > 0);
        return commands_.stop || can_step || commands_.controls || commands_.setup || commands_.save_path ||
               commands_.first_shown_view ||
               build_pending || state.paused != commands_.paused;
      });
      if (commands_.stop) break;
      if (commands_.controls) {
        controls = *std::exchange(commands_.controls, std::nullopt);
        controls_changed = true;
      }
      if (commands_.setup) {
        setup = *std::exchange(commands_.setup, std::nullopt);
        build_pending = true;
      }
      save_path = std::exchange(commands_.save_path, std::nullopt);
      if (commands_.first_shown_view) {
        first_shown_view = *std::exchange(commands_.first_shown_view, std::nullopt);
        shown_views_changed = true;
      }
      state.paused = commands_.paused;
      if (fit && !build_pending) {
        if (!state.paused) {
          do_step = true;
        } else if (commands_.single_steps > 0) {
          --commands_.single_steps;
          do_step = true;
        }
      }
    }

    try {
      if (build_pending) {
        build_pending = false;
        fit.reset();
        state = FitSnapshot{.paused = state.paused, .setup = setup, .controls = controls};
        fit = std::make_unique<learning::MeshFit>(make_fit_config(setup, controls));
        state.has_fit = true;
        state.backend = std::string(name(setup.backend));
        state.training_views = fit->target_images().views;
        shown_views_changed = true;
        state.mesh = fit->current_mesh();
        state.gradient_magnitude.assign(state.mesh.positions.size(), 0.0f);
        rate_start = Clock::now();
        rate_start_step = 0;
        next_publish = Clock::now();
      }
      if (fit && shown_views_changed) {
        // Clamped so that at least one training view is shown.
        first_shown_view = std::clamp(first_shown_view, 0, std::max(0, state.training_views - 1));
        state.first_shown_view = first_shown_view;
        state.targets = view_range(fit->target_images(), first_shown_view, kShownViews);
        const auto& cameras = fit->target_cameras();
        shown_cameras.assign(cameras.begin() + first_shown_view,
                             cameras.begin() + first_shown_view + state.targets.views);
      }
      if (fit && controls_changed) {
        state.status.clear();
        apply(*fit, controls);
        state.controls = controls;
      }
      if (fit && save_path) {
        write_result(*fit, state, *save_path);
        state.status = "saved " + *save_path;
      }
      if (do_step) {
        state.last = fit->step();
        state.loss.push_back(float(state.last.loss));
        state.iou.push_back(float(state.last.silhouette_iou));
        stepped_since_evaluation = true;
      }
    } catch (const std::exception& error) {
      state.status = error.what();
      if (fit) {
        // A step that failed would fail again: stop stepping until the user changes something.
        std::lock_guard lock(mutex_);
        commands_.paused = true;
        state.paused = true;
      }
    }

    const Clock::time_point now = Clock::now();
    if (do_step && now < next_publish) continue;
    next_publish = now + kPublishPeriod;
    if (fit) {
      try {
        state.renders = fit->render(shown_cameras, fit->raster_settings());
        state.mesh = fit->current_mesh();
        state.gradient_magnitude = fit->gradient_magnitude();
        if (stepped_since_evaluation && publishes % kPublishesPerEvaluation == 0) {
          state.evaluation = fit->evaluate();
          state.held_out_iou.push_back(float(state.evaluation->silhouette_iou));
          stepped_since_evaluation = false;
        }
      } catch (const std::exception& error) {
        state.status = error.what();
      }
      const double seconds = std::chrono::duration<double>(now - rate_start).count();
      if (seconds > 1.0) {
        state.steps_per_second = (fit->steps_done() - rate_start_step) / seconds;
        rate_start = now;
        rate_start_step = fit->steps_done();
      }
    }
    ++publishes;
    staged = state;
    snapshots_.publish(staged);
  }
}

}  // namespace penumbra::viewer
