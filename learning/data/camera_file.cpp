#include "data/camera_file.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "penumbra/error.h"

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

// A world-to-camera matrix [R | t] becomes a pose; R must be a rotation.
Camera from_view_matrix(const json& rows, const std::string& where) {
  if (!rows.is_array() || rows.size() != 4) {
    throw Error("'view_matrix' must be 4 rows of 4 numbers", where,
                "give the world-to-camera matrix row by row");
  }
  glm::mat3 rotation;
  glm::vec3 translation;
  for (int r = 0; r < 3; ++r) {
    if (!rows[r].is_array() || rows[r].size() != 4) {
      throw Error("'view_matrix' row " + std::to_string(r) + " must hold 4 numbers", where, "fix that row");
    }
    for (int c = 0; c < 4; ++c) {
      reject_non_finite_word(rows[r][c], "view_matrix", where);
      if (!rows[r][c].is_number())
        throw Error("'view_matrix' holds a non-number", where, "use plain numbers");
      const float value = rows[r][c].get<float>();
      if (c < 3)
        rotation[c][r] = value;
      else
        translation[r] = value;
    }
  }
  const glm::mat3 should_be_identity = glm::transpose(rotation) * rotation;
  float error = 0.0f;
  for (int c = 0; c < 3; ++c)
    error = std::max(error, glm::length(should_be_identity[c] - glm::mat3(1.0f)[c]));
  if (!(error < 1e-3f) || glm::determinant(rotation) < 0.0f) {
    throw Error("'view_matrix' does not hold a rotation in its upper 3x3", where,
                "give an orthonormal, right-handed world-to-camera rotation");
  }
  // Axis-angle of the rotation: angle from the trace, axis from the antisymmetric part.
  const float cos_angle =
      std::clamp((rotation[0][0] + rotation[1][1] + rotation[2][2] - 1.0f) / 2.0f, -1.0f, 1.0f);
  const float angle = std::acos(cos_angle);
  glm::vec3 axis(rotation[1][2] - rotation[2][1], rotation[2][0] - rotation[0][2],
                 rotation[0][1] - rotation[1][0]);
  glm::vec3 rotation_vector(0.0f);
  if (angle > 1e-6f && angle < 3.14159f) {
    rotation_vector = axis * (angle / (2.0f * std::sin(angle)));
  } else if (angle >= 3.14159f) {
    // Half turn: the axis is the column of R + I with the largest norm.
    const glm::mat3 sum = rotation + glm::mat3(1.0f);
    int best = 0;
    for (int c = 1; c < 3; ++c) {
      if (glm::length(sum[c]) > glm::length(sum[best])) best = c;
    }
    rotation_vector = glm::normalize(sum[best]) * angle;
  }
  return Camera::from_pose(rotation_vector, translation);
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
    if (entry.contains("view_matrix")) {
      result.camera = from_view_matrix(entry["view_matrix"], where);
    } else if (entry.contains("eye")) {
      const glm::vec3 eye = read_vec3(entry["eye"], "eye", where);
      const glm::vec3 at = entry.contains("at") ? read_vec3(entry["at"], "at", where) : glm::vec3(0.0f);
      const glm::vec3 up = entry.contains("up") ? read_vec3(entry["up"], "up", where) : glm::vec3(0, 1, 0);
      result.camera = Camera::look_at(eye, at, up);
    } else {
      throw Error("camera entry has neither 'eye' nor 'view_matrix'", where, "give one of them");
    }
    result.camera.fov_degrees = read_number(entry, "fov", result.camera.fov_degrees, where);
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

}  // namespace penumbra::data
