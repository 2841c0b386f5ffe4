#pragma once
// The Dear ImGui context and its GLFW input backend, for the lifetime of the window.
struct GLFWwindow;

namespace penumbra::viewer {

class ImGuiSession {
 public:
  explicit ImGuiSession(GLFWwindow* window);
  ~ImGuiSession();
  ImGuiSession(const ImGuiSession&) = delete;
  ImGuiSession& operator=(const ImGuiSession&) = delete;
};

}  // namespace penumbra::viewer
