#include "penumbra/learning/image_targets.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "penumbra/data/camera_file.h"
#include "penumbra/error.h"

namespace penumbra::learning {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

bool is_image_file(const fs::path& path) {
  const std::string extension = lower(path.extension().string());
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg";
}

fs::path find_mask(const fs::path& masks, const fs::path& image) {
  const std::string stem = image.stem().string();
  for (const char* extension : {".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"}) {
    if (fs::is_regular_file(masks / (stem + extension))) return masks / (stem + extension);
  }
  if (fs::is_regular_file(masks / (image.filename().string() + ".png"))) {
    return masks / (image.filename().string() + ".png");
  }
  throw Error("no mask for image " + image.filename().string() + " in " + masks.string(), image.string(),
              "give one mask per image with the same file stem, e.g. " + stem + ".png");
}

// The image's RGBA with alpha from (in this order) a mask, the file's alpha channel or the background colour.
Images silhouette_image(const fs::path& file, const ImageTargetOptions& options) {
  ImageFile image = read_image(file);
  Images& pixels = image.pixels;
  if (!options.masks.empty()) {
    const fs::path mask_file = find_mask(options.masks, file);
    const ImageFile mask = read_image(mask_file);
    if (mask.pixels.width != pixels.width || mask.pixels.height != pixels.height) {
      throw Error("mask is " + std::to_string(mask.pixels.width) + "x" + std::to_string(mask.pixels.height) +
                      " but its image is " + std::to_string(pixels.width) + "x" +
                      std::to_string(pixels.height),
                  mask_file.string(), "give masks of their images' size");
    }
    // A mask with transparent pixels says it by its alpha; an opaque one by its grey level.
    const std::vector<float>& m = mask.pixels.rgba;
    bool transparent = false;
    for (std::size_t i = 3; i < m.size() && mask.has_alpha(); i += 4)
      transparent = transparent || m[i] < 1.0f;
    for (std::size_t i = 0; i < pixels.rgba.size(); i += 4) {
      pixels.rgba[i + 3] = transparent ? m[i + 3] : (m[i] + m[i + 1] + m[i + 2]) / 3.0f;
    }
  } else if (!image.has_alpha()) {
    if (!options.background_color) {
      throw Error("image has no alpha channel, so nothing says which pixels are the object", file.string(),
                  "give masks (--masks DIR, one per image with its file stem), a background colour "
                  "(--background-color R,G,B) or images with alpha");
    }
    const glm::vec3 background = *options.background_color;
    for (std::size_t i = 0; i < pixels.rgba.size(); i += 4) {
      float difference = 0.0f;
      for (int c = 0; c < 3; ++c)
        difference = std::max(difference, std::abs(pixels.rgba[i + c] - background[c]));
      pixels.rgba[i + 3] = difference > options.tolerance ? 1.0f : 0.0f;
    }
  }
  return pixels;
}

}  // namespace

ImageTargets load_image_targets(const fs::path& folder, const fs::path& camera_file,
                                const ImageTargetOptions& options) {
  if (!fs::is_directory(folder)) {
    throw Error("target image folder does not exist", folder.string(), "pass a folder of PNG or JPEG files");
  }
  if (!options.masks.empty() && !fs::is_directory(options.masks)) {
    throw Error("mask folder does not exist", options.masks.string(), "pass the folder that holds the masks");
  }
  if (options.width < 0 || options.downscale < 1 || (options.width > 0 && options.downscale > 1)) {
    throw Error("fit size is width " + std::to_string(options.width) + " and downscale " +
                    std::to_string(options.downscale),
                "image size", "give a width >= 1 or a downscale >= 1, not both");
  }
  if (options.background_color && !(options.tolerance >= 0.0f && options.tolerance < 1.0f)) {
    throw Error("background tolerance " + std::to_string(options.tolerance) + " is out of range", "tolerance",
                "use a value in [0, 1)");
  }
  const std::vector<data::CameraEntry> entries = data::read_camera_file(camera_file);
  const bool named =
      std::any_of(entries.begin(), entries.end(), [](const auto& e) { return !e.image.empty(); });

  std::vector<fs::path> files;
  if (named) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].image.empty()) {
        throw Error("camera entry names no image while others do",
                    camera_file.string() + ", camera " + std::to_string(i),
                    "give every entry an \"image\" or none");
      }
      files.push_back(folder / entries[i].image);
    }
  } else {
    for (const auto& item : fs::directory_iterator(folder)) {
      if (item.is_regular_file() && is_image_file(item.path())) files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    if (entries.size() > files.size()) {
      throw Error(std::to_string(entries.size()) + " cameras but " + std::to_string(files.size()) + " images",
                  camera_file.string() + ", camera " + std::to_string(files.size()),
                  "give one image per camera (or name each camera's \"image\")");
    }
    if (files.size() > entries.size()) {
      throw Error("image has no camera: " + std::to_string(files.size()) + " images but " +
                      std::to_string(entries.size()) + " cameras",
                  files[entries.size()].string(), "add a camera entry per image");
    }
  }

  ImageTargets targets;
  int source_width = 0, source_height = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!fs::is_regular_file(files[i])) {
      throw Error("image of camera " + std::to_string(i) + " does not exist", files[i].string(),
                  "check the name");
    }
    Images image = silhouette_image(files[i], options);
    if (i == 0) {
      source_width = image.width, source_height = image.height;
      int width = image.width, height = image.height;
      if (options.width > 0) {
        width = options.width;
        height = std::max(1, int(std::lround(double(image.height) * options.width / image.width)));
      } else if (options.downscale > 1) {
        width = std::max(1, int(std::lround(double(image.width) / options.downscale)));
        height = std::max(1, int(std::lround(double(image.height) / options.downscale)));
      }
      targets.images = Images(int(files.size()), height, width);
    } else if (image.width != source_width || image.height != source_height) {
      throw Error("image is " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                      " but the first is " + std::to_string(source_width) + "x" +
                      std::to_string(source_height),
                  files[i].string(), "give target images of one size");
    }
    image = resize_images(image, targets.images.width, targets.images.height);
    // Over black, as the renderer draws its background, so that RGB losses compare like with like.
    for (std::size_t p = 0; p < image.rgba.size(); p += 4) {
      for (int c = 0; c < 3; ++c) image.rgba[p + c] *= image.rgba[p + 3];
    }
    std::copy(image.rgba.begin(), image.rgba.end(),
              targets.images.rgba.begin() + std::ptrdiff_t(i * image.rgba.size()));
    targets.cameras.push_back(entries[i].camera);
  }
  return targets;
}

}  // namespace penumbra::learning
