#pragma once
// The GLFW window: initialises GLFW (no OpenGL context, Vulkan draws into it) and tracks resizes.
#include <string>

struct GLFWwindow;

namespace penumbra::viewer {

class Window {
 public:
  /// Throws Unavailable when GLFW cannot reach a display or finds no Vulkan loader.
  Window(int width, int height, const std::string& title);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  GLFWwindow* handle() const { return window_; }
  bool should_close() const;
  /// Iconified, or a framebuffer of zero size: nothing to draw into (X11 keeps the size when iconified).
  bool minimised() const;
  /// Framebuffer size in pixels; zero while minimised on some platforms.
  void framebuffer_size(int& width, int& height) const;
  /// Asks the window system for a new client-area size (the framebuffer follows asynchronously).
  void resize(int width, int height);
  /// True once after each framebuffer resize.
  bool take_resized();

 private:
  GLFWwindow* window_ = nullptr;
  bool resized_ = false;
};

}  // namespace penumbra::viewer
