#include "number_checks.h"
#include "shading_options.h"

#include <charconv>
#include <cstdio>

#include "penumbra/error.h"

namespace penumbra::cli {
namespace {

// Comma-separated numbers, exactly `count` of them.
std::vector<float> parse_numbers(const std::string& text, std::size_t count, const std::string& flag) {
  std::vector<float> values;
  std::string_view rest = text;
  while (!rest.empty() || values.size() < count) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    float value = 0.0f;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || error != std::errc() || end != item.data() + item.size() || !std::isfinite(value)) {
      break;
    }
    values.push_back(value);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (comma == std::string_view::npos) break;
  }
  if (values.size() != count || !rest.empty()) {
    throw Error("'" + text + "' is not " + std::to_string(count) + " comma-separated finite numbers", flag,
                count == 3 ? "write it like 0.3,0.3,0.3"
                           : "give the 27 coefficients as r,g,b of Y00, then Y1-1, ...");
  }
  return values;
}

glm::vec3 parse_color(const std::string& text, const std::string& flag) {
  const std::vector<float> v = parse_numbers(text, 3, flag);
  return {v[0], v[1], v[2]};
}

bool shades(Backend backend) { return backend == Backend::cpu; }

}  // namespace

void ShadingOptions::add_to(CLI::App& command) {
  command.add_option("--shading", model,
                     "unlit, lambert, phong or sh (default lambert; unlit on backends other than cpu)");
  command.add_option("--light", lights,
                     "A light, repeatable (at most 4): dir:X,Y,Z[:R,G,B] travelling along X,Y,Z, or "
                     "point:X,Y,Z[:R,G,B] at world position X,Y,Z; default: white, over the left shoulder of "
                     "the first camera");
  command.add_option("--ambient", ambient, "Ambient light R,G,B (lambert, phong)")->capture_default_str();
  command.add_option("--specular", specular, "Specular colour R,G,B (phong)")->capture_default_str();
  command.add_option("--shininess", shininess, "Blinn-Phong exponent >= 1 (phong)")
      ->capture_default_str()
      ->check(in_range(1, 10000));
  command.add_option(
      "--sh", sh,
      "27 spherical-harmonic irradiance coefficients (sh): r,g,b of Y00, Y1-1, Y10, Y11, Y2-2, "
      "Y2-1, Y20, Y21, Y22; default: a sky brighter above");
  command.add_flag("--flat-normals", flat,
                   "Light each face by its own normal instead of smooth vertex normals");
  command.add_flag("--bake-texture", bake_texture,
                   "Bake the mesh's texture into vertex colours instead of sampling it per pixel");
}

Shading ShadingOptions::shading(Backend backend, const Camera& first_camera) const {
  Shading s;
  s.model =
      model ? parse_shading_model(*model) : (shades(backend) ? ShadingModel::lambert : ShadingModel::unlit);
  s.ambient = parse_color(ambient, "--ambient");
  s.specular = parse_color(specular, "--specular");
  s.shininess = shininess;
  s.normals = flat ? NormalMode::flat : NormalMode::smooth;
  for (const std::string& light : lights) s.lights.push_back(parse_light(light));
  if (lights.empty()) {
    // From behind the camera, up and to the left: travelling forward, down and right in its frame.
    const glm::vec3 forward = glm::normalize(first_camera.at - first_camera.eye);
    const glm::vec3 right = glm::normalize(glm::cross(forward, first_camera.up));
    const glm::vec3 up = glm::cross(right, forward);
    const glm::vec3 direction = first_camera.model == CameraModel::look_at
                                    ? forward + 0.6f * right - 0.8f * up
                                    : glm::vec3(0.3f, -0.8f, -0.5f);
    s.lights.push_back({LightKind::directional, direction, glm::vec3(0.75f)});
  }
  if (sh.empty()) {
    // A uniform 0.35 plus 0.45 more from above (+y): irradiance 0.35 + 0.45 (1 + n.y) / 2.
    s.sh[0] = glm::vec3((0.35f + 0.225f) / 0.282095f);
    s.sh[1] = glm::vec3(0.225f / 0.488603f);
  } else {
    const std::vector<float> v = parse_numbers(sh, 27, "--sh");
    for (std::size_t k = 0; k < 9; ++k) s.sh[k] = {v[3 * k], v[3 * k + 1], v[3 * k + 2]};
  }
  s.validate();
  return s;
}

void ShadingOptions::prepare_texture(Mesh& mesh, Shading& shading, Backend backend,
                                     const std::string& mesh_name) const {
  if (!mesh.has_texture()) return;
  if (bake_texture || !shades(backend)) {
    bake_texture_to_colors(mesh);
    std::fprintf(stderr, "penumbra: note: %s: texture baked to vertex colours%s\n", mesh_name.c_str(),
                 bake_texture ? "" : " (the cpu backend samples it per pixel)");
  } else {
    shading.use_texture = true;
  }
}

}  // namespace penumbra::cli
