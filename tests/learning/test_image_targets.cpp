// Photos as fit targets: PNG and JPEG of 8 and 16 bits, silhouettes from alpha, mask files or a background
// colour, refusals that name the file and the fix, downscaling, and a fit from JPEG photos with masks that
// converges. Oracles: images rendered by the test itself and their exact alpha.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <fstream>

#include "penumbra/data/camera_file.h"
#include "fit_test_meshes.h"
#include "penumbra/learning/image_targets.h"
#include "penumbra/learning/mesh_fit.h"
#include "penumbra/error.h"
#include "penumbra/renderer.h"

namespace penumbra::test {

using namespace learning;

namespace {

namespace fs = std::filesystem;

// Hard renders of the test cube from `views` cameras on a ring, with vertex colours from the normals.
struct Capture {
  std::vector<Camera> cameras;
  Images images;
};

Capture render_cube(int views, int size) {
  Mesh cube = test::cube_mesh();
  cube.colors = vertex_normals(cube);
  for (auto& c : cube.colors) c = 0.5f * c + 0.5f;
  Capture capture;
  for (int v = 0; v < views; ++v) {
    capture.cameras.push_back(
        Camera::orbit(360.0f * float(v) / float(views), v % 2 ? 25.0f : -15.0f, 3.0f, 40.0f));
  }
  RasterSettings settings;
  settings.width = settings.height = size;
  settings.distribution = Distribution::heaviside;
  settings.aggregation = Aggregation::hard;
  settings.colors = ColorMode::hard;
  Renderer renderer(Backend::cpu);
  capture.images = renderer.forward(cube, capture.cameras, settings);
  return capture;
}

void write_cameras(const fs::path& path, const std::vector<Camera>& cameras,
                   const std::vector<std::string>& names = {}) {
  std::vector<data::CameraEntry> entries;
  for (std::size_t i = 0; i < cameras.size(); ++i)
    entries.push_back({cameras[i], names.empty() ? "" : names[i]});
  data::write_camera_file(path, entries);
}

// The capture as JPEG photos (no alpha) in photos/, PNG masks of their alpha in masks/, and a camera file.
fs::path write_jpeg_capture(const Capture& capture, const fs::path& folder) {
  fs::create_directories(folder / "photos");
  fs::create_directories(folder / "masks");
  std::vector<std::string> names;
  for (int v = 0; v < capture.images.views; ++v) {
    const std::string stem = "view_" + std::to_string(10 + v);
    save_jpeg(capture.images, v, folder / "photos" / (stem + ".jpg"));
    save_png(capture.images, v, folder / "masks" / (stem + ".png"));
    names.push_back(stem + ".jpg");
  }
  write_cameras(folder / "cameras.json", capture.cameras, names);
  return folder / "cameras.json";
}

// A 16-bit RGBA PNG written by hand (stb writes 8 bits only): signature, IHDR, one IDAT, IEND.
void write_png16(const fs::path& path, int width, int height, const std::vector<std::uint16_t>& rgba) {
  const auto big32 = [](std::string& s, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) s.push_back(char((v >> shift) & 0xff));
  };
  const auto chunk = [&](std::string& file, const std::string& type, const std::string& data) {
    big32(file, std::uint32_t(data.size()));
    const std::string body = type + data;
    file += body;
    big32(file, std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
  };
  std::string header;
  big32(header, std::uint32_t(width));
  big32(header, std::uint32_t(height));
  header += std::string("\x10\x06\x00\x00\x00", 5);  // 16 bits, RGBA, deflate, no filter, no interlace
  std::string raw;
  for (int row = 0; row < height; ++row) {
    raw.push_back('\0');
    for (int i = 0; i < width * 4; ++i) {
      const std::uint16_t v = rgba[std::size_t(row * width * 4 + i)];
      raw.push_back(char(v >> 8));
      raw.push_back(char(v & 0xff));
    }
  }
  uLongf size = compressBound(uLong(raw.size()));
  std::string compressed(size, '\0');
  compress(reinterpret_cast<Bytef*>(compressed.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
           uLong(raw.size()));
  compressed.resize(size);
  std::string file("\x89PNG\r\n\x1a\n", 8);
  chunk(file, "IHDR", header);
  chunk(file, "IDAT", compressed);
  chunk(file, "IEND", "");
  std::ofstream(path, std::ios::binary) << file;
}

TEST(ImageTargets, JpegPhotosTakeTheirSilhouetteFromMasks) {
  const fs::path folder = test::fresh_folder("jpeg_masks");
  const Capture capture = render_cube(3, 24);
  const fs::path cameras = write_jpeg_capture(capture, folder);
  ImageTargetOptions options;
  options.masks = folder / "masks";
  const ImageTargets targets = load_image_targets(folder / "photos", cameras, options);
  ASSERT_EQ(targets.images.views, 3);
  ASSERT_EQ(targets.images.width, 24);
  double colour_error = 0.0;
  for (std::size_t i = 0; i < targets.images.rgba.size(); i += 4) {
    // The masks' alpha is exact; JPEG colours are close to the render's.
    EXPECT_NEAR(targets.images.rgba[i + 3], capture.images.rgba[i + 3], 1e-6f);
    for (int c = 0; c < 3; ++c)
      colour_error =
          std::max(colour_error, double(std::abs(targets.images.rgba[i + c] - capture.images.rgba[i + c])));
  }
  EXPECT_LT(colour_error, 0.25);
}

TEST(ImageTargets, PhotosWithoutAlphaOrMaskAreRefusedNamingTheFileAndTheFix) {
  const fs::path folder = test::fresh_folder("no_alpha");
  const fs::path cameras = write_jpeg_capture(render_cube(2, 16), folder);
  try {
    load_image_targets(folder / "photos", cameras);
    ADD_FAILURE() << "photos without alpha were accepted";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("view_10.jpg"), std::string::npos) << message;
    EXPECT_NE(message.find("--masks"), std::string::npos) << message;
    EXPECT_NE(message.find("--background-color"), std::string::npos) << message;
  }
}

TEST(ImageTargets, MissingAndMisSizedMasksAreRefused) {
  const fs::path folder = test::fresh_folder("bad_masks");
  const fs::path cameras = write_jpeg_capture(render_cube(2, 16), folder);
  ImageTargetOptions options;
  options.masks = folder / "masks";
  fs::remove(folder / "masks" / "view_11.png");
  try {
    load_image_targets(folder / "photos", cameras, options);
    ADD_FAILURE() << "a missing mask was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("view_11"), std::string::npos) << error.what();
  }
  save_png(Images(1, 8, 8), 0, folder / "masks" / "view_11.png");
  try {
    load_image_targets(folder / "photos", cameras, options);
    ADD_FAILURE() << "a mask of the wrong size was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("8x8"), std::string::npos) << error.what();
  }
}

TEST(ImageTargets, BackgroundColourGivesTheSilhouette) {
  const fs::path folder = test::fresh_folder("background");
  Capture capture = render_cube(2, 20);
  // Photos on a green background.
  for (std::size_t i = 0; i < capture.images.rgba.size(); i += 4) {
    if (capture.images.rgba[i + 3] < 0.5f) capture.images.rgba[i + 1] = 1.0f;
  }
  fs::create_directories(folder / "photos");
  for (int v = 0; v < 2; ++v)
    save_jpeg(capture.images, v, folder / "photos" / (std::to_string(v) + ".jpg"), 100);
  write_cameras(folder / "cameras.json", capture.cameras);
  ImageTargetOptions options;
  options.background_color = glm::vec3(0.0f, 1.0f, 0.0f);
  options.tolerance = 0.15f;
  const ImageTargets targets = load_image_targets(folder / "photos", folder / "cameras.json", options);
  std::size_t wrong = 0;
  for (std::size_t i = 3; i < targets.images.rgba.size(); i += 4)
    wrong += targets.images.rgba[i] != capture.images.rgba[i];
  // JPEG blurs the edge: allow a few pixels there.
  EXPECT_LT(wrong, targets.images.rgba.size() / 4 / 50);
}

TEST(ImageTargets, SixteenBitPngAndDownscaling) {
  const fs::path folder = test::fresh_folder("png16");
  // 4x2: left half opaque red at 16-bit 40000/65535, right half transparent.
  std::vector<std::uint16_t> rgba;
  for (int row = 0; row < 2; ++row) {
    for (int col = 0; col < 4; ++col) {
      const bool left = col < 2;
      rgba.insert(rgba.end(), {std::uint16_t(left ? 40000 : 0), 0, 0, std::uint16_t(left ? 65535 : 0)});
    }
  }
  write_png16(folder / "a.png", 4, 2, rgba);
  const ImageFile file = read_image(folder / "a.png");
  EXPECT_EQ(file.channels, 4);
  EXPECT_NEAR(file.pixels.at(0, 0, 0, 0), 40000.0f / 65535.0f, 1e-6f);  // finer than 8 bits can say
  write_cameras(folder / "cameras.json", {Camera::orbit(0.0f, 0.0f, 3.0f)});
  ImageTargetOptions options;
  options.downscale = 2;
  const ImageTargets half = load_image_targets(folder, folder / "cameras.json", options);
  ASSERT_EQ(half.images.width, 2);
  ASSERT_EQ(half.images.height, 1);
  EXPECT_NEAR(half.images.at(0, 0, 0, 3), 1.0f, 1e-6f);
  EXPECT_NEAR(half.images.at(0, 0, 1, 3), 0.0f, 1e-6f);
  options.downscale = 1;
  options.width = 1;
  const ImageTargets one = load_image_targets(folder, folder / "cameras.json", options);
  ASSERT_EQ(one.images.width, 1);
  EXPECT_NEAR(one.images.at(0, 0, 0, 3), 0.5f, 1e-6f);  // area average of the two halves
}

TEST(ImageTargets, FitFromJpegPhotosWithMasksConverges) {
  const fs::path folder = test::fresh_folder("jpeg_fit");
  const fs::path cameras = write_jpeg_capture(render_cube(10, 32), folder);
  ImageTargetOptions options;
  options.masks = folder / "masks";
  ImageTargets targets = load_image_targets(folder / "photos", cameras, options);
  MeshFitConfig config;
  config.template_mesh = icosphere(2);
  config.target_images = std::move(targets.images);
  config.target_cameras = std::move(targets.cameras);
  config.raster.distribution = Distribution::logistic;
  config.raster.squared = false;
  config.sigma = Schedule::constant(0.01);
  config.learning_rate = Schedule::constant(0.01);
  config.regularisers.laplacian = 20.0;
  config.fit_colors = true;
  MeshFit fit(std::move(config));
  const Evaluation start = fit.evaluate();
  for (int i = 0; i < 80; ++i) fit.step();
  const Evaluation end = fit.evaluate();
  EXPECT_TRUE(end.held_out);
  EXPECT_GT(end.silhouette_iou, 0.85) << "started at " << start.silhouette_iou;
  ASSERT_TRUE(end.psnr_db.has_value());
  EXPECT_GT(*end.psnr_db, *start.psnr_db + 3.0);
}

}  // namespace
}  // namespace penumbra::test
