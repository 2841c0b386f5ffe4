#pragma once
/// Pictures of a fit for people to look at: RGBA renders composited over a grey checkerboard (so a white
/// silhouette and a transparent background both show on a white page), and a target | result | difference
/// grid.
#include "penumbra/image.h"

namespace penumbra::learning {

/// Every view composited over a checkerboard of 0.4 and 0.6 grey (cells of max(4, width / 16) pixels);
/// alpha of the result is 1.
Images over_checkerboard(const Images& images);

/// One view: a row per view of the two batches (same shape), each row target | result | |target - result|,
/// the first two over the checkerboard, the difference of those two composites per channel on black, with
/// 2-pixel white gaps. Throws penumbra::Error if the shapes differ.
Images comparison_grid(const Images& targets, const Images& results);

}  // namespace penumbra::learning
