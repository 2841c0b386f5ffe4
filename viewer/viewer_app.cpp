#include "viewer_app.h"

#include <cstdio>

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <imgui.h>

#include "penumbra/image.h"

namespace penumbra::viewer {

ViewerApp::ViewerApp(const ViewerOptions& options)
    : options_(options),
      window_(options.window_width, options.window_height, "Penumbra viewer"),
      context_(window_.handle(), options.validation),
      imgui_(window_.handle()),
      presenter_(context_, window_),
      ui_renderer_(context_, presenter_.render_pass()),
      textures_(context_, ui_renderer_.texture_binding()),
      fit_session_(options.setup, options.controls),
      fit_panel_(fit_session_, options.setup, options.controls) {
  std::fprintf(stderr, "penumbra-viewer: drawing with %s\n", context_.device_name().c_str());
  if (options.train_panels) {
    sort_panel_.start_training();
    logic_panel_.start_training();
  }
}

ViewerApp::~ViewerApp() {
  // Textures and buffers are destroyed after this body; none may still be in use by the GPU.
  try {
    presenter_.wait_for_previous_frame();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "penumbra-viewer: %s\n", error.what());
  }
}

int ViewerApp::run() {
  int frames_drawn = 0;
  while (!window_.should_close()) {
    glfwPollEvents();
    if (window_.minimised()) {
      // Minimised: nothing to draw into; sleep until something happens.
      glfwWaitEventsTimeout(0.1);
      continue;
    }

    presenter_.wait_for_previous_frame();
    fit_panel_.update(textures_);
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    build_ui();
    ImGui::Render();

    const bool headless = options_.headless_frames > 0;
    const bool last_frame = headless && frames_drawn + 1 == options_.headless_frames;
    Images capture;
    const bool drawn = presenter_.draw(
        [&](VkCommandBuffer commands) {
          ui_renderer_.record_uploads(commands);
          textures_.record_uploads(commands);
        },
        [&](VkCommandBuffer commands) { ui_renderer_.record_draws(ImGui::GetDrawData(), commands); },
        last_frame && !options_.screenshot.empty() ? &capture : nullptr);
    if (!drawn) continue;
    ++frames_drawn;
    if (headless && options_.resize_width > 0 && frames_drawn == options_.headless_frames / 2)
      window_.resize(options_.resize_width, options_.resize_height);
    if (last_frame) {
      if (!options_.screenshot.empty()) save_png(capture, 0, options_.screenshot);
      return finish_headless();
    }
  }
  presenter_.wait_for_previous_frame();
  return context_.report_validation_messages() > 0 ? 1 : 0;
}

int ViewerApp::finish_headless() {
  presenter_.wait_for_previous_frame();
  const FitSnapshot& fit = fit_panel_.snapshot();
  const int messages = context_.report_validation_messages();
  std::printf("headless frames=%d steps=%d first_loss=%.6f last_loss=%.6f validation_messages=%d\n",
              options_.headless_frames, fit.last.step, fit.loss.empty() ? 0.0 : fit.loss.front(),
              fit.loss.empty() ? 0.0 : fit.loss.back(), messages);
  if (!fit.status.empty()) std::printf("status: %s\n", fit.status.c_str());
  return messages > 0 ? 1 : 0;
}

void ViewerApp::build_ui() {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  ImGui::Begin("Penumbra", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (ImGui::BeginTabBar("tabs")) {
    // The first frame selects the tab asked for on the command line; afterwards the user chooses.
    auto flags = [&](Tab tab) {
      return first_frame_ && options_.tab == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
    };
    if (ImGui::BeginTabItem("Mesh fit", nullptr, flags(Tab::fit))) {
      fit_panel_.show(textures_);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Sorting network", nullptr, flags(Tab::sort))) {
      sort_panel_.show();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Logic network", nullptr, flags(Tab::logic))) {
      logic_panel_.show(textures_);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
  first_frame_ = false;
}

}  // namespace penumbra::viewer
