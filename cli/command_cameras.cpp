// `penumbra cameras`: converts COLMAP and NeRF cameras into Penumbra's camera file, and checks a camera file
// against a mesh with a contact sheet.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "number_checks.h"
#include "cli_support.h"
#include "commands.h"
#include "penumbra/data/camera_import.h"
#include "penumbra/error.h"
#include "scene_options.h"

namespace penumbra::cli {
namespace {

namespace fs = std::filesystem;

struct CamerasOptions {
  std::string from_colmap;
  std::string from_nerf;
  bool ignore_distortion = false;
  std::string check;
  std::string mesh;
  bool keep_scale = false;
  int cell = 128;
  std::string out;
};

void require_folder_of(const fs::path& out) {
  const fs::path folder = out.has_parent_path() ? out.parent_path() : ".";
  if (!fs::is_directory(folder))
    throw UsageError{"--out folder '" + folder.string() + "' does not exist; create it first"};
}

void convert(const CamerasOptions& options) {
  const fs::path out(options.out);
  if (out.extension() != ".json") throw UsageError{"--out '" + options.out + "' must end in .json"};
  require_folder_of(out);
  const data::ImportedCameras imported =
      options.from_colmap.empty() ? data::read_nerf_transforms(options.from_nerf, options.ignore_distortion)
                                  : data::read_colmap_text(options.from_colmap, options.ignore_distortion);
  for (const std::string& warning : imported.warnings)
    std::fprintf(stderr, "penumbra: warning: %s\n", warning.c_str());
  data::write_camera_file(out, imported.entries);
  std::printf("wrote %zu cameras to %s\n", imported.entries.size(), out.string().c_str());
}

// The size a camera renders at in the sheet: `cell` rows, and columns for its own aspect ratio.
void thumbnail_size(const Camera& camera, int cell, RasterSettings& settings) {
  const double aspect =
      camera.projection == Projection::pinhole ? double(camera.image_width) / camera.image_height : 1.0;
  settings.height = cell;
  settings.width = std::max(1, int(std::lround(cell * aspect)));
}

// Copies a view into the sheet at (left, top), over a grey background (pale red where the camera sees nothing).
void paste(const Images& view, bool empty, int left, int top, Images& sheet) {
  const glm::vec3 background = empty ? glm::vec3(1.0f, 0.75f, 0.75f) : glm::vec3(0.85f);
  for (int row = 0; row < view.height; ++row) {
    for (int col = 0; col < view.width; ++col) {
      const float* source = &view.rgba[(std::size_t(row) * view.width + col) * 4];
      float* target = &sheet.rgba[(std::size_t(top + row) * sheet.width + left + col) * 4];
      for (int c = 0; c < 3; ++c) target[c] = source[c] * source[3] + background[c] * (1.0f - source[3]);
      target[3] = 1.0f;
    }
  }
}

void check(const CamerasOptions& options) {
  if (options.mesh.empty()) throw UsageError{"--check needs --mesh FILE (the object the cameras look at)"};
  const fs::path out(options.out);
  if (out.extension() != ".png") throw UsageError{"--out '" + options.out + "' must end in .png"};
  if (options.cell < 8 || options.cell > 1024) throw UsageError{"--cell must be in 8..1024 pixels"};
  require_folder_of(out);
  const std::vector<data::CameraEntry> entries = data::read_camera_file(options.check);
  Mesh mesh = load_mesh_argument(options.mesh, !options.keep_scale);
  ensure_colors(mesh);

  // One cell per camera, in file order, row by row.
  const int count = int(entries.size());
  const int columns = std::min(count, int(std::ceil(std::sqrt(double(count)))));
  const int rows = (count + columns - 1) / columns;
  int cell_width = 0;
  for (const auto& entry : entries) {
    RasterSettings size;
    thumbnail_size(entry.camera, options.cell, size);
    cell_width = std::max(cell_width, size.width);
  }
  constexpr int kGap = 2;
  Images sheet(1, rows * (options.cell + kGap) + kGap, columns * (cell_width + kGap) + kGap);
  std::fill(sheet.rgba.begin(), sheet.rgba.end(), 1.0f);

  Renderer renderer(Backend::cpu);
  int unseen = 0;
  for (int i = 0; i < count; ++i) {
    RasterSettings settings;
    settings.squared = false;
    settings.sigma = default_sigma(false);
    thumbnail_size(entries[i].camera, options.cell, settings);
    const Images& view = renderer.forward(mesh, std::vector<Camera>{entries[i].camera}, settings);
    const bool empty = !views_without_mesh(view).empty();
    if (empty) {
      ++unseen;
      std::printf("camera %d%s sees none of the mesh\n", i,
                  entries[i].image.empty() ? "" : (" (" + entries[i].image + ")").c_str());
    }
    paste(view, empty, kGap + (i % columns) * (cell_width + kGap),
          kGap + (i / columns) * (options.cell + kGap), sheet);
  }
  save_png(sheet, 0, out);
  std::printf("wrote %s: %d cameras, %d of them see none of the mesh\n", out.string().c_str(), count, unseen);
}

void run(const CamerasOptions& options) {
  const int modes =
      int(!options.from_colmap.empty()) + int(!options.from_nerf.empty()) + int(!options.check.empty());
  if (modes != 1) throw UsageError{"give one of --from-colmap DIR, --from-nerf FILE or --check FILE"};
  if (options.check.empty()) {
    convert(options);
  } else {
    check(options);
  }
}

}  // namespace

void add_cameras_command(CLI::App& app) {
  auto options = std::make_shared<CamerasOptions>();
  CLI::App* command = app.add_subcommand(
      "cameras", "Convert COLMAP or NeRF cameras into a Penumbra camera file, or check one against a mesh");
  command->add_option("--from-colmap", options->from_colmap,
                      "Folder of a COLMAP text model (cameras.txt, images.txt) to convert");
  command->add_option("--from-nerf", options->from_nerf, "NeRF transforms.json to convert");
  command->add_flag("--ignore-distortion", options->ignore_distortion,
                    "Keep only the pinhole part of cameras with lens distortion (with a warning)");
  command->add_option("--check", options->check,
                      "Camera file to check: a contact sheet of what each camera sees");
  command->add_option("--mesh", options->mesh, "Mesh file or icosphere:LEVEL the checked cameras look at");
  command->add_flag("--keep-scale", options->keep_scale, "Do not normalise the mesh to the unit sphere");
  command->add_option("--cell", options->cell, "Height of each camera's picture in the sheet, pixels")
      ->capture_default_str()
      ->check(in_range(8, 1024));
  command->add_option("--out", options->out, "Camera file to write (.json), or the sheet (.png) with --check")
      ->required();
  command->callback([options] { run(*options); });
}

}  // namespace penumbra::cli
