#pragma once
/// Evaluation metrics of a fit: hard silhouette IoU, RGB PSNR and the symmetric Chamfer distance.
#include <cstdint>

#include "penumbra/image.h"
#include "penumbra/mesh.h"

namespace penumbra::learning {

/// IoU of the masks alpha > 0.5, pooled over all pixels of all views; 1 when both masks are empty.
double silhouette_iou(const Images& pred, const Images& target);

/// 10 log10(1 / MSE) over the RGB channels of all pixels (values in [0, 1]); capped at 100 dB when equal.
double psnr_db(const Images& pred, const Images& target);

/// Symmetric Chamfer distance between the surfaces of `a` and `b`, in the meshes' own units (no
/// normalisation is applied here; fits pass meshes normalised to the unit sphere): `samples` points drawn
/// uniformly by area on each surface (fixed `seed`), then mean over a's points of the squared distance to
/// the nearest of b's points plus the same from b to a (PyTorch3D's chamfer_distance convention).
double chamfer_distance(const Mesh& a, const Mesh& b, int samples = 10000, std::uint64_t seed = 7);

}  // namespace penumbra::learning
