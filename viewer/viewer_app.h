#pragma once
// The application: window, Vulkan, Dear ImGui, the fit session and the three tabs, and the frame loop.
#include "fit_panel.h"
#include "fit_session.h"
#include "imgui_session.h"
#include "logic_panel.h"
#include "presenter.h"
#include "sort_panel.h"
#include "texture_cache.h"
#include "ui_renderer.h"
#include "viewer_options.h"
#include "vulkan_context.h"
#include "window.h"

namespace penumbra::viewer {

class ViewerApp {
 public:
  /// Throws Unavailable when there is no display or no Vulkan device.
  explicit ViewerApp(const ViewerOptions& options);
  /// Waits for the GPU, then stops and joins every training thread.
  ~ViewerApp();
  ViewerApp(const ViewerApp&) = delete;
  ViewerApp& operator=(const ViewerApp&) = delete;

  /// Runs until the window closes (or the headless frames are drawn); returns the exit code.
  int run();

 private:
  void build_ui();
  int finish_headless();

  ViewerOptions options_;
  Window window_;
  VulkanContext context_;
  ImGuiSession imgui_;
  Presenter presenter_;
  UiRenderer ui_renderer_;
  TextureCache textures_;
  FitSession fit_session_;
  FitPanel fit_panel_;
  SortPanel sort_panel_;
  LogicPanel logic_panel_;
  bool first_frame_ = true;
};

}  // namespace penumbra::viewer
