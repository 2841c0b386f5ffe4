#pragma once
/// Rasterisation settings: image size, the coverage distribution, the silhouette T-conorm and the colour blend.
#include <span>
#include <string>
#include <string_view>

#include <glm/glm.hpp>

#include "penumbra/shading.h"

namespace penumbra {

/// The CDF F that relaxes coverage: D = F(d / sigma) for signed distance d (positive inside). GenDR's set.
enum class Distribution {
  heaviside,
  uniform,
  cubic_hermite,
  wigner_semicircle,
  gaussian,
  laplace,
  logistic,
  hyperbolic_secant,
  cauchy,
  reciprocal,
  gumbel_max,
  gumbel_min,
  exponential,
  exponential_rev,
  gamma,
  gamma_rev,
  levy,
  levy_rev,
};

/// The fuzzy OR that folds coverages into the silhouette alpha A.
enum class Aggregation {
  hard,
  max,
  probabilistic,
  einstein,
  hamacher,
  frank,
  yager,
  aczel_alsina,
  dombi,
  schweizer_sklar,
};

enum class ColorMode {
  softmax,  ///< SoftRas blend over normalised inverse depth with temperature gamma
  hard,     ///< z-buffer: the nearest face whose interior holds the pixel
};

enum class BackFaces { double_sided, cull };

struct RasterSettings {
  int width = 256;   ///< pixels, 1..16384
  int height = 256;  ///< pixels, 1..16384
  Distribution distribution = Distribution::logistic;
  bool squared = true;  ///< use sign * d^2 (SoftRas) instead of the signed distance d
  float sigma = 1e-4f;  ///< scale of the distribution, NDC units (NDC^2 when squared); > 0
  float shape = 1.0f;   ///< gamma / gamma_rev shape p > 0
  float shift = 0.0f;   ///< shift of the distribution's argument: F(d / sigma + shift)
  Aggregation aggregation = Aggregation::probabilistic;
  float p = 2.0f;  ///< T-conorm parameter (hamacher >= 0, frank > 0 and != 1, yager/aczel_alsina/dombi > 0,
                   ///< schweizer_sklar < 0)
  ColorMode colors = ColorMode::softmax;
  float gamma = 1e-4f;         ///< softmax temperature over normalised inverse depth; > 0
  float epsilon = 1e-3f;       ///< background's normalised inverse depth in the softmax
  glm::vec3 background{0.0f};  ///< background colour, linear RGB
  BackFaces back_faces = BackFaces::double_sided;
  float coverage_epsilon = 1e-6f;  ///< coverages D <= this are skipped; it sizes each face's culling radius
                                   ///< (GenDR's rule; for sub-linear generators the skipped faces still add
                                   ///< up to ~1e-3 of alpha)
  /// The shading model, lights and material (unlit by default: the vertex colours, or texture, as they are).
  Shading shading;

  // Where GenDR's forward differs from Penumbra's choices (docs/fidelity.md); gendr_compatible() sets all.
  /// Outside a face, colour and depth use the pixel's barycentrics clipped to [0, 1] and renormalised (GenDR,
  /// SoftRas: well conditioned), or else the closest boundary point's.
  bool clipped_barycentrics = true;
  /// Colours interpolated perspective-correctly (PyTorch3D, nvdiffrast), or else in screen space (GenDR).
  bool perspective_colors = true;
  /// GenDR's shifts: none for the symmetric distributions and gumbel; `_rev` ones are 1 - F(shift - s).
  bool gendr_shifts = false;
  /// GenDR's cut-off: the gamma CDF is 1 (gamma_rev's 0) beyond an argument of 15.
  bool gamma_saturation = false;
  /// A face gives no colour where its interpolated depth lies outside [near, far] (GenDR).
  bool colors_in_depth_range = false;

  /// Sets every choice above the way GenDR makes it, so that images match GenDR's.
  RasterSettings& gendr_compatible();

  /// Throws penumbra::Error naming the setting, its value and the valid range (shading included).
  void validate() const;
};

/// Canonical lower-case names ("logistic", "aczel_alsina", ...), used by the CLI and the viewer.
std::string_view name(Distribution distribution);
std::string_view name(Aggregation aggregation);
std::string_view name(ColorMode mode);
/// Parses a name (also "gudermannian" for hyperbolic_secant); throws penumbra::Error listing the valid names.
Distribution parse_distribution(std::string_view text);
Aggregation parse_aggregation(std::string_view text);
ColorMode parse_color_mode(std::string_view text);

std::span<const Distribution> all_distributions();
std::span<const Aggregation> all_aggregations();

/// One line on a distribution's or aggregation's parameters and defaults, for `penumbra info`.
std::string_view describe(Distribution distribution);
std::string_view describe(Aggregation aggregation);

}  // namespace penumbra
