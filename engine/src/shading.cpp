#include "penumbra/shading.h"

#include <charconv>
#include <cmath>
#include <string>

#include "penumbra/error.h"

namespace penumbra {
namespace {

bool finite(glm::vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

// Three comma-separated numbers, or false.
bool parse_triple(std::string_view text, glm::vec3& out) {
  for (int k = 0; k < 3; ++k) {
    const std::size_t comma = k < 2 ? text.find(',') : text.size();
    if (comma == std::string_view::npos) return false;
    const std::string_view item = text.substr(0, comma);
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), out[k]);
    if (error != std::errc() || end != item.data() + item.size() || item.empty()) return false;
    text = k < 2 ? text.substr(comma + 1) : std::string_view();
  }
  return finite(out);
}

}  // namespace

void Shading::validate() const {
  const auto require = [](bool ok, const std::string& what, const std::string& where,
                          const std::string& hint) {
    if (!ok) throw Error(what, where, hint);
  };
  require(lights.size() <= std::size_t(kMaxLights),
          std::to_string(lights.size()) + " lights given, at most " + std::to_string(kMaxLights) +
              " are supported",
          "shading.lights", "merge lights of the same direction or drop the weakest");
  require(finite(ambient), "ambient light is not finite", "shading.ambient", "use values in [0, 1]");
  require(finite(specular), "specular colour is not finite", "shading.specular", "use values in [0, 1]");
  require(std::isfinite(shininess) && shininess >= 1.0f,
          "shininess must be a finite number >= 1, got " + std::to_string(shininess), "shading.shininess",
          "try 32");
  for (std::size_t i = 0; i < lights.size(); ++i) {
    const std::string where = "shading.lights[" + std::to_string(i) + "]";
    require(finite(lights[i].vector) && finite(lights[i].color), "light has a NaN or infinite value", where,
            "give finite directions, positions and colours");
    require(lights[i].kind != LightKind::directional || glm::dot(lights[i].vector, lights[i].vector) > 0.0f,
            "directional light has a zero direction", where,
            "give the direction the light travels, e.g. 0,0,-1");
  }
  for (std::size_t k = 0; k < sh.size(); ++k) {
    require(finite(sh[k]), "spherical-harmonic coefficient is not finite",
            "shading.sh[" + std::to_string(k) + "]", "give finite coefficients");
  }
}

std::string_view name(ShadingModel model) {
  switch (model) {
    case ShadingModel::unlit:
      return "unlit";
    case ShadingModel::lambert:
      return "lambert";
    case ShadingModel::phong:
      return "phong";
    case ShadingModel::sh:
      return "sh";
  }
  return "?";
}

ShadingModel parse_shading_model(std::string_view text) {
  for (ShadingModel model :
       {ShadingModel::unlit, ShadingModel::lambert, ShadingModel::phong, ShadingModel::sh}) {
    if (name(model) == text) return model;
  }
  throw Error("unknown shading model '" + std::string(text) + "'", "shading",
              "use unlit, lambert, phong or sh");
}

Light parse_light(std::string_view text) {
  const Error bad("cannot read light '" + std::string(text) + "'", "light",
                  "write dir:X,Y,Z or point:X,Y,Z, optionally followed by :R,G,B (e.g. dir:0,-1,-1:1,1,1)");
  Light light;
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) throw bad;
  const std::string_view kind = text.substr(0, colon);
  if (kind == "dir" || kind == "directional") {
    light.kind = LightKind::directional;
  } else if (kind == "point") {
    light.kind = LightKind::point;
  } else {
    throw bad;
  }
  std::string_view rest = text.substr(colon + 1);
  const std::size_t second = rest.find(':');
  if (!parse_triple(rest.substr(0, second), light.vector)) throw bad;
  if (second != std::string_view::npos && !parse_triple(rest.substr(second + 1), light.color)) throw bad;
  if (light.kind == LightKind::directional && glm::dot(light.vector, light.vector) == 0.0f) throw bad;
  return light;
}

}  // namespace penumbra
