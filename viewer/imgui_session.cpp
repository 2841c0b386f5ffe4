#include "imgui_session.h"

#include <backends/imgui_impl_glfw.h>
#include <imgui.h>

#include "penumbra/error.h"

namespace penumbra::viewer {

ImGuiSession::ImGuiSession(GLFWwindow* window) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  // No imgui.ini: the layout is fixed and tests must not write into the working directory.
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  if (!ImGui_ImplGlfw_InitForVulkan(window, true)) {
    ImGui::DestroyContext();
    throw Error("Dear ImGui's GLFW backend failed to start", "penumbra-viewer",
                "check the display and its GLFW support");
  }
}

ImGuiSession::~ImGuiSession() {
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
}

}  // namespace penumbra::viewer
