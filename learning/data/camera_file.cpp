#include "penumbra/data/camera_file.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "penumbra/error.h"
#include "penumbra/image.h"

namespace penumbra::data {
namespace {

using nlohmann::json;

// JSON has no NaN or Infinity, but files written by Python's json module hold them as bare words. Quoting
// them lets the entry reader name the entry and field instead of failing with a bare syntax error.
std::string quote_non_finite_words(const std::string& text) {
  static const std::regex word(R"(([\[,:]\s*)(-?(?:NaN|Infinity))(?=\s*[,\]}]))");
  return std::regex_replace(text, word, "$1\"$2\"");
}

void reject_non_finite_word(const json& value, const std::string& field, const std::string& where) {
  if (value.is_string()) {
    const std::string word = value.get<std::string>();
    if (word == "NaN" || word == "Infinity" || word == "-Infinity") {
      throw Error("'" + field + "' holds " + word, where, "give finite numbers");
    }
  }
}

glm::vec3 read_vec3(const json& value, const std::string& field, const std::string& where) {
  if (!value.is_array() || value.size() != 3) {
    throw Error("'" + field + "' must be an array of 3 numbers", where, "write it like [0, 0, -2.7]");
  }
  glm::vec3 v;
  for (int i = 0; i < 3; ++i) {
    reject_non_finite_word(value[i], field, where);
    if (!value[i].is_number()) throw Error("'" + field + "' holds a non-number", where, "use plain numbers");
    v[i] = value[i].get<float>();
  }
  return v;
}

float read_number(const json& entry, const std::string& field, float fallback, const std::string& where) {
  if (!entry.contains(field)) return fallback;
  reject_non_finite_word(entry[field], field, where);
  if (!entry[field].is_number()) throw Error("'" + field + "' must be a number", where, "use a plain number");
  return entry[field].get<float>();
}

double read_element(const json& value, const std::string& field, const std::string& where) {
  reject_non_finite_word(value, field, where);
  if (!value.is_number()) throw Error("'" + field + "' holds a non-number", where, "use plain numbers");
  return value.get<double>();
}

// A matrix of rows x cols numbers written row by row, as glm (column-major) double matrix entries m[col][row].
template <int rows, int cols>
glm::mat<cols, rows, double> read_matrix(const json& value, const std::string& field,
                                         const std::string& where) {
  const std::string shape = std::to_string(rows) + " rows of " + std::to_string(cols) + " numbers";
  if (!value.is_array() || value.size() != rows) {
    throw Error("'" + field + "' must be " + shape, where, "write the matrix row by row");
  }
  glm::mat<cols, rows, double> m(0.0);
  for (int r = 0; r < rows; ++r) {
    if (!value[r].is_array() || value[r].size() != cols) {
      throw Error(
          "'" + field + "' row " + std::to_string(r) + " must hold " + std::to_string(cols) + " numbers",
          where, "fix that row");
    }
    for (int c = 0; c < cols; ++c) m[c][r] = read_element(value[r][c], field, where);
  }
  return m;
}

// A float as the shortest decimal that reads back as the same float (0.1f is written 0.1, not 0.100000001).
json shortest(float value) {
  char text[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(text, sizeof(text), "%.*g", digits, double(value));
    if (std::strtof(text, nullptr) == value) break;
  }
  return std::strtod(text, nullptr);
}

json matrix_rows(const glm::dmat4& m) {
  json rows = json::array();
  for (int r = 0; r < 4; ++r) {
    rows.push_back({shortest(float(m[0][r])), shortest(float(m[1][r])), shortest(float(m[2][r])),
                    shortest(float(m[3][r]))});
  }
  return rows;
}

// nlohmann's indented output puts every number on a line of its own; keep arrays of numbers on one line.
std::string compact_number_arrays(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t close = text.find(']', i);
    if (text[i] == '[' && close != std::string::npos && text.find_first_of("[{", i + 1) > close) {
      std::string inner = text.substr(i + 1, close - i - 1);
      std::string joined;
      for (char c : inner) {
        if (c == '\n' || (c == ' ' && (joined.empty() || joined.back() == ' '))) continue;
        joined += c == ',' ? std::string(", ") : std::string(1, c);
      }
      while (!joined.empty() && joined.back() == ' ') joined.pop_back();
      out += "[" + joined + "]";
      i = close;
      continue;
    }
    out += text[i];
  }
  return out;
}

CameraConvention entry_convention(const json& entry, const std::string& where) {
  if (!entry.contains("convention")) {
    throw Error(
        "camera matrix without a 'convention'", where,
        "add \"convention\": \"opencv\" (x right, y down, z forward; COLMAP), \"opengl\" (x right, y up, "
        "looking down -z; NeRF, Blender) or \"pytorch3d\"");
  }
  if (!entry["convention"].is_string())
    throw Error("'convention' must be a string", where, "e.g. \"opencv\"");
  return parse_convention(entry["convention"].get<std::string>(), where);
}

Camera read_extrinsics(const json& entry, const std::string& where) {
  if (entry.contains("view_matrix")) {
    throw Error("'view_matrix' is not read: its axes were ambiguous", where,
                "write the matrix as \"world_to_camera\" with a \"convention\" (docs/cameras.md)");
  }
  if (entry.contains("world_to_camera") || entry.contains("camera_to_world")) {
    const bool world_to_camera = entry.contains("world_to_camera");
    const std::string field = world_to_camera ? "world_to_camera" : "camera_to_world";
    return Camera::from_matrix(
        read_matrix<4, 4>(entry[field], field, where), entry_convention(entry, where),
        world_to_camera ? MatrixDirection::world_to_camera : MatrixDirection::camera_to_world, where);
  }
  if (entry.contains("R") || entry.contains("T")) {
    if (entry_convention(entry, where) != CameraConvention::pytorch3d) {
      throw Error("'R' and 'T' are read in PyTorch3D's storage only", where,
                  "set \"convention\": \"pytorch3d\", or give a 4x4 \"world_to_camera\"");
    }
    if (!entry.contains("R") || !entry.contains("T")) throw Error("'R' needs 'T'", where, "give both");
    const glm::dvec3 T(read_vec3(entry["T"], "T", where));
    return Camera::from_pytorch3d(read_matrix<3, 3>(entry["R"], "R", where), T, where);
  }
  if (entry.contains("eye")) {
    const glm::vec3 eye = read_vec3(entry["eye"], "eye", where);
    const glm::vec3 at = entry.contains("at") ? read_vec3(entry["at"], "at", where) : glm::vec3(0.0f);
    const glm::vec3 up = entry.contains("up") ? read_vec3(entry["up"], "up", where) : glm::vec3(0, 1, 0);
    return Camera::look_at(eye, at, up);
  }
  throw Error("camera entry has no extrinsics", where,
              "give \"eye\" (look-at), \"world_to_camera\" or \"camera_to_world\" (with a \"convention\")");
}

int read_size(const json& entry, const std::string& field, const std::string& where) {
  if (!entry.contains(field)) {
    throw Error("pixel intrinsics without '" + field + "'", where,
                "give \"width\" and \"height\" of the image fx, fy, cx, cy are measured in");
  }
  if (!entry[field].is_number_integer() || entry[field].get<long long>() < 1 ||
      entry[field].get<long long>() > 65536) {
    throw Error("'" + field + "' must be a whole number of pixels in [1, 65536]", where, "e.g. 256");
  }
  return entry[field].get<int>();
}

void read_intrinsics(const json& entry, Camera& camera, const std::string& where) {
  const bool has_k = entry.contains("K");
  const bool has_pixels =
      entry.contains("fx") || entry.contains("fy") || entry.contains("cx") || entry.contains("cy");
  const int forms = int(has_k) + int(has_pixels) + int(entry.contains("fov")) + int(entry.contains("fov_x")) +
                    int(entry.contains("ortho_scale"));
  if (forms > 1) {
    throw Error("camera entry gives more than one of fov, fov_x, fx/fy/cx/cy, K, ortho_scale", where,
                "keep one of them");
  }
  if (has_k) {
    const glm::dmat3 K = read_matrix<3, 3>(entry["K"], "K", where);
    if (K[1][0] != 0.0 || K[0][1] != 0.0 || K[0][2] != 0.0 || K[1][2] != 0.0 || K[2][2] != 1.0) {
      throw Error("'K' must be [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]", where, "skew is not supported");
    }
    camera.with_pinhole(float(K[0][0]), float(K[1][1]), float(K[2][0]), float(K[2][1]),
                        read_size(entry, "width", where), read_size(entry, "height", where));
  } else if (has_pixels) {
    for (const char* field : {"fx", "fy", "cx", "cy"}) {
      if (!entry.contains(field))
        throw Error(std::string("pixel intrinsics without '") + field + "'", where,
                    "give all of fx, fy, cx, cy (pixels)");
    }
    camera.with_pinhole(read_number(entry, "fx", 0, where), read_number(entry, "fy", 0, where),
                        read_number(entry, "cx", 0, where), read_number(entry, "cy", 0, where),
                        read_size(entry, "width", where), read_size(entry, "height", where));
  } else if (entry.contains("fov_x")) {
    camera.fov_axis = FovAxis::horizontal;
    camera.fov_degrees = read_number(entry, "fov_x", camera.fov_degrees, where);
  } else if (entry.contains("ortho_scale")) {
    camera.projection = Projection::orthographic;
    camera.ortho_scale = read_number(entry, "ortho_scale", camera.ortho_scale, where);
  } else {
    camera.fov_degrees = read_number(entry, "fov", camera.fov_degrees, where);
  }
}

json entry_json(const CameraEntry& entry) {
  const Camera& camera = entry.camera;
  json out = json::object();
  if (camera.model == CameraModel::look_at) {
    out["eye"] = {shortest(camera.eye.x), shortest(camera.eye.y), shortest(camera.eye.z)};
    out["at"] = {shortest(camera.at.x), shortest(camera.at.y), shortest(camera.at.z)};
    out["up"] = {shortest(camera.up.x), shortest(camera.up.y), shortest(camera.up.z)};
  } else {
    out["world_to_camera"] = matrix_rows(camera.world_to_camera(CameraConvention::opencv));
    out["convention"] = "opencv";
  }
  switch (camera.projection) {
    case Projection::perspective:
      out[camera.fov_axis == FovAxis::horizontal ? "fov_x" : "fov"] = shortest(camera.fov_degrees);
      break;
    case Projection::pinhole:
      out["fx"] = shortest(camera.fx);
      out["fy"] = shortest(camera.fy);
      out["cx"] = shortest(camera.cx);
      out["cy"] = shortest(camera.cy);
      out["width"] = camera.image_width;
      out["height"] = camera.image_height;
      break;
    case Projection::orthographic:
      out["ortho_scale"] = shortest(camera.ortho_scale);
      break;
  }
  out["near"] = shortest(camera.near);
  out["far"] = shortest(camera.far);
  if (!entry.image.empty()) out["image"] = entry.image;
  return out;
}

}  // namespace

std::vector<CameraEntry> read_camera_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open camera file", path.string(), "check the path");
  std::stringstream text;
  text << in.rdbuf();
  json document;
  try {
    document = json::parse(quote_non_finite_words(text.str()));
  } catch (const json::exception& error) {
    throw Error(std::string("camera file is not valid JSON: ") + error.what(), path.string(),
                "fix the JSON syntax; numbers must be finite");
  }
  const json& list = document.is_object() && document.contains("cameras") ? document["cameras"] : document;
  if (!list.is_array() || list.empty()) {
    throw Error("camera file holds no camera list", path.string(), "write a JSON array of camera entries");
  }
  std::vector<CameraEntry> entries;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    const std::string where = path.string() + ", camera " + std::to_string(i);
    if (!entry.is_object())
      throw Error("camera entry is not an object", where, "write {\"eye\": [...], ...}");
    CameraEntry result;
    result.camera = read_extrinsics(entry, where);
    read_intrinsics(entry, result.camera, where);
    result.camera.near = read_number(entry, "near", result.camera.near, where);
    result.camera.far = read_number(entry, "far", result.camera.far, where);
    if (entry.contains("image")) {
      if (!entry["image"].is_string()) throw Error("'image' must be a file name", where, "use a string");
      result.image = entry["image"].get<std::string>();
    }
    result.camera.validate(where);
    entries.push_back(std::move(result));
  }
  return entries;
}

void write_camera_file(const std::filesystem::path& path, const std::vector<CameraEntry>& entries) {
  json list = json::array();
  for (const CameraEntry& entry : entries) list.push_back(entry_json(entry));
  write_file_atomically(path, compact_number_arrays(json({{"cameras", list}}).dump(2)) + "\n");
}

CameraConvention parse_convention(const std::string& text, const std::string& where) {
  if (text == "opencv" || text == "colmap") return CameraConvention::opencv;
  if (text == "opengl" || text == "nerf" || text == "blender") return CameraConvention::opengl;
  if (text == "pytorch3d") return CameraConvention::pytorch3d;
  throw Error("unknown camera convention '" + text + "'", where,
              "use opencv (also colmap), opengl (also nerf, blender) or pytorch3d");
}

}  // namespace penumbra::data
