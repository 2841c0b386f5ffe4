#pragma once
// Camera files (JSON): a list of cameras, or {"cameras": [...]}, one entry per view or image (docs/cameras.md).
// Each entry gives its extrinsics in one of these forms:
//   {"eye": [x, y, z], "at": [x, y, z], "up": [x, y, z]}                       (at, up optional)
//   {"world_to_camera": [[4 numbers] x 4], "convention": "opencv" | "opengl" | "pytorch3d"}   rows, column vectors
//   {"camera_to_world": [[4 numbers] x 4], "convention": ...}            e.g. a NeRF transform_matrix (opengl)
//   {"R": [[3 numbers] x 3], "T": [3 numbers], "convention": "pytorch3d"}   PyTorch3D's R and T as it stores them
// and its intrinsics in one of these (default: "fov": 45):
//   "fov": degrees (vertical) | "fov_x": degrees (horizontal)
//   "fx", "fy", "cx", "cy" (pixels) with "width", "height" | "K": [[3 numbers] x 3] with "width", "height"
//   "ortho_scale": NDC units per world unit (orthographic)
// plus optional "image": "file.png" (for fitting to images), "near" and "far". Bare NaN / Infinity (as
// Python's json module writes them) are rejected naming the entry and field.
#include <filesystem>
#include <string>
#include <vector>

#include "penumbra/camera.h"

namespace penumbra::data {

struct CameraEntry {
  Camera camera;
  std::string image;  ///< image file named by the entry, relative to the images' folder; may be empty
};

/// Reads and validates a camera file; throws penumbra::Error naming the file and the entry index.
std::vector<CameraEntry> read_camera_file(const std::filesystem::path& path);

/// Writes cameras in the form read_camera_file reads back (poses as OpenCV world_to_camera matrices),
/// atomically (temporary file, then rename); throws penumbra::Error naming the file.
void write_camera_file(const std::filesystem::path& path, const std::vector<CameraEntry>& entries);

/// Parses "opencv", "opengl" or "pytorch3d"; throws penumbra::Error listing them otherwise.
CameraConvention parse_convention(const std::string& text, const std::string& where);

}  // namespace penumbra::data
