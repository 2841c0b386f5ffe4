#include "imgui_session.h"

#include <stdexcept>

#include <backends/imgui_impl_glfw.h>
#include <imgui.h>

namespace penumbra::viewer {

ImGuiSession::ImGuiSession(GLFWwindow* window) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  // No imgui.ini: the layout is fixed and tests must not write into the working directory.
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  if (!ImGui_ImplGlfw_InitForVulkan(window, true)) {
    ImGui::DestroyContext();
    throw std::runtime_error("Dear ImGui's GLFW backend failed to start");
  }
}

ImGuiSession::~ImGuiSession() {
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
}

}  // namespace penumbra::viewer
