#include "number_checks.h"
#include "raster_options.h"

#include <charconv>
#include <cstdio>

#include "penumbra/error.h"

namespace penumbra::cli {

float default_sigma(bool squared) { return squared ? 1e-4f : 0.01f; }

void RasterOptions::add_to(CLI::App& command) {
  command.add_option("--size", size, "Image size S (SxS) or WxH")->capture_default_str();
  command.add_option("--distribution", distribution, "Coverage distribution (see `penumbra info`)")
      ->capture_default_str();
  command.add_flag("--squared", squared, "Use the squared signed distance (SoftRas style)");
  command
      .add_option("--sigma", sigma,
                  "Distribution scale in NDC units (NDC^2 with --squared); default 0.01, 1e-4 with --squared")
      ->check(in_range(1e-12, 100));
  command.add_option("--shape", shape, "Shape p of gamma / gamma_rev")
      ->capture_default_str()
      ->check(in_range(0.001, 1000));
  command.add_option("--shift", shift, "Shift of the distribution's argument")
      ->capture_default_str()
      ->check(in_range(-100, 100));
  command.add_option("--aggregation", aggregation, "Silhouette T-conorm (see `penumbra info`)")
      ->capture_default_str();
  command.add_option("--p", p, "T-conorm parameter")
      ->capture_default_str()
      ->check(in_range(-10000, 1000000.0));
  command.add_option("--gamma", gamma, "Softmax depth temperature")
      ->capture_default_str()
      ->check(in_range(1e-12, 100));
  command.add_option("--colors", colors, "Colour blend: softmax or hard")->capture_default_str();
  command.add_flag("--cull-back-faces", cull_back_faces, "Leave back faces out of the colour blend");
  command
      .add_option("--compat", compat,
                  "penumbra, or gendr: GenDR's forward exactly (screen-space colours, its shifts, the gamma "
                  "cut-off, no colour beyond far; docs/fidelity.md)")
      ->capture_default_str();
  command.add_option("--backend", backend, "cpu, vulkan, cuda or auto")->capture_default_str();
}

float RasterOptions::sigma_or_default() const { return sigma.value_or(default_sigma(squared)); }

RasterSettings RasterOptions::settings() const {
  RasterSettings s;
  parse_size(size, "--size", s.width, s.height);
  s.distribution = parse_distribution(distribution);
  s.squared = squared;
  s.sigma = sigma_or_default();
  s.shape = shape;
  s.shift = shift;
  s.aggregation = parse_aggregation(aggregation);
  s.p = p;
  s.gamma = gamma;
  s.colors = parse_color_mode(colors);
  s.back_faces = cull_back_faces ? BackFaces::cull : BackFaces::double_sided;
  if (compat == "gendr") {
    s.gendr_compatible();
  } else if (compat != "penumbra") {
    throw Error("unknown compatibility '" + compat + "'", "--compat", "use penumbra or gendr");
  }
  s.validate();
  return s;
}

Backend RasterOptions::parsed_backend() const { return parse_backend(backend); }

void parse_size(const std::string& text, const std::string& flag, int& width, int& height) {
  auto parse = [](std::string_view part, int& value) {
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    return error == std::errc() && end == part.data() + part.size();
  };
  const auto x = text.find('x');
  const bool ok = x == std::string::npos ? parse(text, width) && parse(text, height)
                                         : parse(std::string_view(text).substr(0, x), width) &&
                                               parse(std::string_view(text).substr(x + 1), height);
  if (!ok) throw Error("'" + text + "' is not S or WIDTHxHEIGHT", flag, "write it like 128 or 256x192");
}

Mesh load_mesh_argument(const std::string& argument, bool normalize, const std::string& flag,
                        bool keep_texture) {
  const std::string prefix = "icosphere:";
  if (argument.rfind(prefix, 0) != 0) {
    Mesh mesh = load_mesh(argument);
    if (mesh.has_texture() && !keep_texture) {
      bake_texture_to_colors(mesh);
      std::fprintf(stderr,
                   "penumbra: note: %s: texture baked to vertex colours (the renderer shades with "
                   "vertex colours)\n",
                   argument.c_str());
    }
    if (normalize) normalize_to_unit_sphere(mesh);
    return mesh;
  }
  int level = -1;
  const std::string_view digits = std::string_view(argument).substr(prefix.size());
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), level);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    throw Error("'" + argument + "' is not icosphere:LEVEL", flag, "write e.g. icosphere:3");
  }
  return icosphere(level);
}

}  // namespace penumbra::cli
