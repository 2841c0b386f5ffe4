#pragma once
// Camera files (JSON): a list of cameras, or {"cameras": [...]}, one entry per view or image.
// Each entry is either
//   {"eye": [x, y, z], "at": [x, y, z], "up": [x, y, z], "fov": degrees}        (at, up, fov optional)
// or
//   {"view_matrix": [[4 numbers] x 4], "fov": degrees}   world-to-camera, rows, camera looks along +z
// plus optional "image": "file.png" (for fitting to images), "near" and "far". Bare NaN / Infinity (as
// Python's json module writes them) are rejected naming the entry and field.
#include <filesystem>
#include <string>
#include <vector>

#include "penumbra/camera.h"

namespace penumbra::data {

struct CameraEntry {
  Camera camera;
  std::string image;  ///< image file named by the entry, relative to the camera file's folder; may be empty
};

/// Reads and validates a camera file; throws penumbra::Error naming the file and the entry index.
std::vector<CameraEntry> read_camera_file(const std::filesystem::path& path);

}  // namespace penumbra::data
