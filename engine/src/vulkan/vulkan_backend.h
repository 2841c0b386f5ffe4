#pragma once
// The Vulkan compute backend (docs/vulkan.md): face setup, GPU binning into 16x16 tiles, forward per pixel,
// backward per (face, tile) pair with deterministic gathers. See docs/vulkan.md.
#include <memory>
#include <string>

#include "raster_backend.h"

namespace penumbra::detail {

/// What `auto` needs to know before creating anything: whether a Vulkan GPU (not a CPU driver) is present.
struct VulkanProbe {
  bool gpu = false;         ///< a discrete, integrated or virtual GPU is usable
  std::string description;  ///< "<device name> (<type>)", or why no device is usable
};
VulkanProbe probe_vulkan();

/// Creates the backend on the best Vulkan device; `reason` becomes "Vulkan: <device name> (<type>)", followed
/// by
/// "; also found: <name> (<type>), ..." when there are other usable devices.
/// Throws penumbra::Error saying why when there is no driver or no usable device.
std::unique_ptr<RasterBackend> make_vulkan_backend(std::string& reason);

}  // namespace penumbra::detail
