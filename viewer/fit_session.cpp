#include "fit_session.h"

#include <algorithm>
#include <exception>
#include <filesystem>
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

void write_result(learning::MeshFit& fit, const FitSnapshot& state, const std::filesystem::path& obj_path) {
  save_obj(fit.result_mesh(), obj_path);
  const learning::Evaluation evaluation = fit.evaluate();
  nlohmann::json metrics = {
      {"steps", fit.steps_done()},
      {"loss", state.last.loss},
      {"silhouette_iou_training", state.last.silhouette_iou},
      {"silhouette_iou_held_out", evaluation.silhouette_iou},
      {"held_out", evaluation.held_out},
      {"distribution", name(state.controls.raster.distribution)},
      {"squared", state.controls.raster.squared},
      {"aggregation", name(state.controls.raster.aggregation)},
      {"p", state.controls.raster.p},
      {"sigma", state.controls.raster.sigma},
      {"gamma", state.controls.raster.gamma},
      {"learning_rate", state.controls.learning_rate},
      {"views_per_step", state.controls.views_per_step},
      {"template", state.setup.template_mesh},
  };
  if (evaluation.chamfer) metrics["chamfer"] = *evaluation.chamfer;
  if (evaluation.psnr_db) metrics["psnr_db"] = *evaluation.psnr_db;
  std::filesystem::path json_path = obj_path;
  json_path.replace_extension(".json");
  write_file_atomically(json_path, metrics.dump(2) + "\n");
}

// The trainer thread's own state: the fit and the snapshot it keeps up to date. Only that thread uses it.
class Trainer {
 public:
  bool has_fit() const { return fit_ != nullptr; }
  bool paused() const { return state_.paused; }
  const FitSnapshot& snapshot() const { return state_; }
  void set_paused(bool paused) { state_.paused = paused; }

  /// Replaces the fit by a new one; on failure there is no fit and the error is rethrown.
  void build(const FitSetup& setup, const FitControls& controls) {
    fit_.reset();
    state_ = FitSnapshot{.paused = state_.paused, .setup = setup, .controls = controls};
    fit_ = std::make_unique<learning::MeshFit>(make_fit_config(setup, controls));
    state_.has_fit = true;
    state_.backend = std::string(name(setup.backend));
    state_.training_views = fit_->target_images().views;
    state_.training_cameras = fit_->target_cameras();
    state_.training_aspect = float(fit_->target_images().width) / float(fit_->target_images().height);
    state_.mesh = fit_->current_mesh();
    state_.gradient_magnitude.assign(state_.mesh.positions.size(), 0.0f);
    rate_start_ = Clock::now();
    rate_start_step_ = 0;
    show_views(0);
  }

  void apply(const FitControls& controls) {
    if (!fit_) return;
    state_.status.clear();
    fit_->set_raster_settings(controls.raster);
    fit_->set_learning_rate(controls.learning_rate);
    fit_->set_views_per_step(controls.views_per_step);
    state_.controls = controls;
  }

  /// Shows training views from `first` on (clamped so that at least one is shown).
  void show_views(int first) {
    if (!fit_) return;
    first = std::clamp(first, 0, std::max(0, state_.training_views - 1));
    state_.first_shown_view = first;
    state_.targets = view_range(fit_->target_images(), first, FitSession::kShownViews);
    const auto& cameras = fit_->target_cameras();
    shown_cameras_.assign(cameras.begin() + first, cameras.begin() + first + state_.targets.views);
  }

  void save(const std::string& obj_path) {
    if (!fit_) return;
    write_result(*fit_, state_, obj_path);
    state_.status = "saved " + obj_path;
  }

  void step() {
    state_.last = fit_->step();
    state_.loss.push_back(float(state_.last.loss));
    state_.iou.push_back(float(state_.last.silhouette_iou));
    stepped_since_evaluation_ = true;
  }

  /// Records an error as the status; returns whether a fit exists (and so should be paused).
  bool fail(const std::string& message) {
    state_.status = message;
    state_.has_fit = fit_ != nullptr;
    if (fit_) state_.paused = true;
    return fit_ != nullptr;
  }

  /// Renders the shown views and reads the mesh, gradients and (every few refreshes) held-out metrics.
  void refresh() {
    ++refreshes_;
    if (!fit_) return;
    try {
      state_.renders = fit_->render(shown_cameras_, fit_->raster_settings());
      state_.mesh = fit_->current_mesh();
      state_.gradient_magnitude = fit_->gradient_magnitude();
      if (stepped_since_evaluation_ && refreshes_ % kPublishesPerEvaluation == 0) {
        state_.evaluation = fit_->evaluate();
        state_.held_out_iou.push_back(float(state_.evaluation->silhouette_iou));
        stepped_since_evaluation_ = false;
      }
    } catch (const std::exception& error) {
      state_.status = error.what();
    }
    const Clock::time_point now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - rate_start_).count();
    if (seconds > 1.0) {
      state_.steps_per_second = (fit_->steps_done() - rate_start_step_) / seconds;
      rate_start_ = now;
      rate_start_step_ = fit_->steps_done();
    }
  }

 private:
  std::unique_ptr<learning::MeshFit> fit_;
  FitSnapshot state_;
  std::vector<Camera> shown_cameras_;
  bool stepped_since_evaluation_ = false;
  int refreshes_ = 0;
  Clock::time_point rate_start_ = Clock::now();
  int rate_start_step_ = 0;
};

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
  Trainer trainer;
  FitSnapshot staged;
  bool build_pending = true;
  Clock::time_point next_publish = Clock::now();
  while (true) {
    // Take the waiting commands; sleep while there are none and nothing to step.
    Commands taken;
    bool do_step = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] {
        const bool can_step = trainer.has_fit() && (!commands_.paused || commands_.single_steps > 0);
        return commands_.stop || can_step || commands_.controls || commands_.setup || commands_.save_path ||
               commands_.first_shown_view || build_pending || trainer.paused() != commands_.paused;
      });
      if (commands_.stop) break;
      taken.controls = std::exchange(commands_.controls, std::nullopt);
      taken.setup = std::exchange(commands_.setup, std::nullopt);
      taken.save_path = std::exchange(commands_.save_path, std::nullopt);
      taken.first_shown_view = std::exchange(commands_.first_shown_view, std::nullopt);
      taken.paused = commands_.paused;
      build_pending = build_pending || taken.setup.has_value();
      if (trainer.has_fit() && !build_pending) {
        do_step = !taken.paused || commands_.single_steps > 0;
        if (taken.paused && do_step) --commands_.single_steps;
      }
    }
    if (taken.setup) setup = *taken.setup;
    if (taken.controls) controls = *taken.controls;

    try {
      trainer.set_paused(taken.paused);
      if (build_pending) {
        build_pending = false;
        trainer.build(setup, controls);
        next_publish = Clock::now();
      } else if (taken.controls) {
        trainer.apply(controls);
      }
      if (taken.first_shown_view) trainer.show_views(*taken.first_shown_view);
      if (taken.save_path) trainer.save(*taken.save_path);
      if (do_step) trainer.step();
    } catch (const std::exception& error) {
      // A step that failed would fail again: stop stepping until the user changes something.
      if (trainer.fail(error.what())) {
        std::lock_guard lock(mutex_);
        commands_.paused = true;
      }
    }

    // Steps run back to back; snapshots go out at most every kPublishPeriod, and after every command.
    const Clock::time_point now = Clock::now();
    if (do_step && now < next_publish) continue;
    next_publish = now + kPublishPeriod;
    trainer.refresh();
    staged = trainer.snapshot();
    snapshots_.publish(staged);
  }
}

}  // namespace penumbra::viewer
