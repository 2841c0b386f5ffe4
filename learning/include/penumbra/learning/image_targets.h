#pragma once
/// Fit targets from disk: a folder of photos (PNG or JPEG, 8 or 16 bits) and a camera file
/// (data/camera_file.h), with the silhouette of each photo from its alpha channel, a mask file or a
/// background colour.
#include <filesystem>
#include <optional>
#include <vector>

#include <glm/glm.hpp>

#include "penumbra/camera.h"
#include "penumbra/image.h"

namespace penumbra::learning {

struct ImageTargetOptions {
  /// Folder of masks, one per image with the image's file stem (view_03.png or .jpg for view_03.jpg; COLMAP's
  /// view_03.jpg.png also counts). A mask's value is its alpha if it has transparent pixels, else its grey
  /// level; it replaces the image's alpha. Empty: no masks.
  std::filesystem::path masks;
  /// For images with neither alpha nor a mask: pixels whose every channel is within `tolerance` of this RGB
  /// (values in [0, 1]) are background, all others the object.
  std::optional<glm::vec3> background_color;
  float tolerance = 0.1f;
  /// Fit size: `width` pixels wide (height keeps the aspect ratio), or each side divided by `downscale`;
  /// 0 and 1 keep the images' own size. Images are box-filtered; fov cameras need no change.
  int width = 0;
  int downscale = 1;
};

struct ImageTargets {
  Images
      images;  ///< one view per camera, all of one size; RGB composited over black (the renderer's background)
  std::vector<Camera> cameras;
};

/// Pairs cameras with images: an entry's "image" names its file inside `folder`; if no entry names one, the
/// folder's *.png, *.jpg and *.jpeg files in name order pair with the entries in order. Throws penumbra::Error
/// naming the file and the entry for: a missing or malformed camera file, NaN/Inf or otherwise invalid
/// cameras, more cameras than images (or images without a camera), an unreadable image, images of different
/// sizes, an image without alpha when no mask or background colour is given, a missing mask or one whose size
/// differs from its image.
ImageTargets load_image_targets(const std::filesystem::path& folder, const std::filesystem::path& camera_file,
                                const ImageTargetOptions& options = {});

}  // namespace penumbra::learning
