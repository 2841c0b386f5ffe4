#include "penumbra/data/camera_import.h"

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include <glm/gtc/quaternion.hpp>

#include "penumbra/error.h"

namespace penumbra::data {
namespace {

using nlohmann::json;

// COLMAP's camera models: parameter counts, how many lead with (fx, fy) or a single f, and whether the rest
// is distortion a pinhole can drop. Fisheye models are not pinholes even without their distortion terms.
struct ColmapModel {
  int parameters;
  bool single_focal;
  bool distortion;
};

const std::map<std::string, ColmapModel>& colmap_models() {
  static const std::map<std::string, ColmapModel> models{
      {"SIMPLE_PINHOLE", {3, true, false}}, {"PINHOLE", {4, false, false}},
      {"SIMPLE_RADIAL", {4, true, true}},   {"RADIAL", {5, true, true}},
      {"OPENCV", {8, false, true}},         {"FULL_OPENCV", {12, false, true}},
  };
  return models;
}

constexpr const char* kFisheyeModels[] = {"OPENCV_FISHEYE", "FOV", "SIMPLE_RADIAL_FISHEYE", "RADIAL_FISHEYE",
                                          "THIN_PRISM_FISHEYE"};

std::ifstream open_text(const std::filesystem::path& path, const std::string& hint) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open " + path.filename().string(), path.string(), hint);
  return in;
}

std::string at_line(const std::filesystem::path& path, int line) {
  return path.string() + ":" + std::to_string(line);
}

bool blank_or_comment(const std::string& line) {
  const auto first = line.find_first_not_of(" \t\r");
  return first == std::string::npos || line[first] == '#';
}

// cameras.txt: CAMERA_ID MODEL WIDTH HEIGHT PARAMS[]
std::map<long long, Camera> read_colmap_cameras(const std::filesystem::path& path, bool ignore_distortion,
                                                std::vector<std::string>& warnings) {
  std::ifstream in = open_text(path,
                               "give the folder of a COLMAP text model (export it with model_converter "
                               "--output_type TXT)");
  std::map<long long, Camera> cameras;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (blank_or_comment(line)) continue;
    const std::string where = at_line(path, number);
    std::istringstream fields(line);
    long long id = 0;
    std::string model_name;
    int width = 0, height = 0;
    if (!(fields >> id >> model_name >> width >> height) || width < 1 || height < 1) {
      throw Error("camera line is not 'CAMERA_ID MODEL WIDTH HEIGHT PARAMS...'", where,
                  "fix or remove the line");
    }
    const auto model = colmap_models().find(model_name);
    if (model == colmap_models().end()) {
      for (const char* fisheye : kFisheyeModels) {
        if (model_name == fisheye) {
          throw Error("COLMAP camera model " + model_name + " is a fisheye lens, not a pinhole", where,
                      "undistort the images first (colmap image_undistorter) and convert its PINHOLE model");
        }
      }
      throw Error("unknown COLMAP camera model '" + model_name + "'", where,
                  "use PINHOLE or SIMPLE_PINHOLE (colmap image_undistorter writes them)");
    }
    std::vector<double> parameters;
    for (double value; fields >> value;) parameters.push_back(value);
    if (int(parameters.size()) != model->second.parameters || !fields.eof()) {
      throw Error(model_name + " takes " + std::to_string(model->second.parameters) + " parameters", where,
                  "fix the line");
    }
    if (model->second.distortion) {
      if (!ignore_distortion) {
        throw Error(
            "COLMAP camera model " + model_name + " has lens distortion", where,
            "undistort the images first (colmap image_undistorter), or pass --ignore-distortion to keep "
            "only its pinhole part");
      }
      warnings.push_back("camera " + std::to_string(id) + " (" + model_name + "): lens distortion ignored");
    }
    const bool single = model->second.single_focal;
    const double fx = parameters[0], fy = single ? parameters[0] : parameters[1];
    const double cx = parameters[single ? 1 : 2], cy = parameters[single ? 2 : 3];
    Camera camera;
    camera.with_pinhole(float(fx), float(fy), float(cx), float(cy), width, height);
    camera.validate(where);
    if (!cameras.emplace(id, camera).second)
      throw Error("camera id repeated", where, "give each camera one line");
  }
  return cameras;
}

}  // namespace

ImportedCameras read_colmap_text(const std::filesystem::path& folder, bool ignore_distortion) {
  ImportedCameras result;
  const std::map<long long, Camera> cameras =
      read_colmap_cameras(folder / "cameras.txt", ignore_distortion, result.warnings);
  const std::filesystem::path path = folder / "images.txt";
  std::ifstream in = open_text(path, "a COLMAP text model has images.txt beside cameras.txt");
  // Two lines per image: the pose, then its 2D points (possibly empty, so blank lines count there).
  std::string line;
  bool points_line_next = false;
  for (int number = 1; std::getline(in, line); ++number) {
    if (points_line_next) {
      points_line_next = false;
      continue;
    }
    if (blank_or_comment(line)) continue;
    const std::string where = at_line(path, number);
    std::istringstream fields(line);
    long long image_id = 0, camera_id = 0;
    double qw, qx, qy, qz, tx, ty, tz;
    std::string name;
    if (!(fields >> image_id >> qw >> qx >> qy >> qz >> tx >> ty >> tz >> camera_id >> name)) {
      throw Error("image line is not 'IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME'", where, "fix the line");
    }
    const auto camera = cameras.find(camera_id);
    if (camera == cameras.end()) {
      throw Error("image refers to camera " + std::to_string(camera_id) + ", which cameras.txt lacks", where,
                  "export cameras.txt and images.txt from the same model");
    }
    const glm::dquat rotation(qw, qx, qy, qz);
    const double norm = glm::length(rotation);
    if (!(std::abs(norm - 1.0) < 1e-3)) {
      throw Error("image rotation is not a unit quaternion (|q| = " + std::to_string(norm) + ")", where,
                  "write QW QX QY QZ of a rotation");
    }
    glm::dmat4 world_to_camera(glm::mat3_cast(rotation / norm));
    world_to_camera[3] = glm::dvec4(tx, ty, tz, 1.0);
    CameraEntry entry;
    entry.camera = Camera::from_matrix(world_to_camera, CameraConvention::opencv,
                                       MatrixDirection::world_to_camera, where);
    const Camera& intrinsics = camera->second;
    entry.camera.with_pinhole(intrinsics.fx, intrinsics.fy, intrinsics.cx, intrinsics.cy,
                              intrinsics.image_width, intrinsics.image_height);
    entry.camera.validate(where);
    entry.image = name;
    result.entries.push_back(std::move(entry));
    points_line_next = true;
  }
  if (result.entries.empty())
    throw Error("images.txt lists no image", path.string(), "export a model with images");
  return result;
}

namespace {

// A frame's field, else the file's (nerfstudio and instant-ngp allow both).
const json* field(const json& frame, const json& document, const char* name) {
  if (frame.contains(name)) return &frame[name];
  if (document.contains(name)) return &document[name];
  return nullptr;
}

double number(const json* value, const char* name, const std::string& where) {
  if (!value->is_number())
    throw Error(std::string("'") + name + "' must be a number", where, "use a plain number");
  const double result = value->get<double>();
  if (!std::isfinite(result))
    throw Error(std::string("'") + name + "' is not finite", where, "fix the value");
  return result;
}

void read_nerf_intrinsics(const json& frame, const json& document, Camera& camera, bool ignore_distortion,
                          const std::string& where, ImportedCameras& result) {
  for (const char* term : {"k1", "k2", "k3", "k4", "p1", "p2"}) {
    const json* value = field(frame, document, term);
    if (value == nullptr || number(value, term, where) == 0.0) continue;
    if (!ignore_distortion) {
      throw Error(std::string("transforms.json has lens distortion (") + term + ")", where,
                  "undistort the images first, or pass --ignore-distortion to keep only the pinhole part");
    }
    result.warnings.push_back(where + ": lens distortion ignored");
    break;
  }
  const json* fl_x = field(frame, document, "fl_x");
  const json* fl_y = field(frame, document, "fl_y");
  if (fl_x != nullptr || fl_y != nullptr) {
    const json* w = field(frame, document, "w");
    const json* h = field(frame, document, "h");
    if (w == nullptr || h == nullptr) {
      throw Error("fl_x / fl_y given without the image size 'w', 'h'", where,
                  "add \"w\" and \"h\" in pixels");
    }
    const double width = number(w, "w", where), height = number(h, "h", where);
    const double fx = number(fl_x != nullptr ? fl_x : fl_y, "fl_x", where);
    const double fy = number(fl_y != nullptr ? fl_y : fl_x, "fl_y", where);
    const json* cx = field(frame, document, "cx");
    const json* cy = field(frame, document, "cy");
    camera.with_pinhole(float(fx), float(fy), float(cx != nullptr ? number(cx, "cx", where) : width / 2),
                        float(cy != nullptr ? number(cy, "cy", where) : height / 2), int(std::lround(width)),
                        int(std::lround(height)));
    return;
  }
  const json* angle = field(frame, document, "camera_angle_x");
  if (angle == nullptr) {
    throw Error(
        "transforms.json gives no focal length", where,
        "add \"camera_angle_x\" (horizontal field of view, radians) or \"fl_x\", \"fl_y\", \"w\", \"h\"");
  }
  camera.fov_axis = FovAxis::horizontal;
  camera.fov_degrees = float(glm::degrees(number(angle, "camera_angle_x", where)));
}

}  // namespace

ImportedCameras read_nerf_transforms(const std::filesystem::path& file, bool ignore_distortion) {
  std::ifstream in = open_text(file, "give the path of a transforms.json");
  json document;
  try {
    document = json::parse(in);
  } catch (const json::exception& error) {
    throw Error(std::string("transforms.json is not valid JSON: ") + error.what(), file.string(),
                "fix the JSON syntax");
  }
  if (!document.is_object() || !document.contains("frames") || !document["frames"].is_array() ||
      document["frames"].empty()) {
    throw Error("transforms.json has no \"frames\" list", file.string(), "give one frame per image");
  }
  ImportedCameras result;
  const json& frames = document["frames"];
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const json& frame = frames[i];
    const std::string where = file.string() + ", frame " + std::to_string(i);
    if (!frame.is_object() || !frame.contains("transform_matrix")) {
      throw Error("frame has no \"transform_matrix\"", where, "give its 4x4 camera-to-world matrix");
    }
    const json& rows = frame["transform_matrix"];
    glm::dmat4 camera_to_world(0.0);
    if (!rows.is_array() || rows.size() != 4) {
      throw Error("\"transform_matrix\" must be 4 rows of 4 numbers", where, "write it row by row");
    }
    for (int r = 0; r < 4; ++r) {
      if (!rows[r].is_array() || rows[r].size() != 4) {
        throw Error("\"transform_matrix\" row " + std::to_string(r) + " must hold 4 numbers", where,
                    "fix it");
      }
      for (int c = 0; c < 4; ++c) camera_to_world[c][r] = number(&rows[r][c], "transform_matrix", where);
    }
    CameraEntry entry;
    entry.camera = Camera::from_matrix(camera_to_world, CameraConvention::opengl,
                                       MatrixDirection::camera_to_world, where);
    read_nerf_intrinsics(frame, document, entry.camera, ignore_distortion, where, result);
    entry.camera.validate(where);
    if (frame.contains("file_path")) {
      if (!frame["file_path"].is_string()) throw Error("\"file_path\" must be a string", where, "fix it");
      std::filesystem::path image =
          std::filesystem::path(frame["file_path"].get<std::string>()).lexically_normal();
      if (!image.has_extension()) image += ".png";
      entry.image = image.string();
    }
    result.entries.push_back(std::move(entry));
  }
  return result;
}

}  // namespace penumbra::data
