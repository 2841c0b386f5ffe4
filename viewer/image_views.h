#pragma once
// Turns float images and scalar fields into the RGBA8 pixels that textures take.
#include <array>
#include <cstdint>
#include <vector>

#include "penumbra/image.h"

namespace penumbra::viewer {

/// A perceptual dark-to-bright heat colour (black, purple, orange, yellow) for t in [0, 1] (clamped).
std::array<std::uint8_t, 3> heat_color(float t);

/// One view's RGB composited over a dark grey background by its alpha.
std::vector<std::uint8_t> color_pixels(const Images& images, int view);
/// One view's alpha (the silhouette) as grey.
std::vector<std::uint8_t> silhouette_pixels(const Images& images, int view);
/// |alpha(a) - alpha(b)| of one view as a heat map; both must have the same size.
std::vector<std::uint8_t> difference_pixels(const Images& a, const Images& b, int view);

}  // namespace penumbra::viewer
