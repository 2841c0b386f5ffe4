#pragma once
// The viewer's command line.
#include <string>

#include "fit_setup.h"

namespace penumbra::viewer {

enum class Tab { fit, sort, logic };

struct ViewerOptions {
  FitSetup setup;
  FitControls controls;
  int window_width = 1440;
  int window_height = 900;
  Tab tab = Tab::fit;         ///< the tab shown first
  bool train_panels = false;  ///< start the sorting and logic panels' trainings at launch
  int headless_frames = 0;    ///< > 0: draw this many frames, save the screenshot, exit
  std::string screenshot;     ///< PNG written after the last headless frame
  int resize_width = 0;       ///< > 0: resize the window to this halfway through the headless frames
  int resize_height = 0;
  bool validation = false;  ///< from PENUMBRA_VULKAN_VALIDATION=1
};

/// Parses argv; throws penumbra::Error on bad values. Returns false (after printing) for --help.
bool parse_options(int argc, char** argv, ViewerOptions& options);

}  // namespace penumbra::viewer
