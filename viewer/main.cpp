// penumbra-viewer: exit code 0 on success, 1 on a failure or (with PENUMBRA_VULKAN_VALIDATION=1) any
// validation message, 2 on bad arguments or when no display or Vulkan device exists.
#include <cstdio>
#include <exception>

#include "penumbra/error.h"
#include "viewer_app.h"
#include "viewer_options.h"
#include "vulkan_check.h"

int main(int argc, char** argv) {
  using namespace penumbra::viewer;
  ViewerOptions options;
  try {
    if (!parse_options(argc, argv, options)) return 0;
  } catch (const penumbra::Error& error) {
    std::fprintf(stderr, "penumbra-viewer: %s\n", error.what());
    return 2;
  }
  try {
    ViewerApp app(options);
    return app.run();
  } catch (const Unavailable& error) {
    std::fprintf(stderr, "penumbra-viewer: cannot start: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "penumbra-viewer: %s\n", error.what());
    return 1;
  }
}
