#pragma once
// The CPU backend's loops run on the core layer's parallel_for.
#include "penumbra/core/parallel_for.h"

namespace penumbra::detail {
using core::parallel_for;
}  // namespace penumbra::detail
