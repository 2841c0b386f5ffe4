#include "image_targets.h"

#include <algorithm>

#include "data/camera_file.h"
#include "penumbra/error.h"

namespace penumbra::learning {

ImageTargets load_image_targets(const std::filesystem::path& folder,
                                const std::filesystem::path& camera_file) {
  if (!std::filesystem::is_directory(folder)) {
    throw Error("target image folder does not exist", folder.string(), "pass a folder of PNG files");
  }
  const std::vector<data::CameraEntry> entries = data::read_camera_file(camera_file);
  const bool named =
      std::any_of(entries.begin(), entries.end(), [](const auto& e) { return !e.image.empty(); });

  std::vector<std::filesystem::path> files;
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
    for (const auto& item : std::filesystem::directory_iterator(folder)) {
      if (item.is_regular_file() && item.path().extension() == ".png") files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    if (entries.size() > files.size()) {
      throw Error(
          std::to_string(entries.size()) + " cameras but " + std::to_string(files.size()) + " PNG images",
          camera_file.string() + ", camera " + std::to_string(files.size()),
          "give one image per camera (or name each camera's \"image\")");
    }
    if (files.size() > entries.size()) {
      throw Error("image has no camera: " + std::to_string(files.size()) + " PNG images but " +
                      std::to_string(entries.size()) + " cameras",
                  files[entries.size()].string(), "add a camera entry per image");
    }
  }

  ImageTargets targets;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!std::filesystem::is_regular_file(files[i])) {
      throw Error("image of camera " + std::to_string(i) + " does not exist", files[i].string(),
                  "check the name");
    }
    const Images image = load_png(files[i]);
    if (i == 0) {
      targets.images = Images(int(files.size()), image.height, image.width);
    } else if (image.width != targets.images.width || image.height != targets.images.height) {
      throw Error("image is " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                      " but the first is " + std::to_string(targets.images.width) + "x" +
                      std::to_string(targets.images.height),
                  files[i].string(), "give target images of one size");
    }
    std::copy(image.rgba.begin(), image.rgba.end(),
              targets.images.rgba.begin() + std::ptrdiff_t(i * image.rgba.size()));
    targets.cameras.push_back(entries[i].camera);
  }
  return targets;
}

}  // namespace penumbra::learning
