#pragma once
/// Fit targets from disk: a folder of PNGs and a camera file (data/camera_file.h).
#include <filesystem>
#include <vector>

#include "penumbra/camera.h"
#include "penumbra/image.h"

namespace penumbra::learning {

struct ImageTargets {
  Images images;  ///< one view per camera, all of one size
  std::vector<Camera> cameras;
};

/// Pairs cameras with images: an entry's "image" names its PNG inside `folder`; if no entry names one, the
/// folder's *.png files in name order pair with the entries in order. Throws penumbra::Error naming the file
/// and the entry for: a missing or malformed camera file, NaN/Inf or otherwise invalid cameras, more cameras
/// than images (or images without a camera), an unreadable PNG, images of different sizes.
ImageTargets load_image_targets(const std::filesystem::path& folder,
                                const std::filesystem::path& camera_file);

}  // namespace penumbra::learning
