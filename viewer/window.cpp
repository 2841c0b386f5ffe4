#include "window.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include "vulkan_check.h"

namespace penumbra::viewer {

namespace {
std::string last_glfw_error() {
  const char* description = nullptr;
  glfwGetError(&description);
  return description ? description : "unknown reason";
}
}  // namespace

Window::Window(int width, int height, const std::string& title) {
  if (!glfwInit())
    throw Unavailable("no display: " + last_glfw_error(), "set DISPLAY, or run under xvfb-run -a");
  if (!glfwVulkanSupported()) {
    glfwTerminate();
    throw Unavailable("no Vulkan loader or driver found", "install mesa-vulkan-drivers for lavapipe");
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
  window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!window_) {
    const std::string reason = last_glfw_error();
    glfwTerminate();
    throw Unavailable("cannot open a window: " + reason, "check that the display accepts new windows");
  }
  glfwSetWindowUserPointer(window_, this);
  glfwSetFramebufferSizeCallback(window_, [](GLFWwindow* window, int, int) {
    static_cast<Window*>(glfwGetWindowUserPointer(window))->resized_ = true;
  });
}

Window::~Window() {
  glfwDestroyWindow(window_);
  glfwTerminate();
}

bool Window::should_close() const { return glfwWindowShouldClose(window_); }

bool Window::minimised() const {
  int width = 0, height = 0;
  glfwGetFramebufferSize(window_, &width, &height);
  return glfwGetWindowAttrib(window_, GLFW_ICONIFIED) || width == 0 || height == 0;
}

void Window::framebuffer_size(int& width, int& height) const {
  glfwGetFramebufferSize(window_, &width, &height);
}

void Window::resize(int width, int height) { glfwSetWindowSize(window_, width, height); }

bool Window::take_resized() {
  const bool resized = resized_;
  resized_ = false;
  return resized;
}

}  // namespace penumbra::viewer
