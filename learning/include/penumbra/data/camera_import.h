#pragma once
// Cameras from the files other pipelines write, as Penumbra camera entries (docs/cameras.md):
// a COLMAP text model and a NeRF transforms.json (Blender, instant-ngp, nerfstudio).
#include <filesystem>
#include <string>
#include <vector>

#include "penumbra/data/camera_file.h"

namespace penumbra::data {

struct ImportedCameras {
  std::vector<CameraEntry> entries;   ///< one per image, in the file's order
  std::vector<std::string> warnings;  ///< what was dropped on the way (e.g. ignored distortion)
};

/// COLMAP's text model: `folder`/cameras.txt and `folder`/images.txt (world-to-camera, OpenCV axes; pixel
/// centres at +0.5, as Penumbra's pinhole). PINHOLE and SIMPLE_PINHOLE are exact. Models with lens
/// distortion (SIMPLE_RADIAL, RADIAL, OPENCV, FULL_OPENCV) throw, or with `ignore_distortion` keep their
/// pinhole part and add a warning; fisheye and unknown models throw. Entries name their image as
/// images.txt does (relative to the images folder). Throws penumbra::Error naming file and line.
ImportedCameras read_colmap_text(const std::filesystem::path& folder, bool ignore_distortion);

/// A NeRF transforms.json: per frame a camera-to-world `transform_matrix` (OpenGL axes) and a `file_path`
/// (relative to the JSON's folder; ".png" appended when it has no extension, as in Blender's synthetic
/// scenes). Intrinsics from `fl_x`, `fl_y` (or one of them), `cx`, `cy`, `w`, `h` (pixels; per frame or
/// global), else `camera_angle_x` (horizontal field of view, radians). Non-zero distortion (k1, k2, k3, k4,
/// p1, p2) throws unless `ignore_distortion`. Throws penumbra::Error naming the file and frame.
ImportedCameras read_nerf_transforms(const std::filesystem::path& file, bool ignore_distortion);

}  // namespace penumbra::data
