// `penumbra render`: a mesh from one or more cameras into RGBA PNGs, JPEGs or one float32 .npy, with the
// cameras beside them in cameras.json.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli_support.h"
#include "commands.h"
#include "penumbra/data/camera_file.h"
#include "penumbra/error.h"
#include "scene_options.h"
#include "shading_options.h"
#include "threads_option.h"

namespace penumbra::cli {
namespace {

struct RenderOptions {
  std::string mesh;
  std::string out;
  bool keep_scale = false;
  bool size_given = false;
  RasterOptions raster{"256x256"};
  ShadingOptions shading;
  int threads = 0;
  CameraOptions camera;
};

std::filesystem::path view_path(const std::filesystem::path& out, int view, int views) {
  if (views == 1) return out;
  char suffix[32];
  std::snprintf(suffix, sizeof(suffix), "_%03d", view);
  return out.parent_path() / (out.stem().string() + suffix + out.extension().string());
}

void run(const RenderOptions& options) {
  const std::filesystem::path out(options.out);
  const std::string extension = out.extension().string();
  const bool jpeg = extension == ".jpg" || extension == ".jpeg";
  if (extension != ".png" && extension != ".npy" && !jpeg) {
    throw UsageError{"--out '" + options.out + "' must end in .png, .jpg or .npy"};
  }
  const std::filesystem::path folder = out.has_parent_path() ? out.parent_path() : ".";
  if (!std::filesystem::is_directory(folder)) {
    throw UsageError{"--out folder '" + folder.string() + "' does not exist; create it first"};
  }
  RasterSettings settings = options.raster.settings();
  const std::vector<Camera> cameras = options.camera.cameras();
  // Without --size, cameras with pixel intrinsics all of one image size render at that size.
  const Camera& first = cameras.front();
  const bool one_pinhole_size = std::all_of(cameras.begin(), cameras.end(), [&](const Camera& c) {
    return c.projection == Projection::pinhole && c.image_width == first.image_width &&
           c.image_height == first.image_height;
  });
  if (!options.size_given && one_pinhole_size) {
    settings.width = first.image_width;
    settings.height = first.image_height;
  }
  Renderer renderer(options.raster.parsed_backend(), RendererOptions{.threads = options.threads});
  settings.shading = options.shading.shading(renderer.backend(), cameras.front());
  Mesh mesh = load_mesh_argument(options.mesh, !options.keep_scale, "--mesh", true);
  options.shading.prepare_texture(mesh, settings.shading, renderer.backend(), options.mesh);
  // Unlit, a mesh without colours or texture is coloured by its normals; lit, it is white.
  if (settings.shading.model == ShadingModel::unlit && !settings.shading.use_texture) ensure_colors(mesh);

  const Images& images = renderer.forward(mesh, cameras, settings);
  for (int view : views_without_mesh(images)) {
    std::fprintf(stderr,
                 "penumbra: warning: camera %d sees none of the mesh; check its position and convention "
                 "(penumbra cameras --check)\n",
                 view);
  }
  // The cameras beside the images, naming them, so that the run can be repeated or the images fitted.
  std::vector<std::string> names;
  if (extension == ".npy") {
    save_npy(images, out);
    std::printf("wrote %s [%d, %d, %d, 4] (%s backend)\n", out.string().c_str(), images.views, images.height,
                images.width, std::string(name(renderer.backend())).c_str());
  } else {
    for (int view = 0; view < images.views; ++view) {
      const std::filesystem::path path = view_path(out, view, images.views);
      if (jpeg) {
        save_jpeg(images, view, path);
      } else {
        save_png(images, view, path);
      }
      names.push_back(path.filename().string());
    }
    std::printf("wrote %d %s view(s) to %s (%s backend)\n", images.views, jpeg ? "JPEG" : "PNG",
                view_path(out, 0, images.views).string().c_str(),
                std::string(name(renderer.backend())).c_str());
  }
  std::vector<data::CameraEntry> entries;
  for (std::size_t view = 0; view < cameras.size(); ++view) {
    entries.push_back({cameras[view], names.empty() ? std::string() : names[view]});
  }
  data::write_camera_file(folder / "cameras.json", entries);
}

}  // namespace

void add_render_command(CLI::App& app) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* command = app.add_subcommand(
      "render",
      "Render a mesh from one or more cameras into PNG, JPEG or .npy, and the cameras into cameras.json");
  command->add_option("--mesh", options->mesh, "Mesh file (OBJ, PLY, glTF/GLB, OFF, STL) or icosphere:LEVEL")
      ->required();
  command
      ->add_option(
          "--out", options->out,
          "Output FILE.png or FILE.jpg (one per view: FILE_000.png, ...) or FILE.npy; the folder also gets "
          "cameras.json (replaced if there)")
      ->required();
  command->add_flag("--keep-scale", options->keep_scale, "Do not normalise the mesh to the unit sphere");
  options->raster.add_to(*command);
  options->shading.add_to(*command);
  add_threads_option(*command, options->threads);
  options->camera.add_to(*command);
  command->callback([options, command] {
    options->size_given = command->get_option("--size")->count() > 0;
    run(*options);
  });
}

}  // namespace penumbra::cli
