#include "viewer_options.h"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <vector>

#include <CLI/CLI.hpp>

#include "penumbra/error.h"
#include "raster_options.h"

namespace penumbra::viewer {

bool parse_options(int argc, char** argv, ViewerOptions& options) {
  CLI::App app{"penumbra-viewer: fit a mesh to images live, explore sorting and logic gate networks"};
  cli::RasterOptions raster{std::to_string(options.setup.image_size)};
  app.add_option("--template", options.setup.template_mesh, "template: icosphere:N or a mesh file")
      ->capture_default_str();
  app.add_option("--target-mesh", options.setup.target_mesh, "target mesh, rendered from cameras around it");
  app.add_option("--target-images", options.setup.target_images,
                 "folder of the target images (default: the camera file's folder)");
  app.add_option("--cameras", options.setup.cameras, "camera JSON naming one image per view");
  app.add_option("--masks", options.setup.masks,
                 "folder of silhouette masks, one per target image (same stem)");
  app.add_flag("--fit-colors", options.setup.fit_colors,
               "also fit per-vertex colours, as `penumbra fit` does");
  app.add_option("--views", options.setup.target_views, "views rendered from a target mesh")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--views-per-step", options.controls.views_per_step, "views per optimisation step")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  raster.add_to(app);
  app.add_option("--lr", options.controls.learning_rate, "learning rate")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--tab", options.tab, "tab shown first: fit, sort or logic")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, Tab>{{"fit", Tab::fit}, {"sort", Tab::sort}, {"logic", Tab::logic}}));
  app.add_flag("--train-panels", options.train_panels,
               "start the sorting and logic panels' small trainings at launch");
  app.add_option("--window-width", options.window_width)->check(CLI::Range(320, 8192))->capture_default_str();
  app.add_option("--window-height", options.window_height)
      ->check(CLI::Range(240, 8192))
      ->capture_default_str();
  app.add_option("--headless-frames", options.headless_frames, "draw N frames, save --screenshot, exit")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--screenshot", options.screenshot, "PNG of the window after the last headless frame");
  std::vector<int> resize;
  app.add_option("--headless-resize", resize,
                 "resize the window to WIDTH HEIGHT halfway (tests swapchain rebuilds)")
      ->expected(2)
      ->check(CLI::Range(64, 8192));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    std::cout << app.help();
    return false;
  } catch (const CLI::ParseError& error) {
    throw Error(error.what(), "command line", "see penumbra-viewer --help");
  }
  if (!resize.empty()) {
    if (options.headless_frames == 0)
      throw Error("--headless-resize needs --headless-frames", "command line", "add --headless-frames N");
    options.resize_width = resize[0];
    options.resize_height = resize[1];
  }
  options.controls.raster = raster.settings();
  const int size = options.controls.raster.width;
  if (size != options.controls.raster.height || size < 8 || size > 1024)
    throw Error("--size " + raster.size + " is not a square of 8 to 1024 pixels", "command line",
                "the viewer trains on square images; use e.g. --size 128");
  options.setup.image_size = size;
  options.setup.backend = raster.parsed_backend();
  if (!options.screenshot.empty() && options.headless_frames == 0)
    throw Error("--screenshot needs --headless-frames", "command line", "add --headless-frames N");
  if (!options.setup.target_images.empty() && options.setup.cameras.empty())
    throw Error("--target-images needs --cameras", "command line", "add --cameras FILE.json");
  const char* validation = std::getenv("PENUMBRA_VULKAN_VALIDATION");
  options.validation = validation && std::strcmp(validation, "1") == 0;
  return true;
}

}  // namespace penumbra::viewer
