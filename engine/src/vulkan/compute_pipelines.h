#pragma once
// The renderer's compute pipelines, built once per device from the SPIR-V embedded at build time. All of
// them share one layout: no descriptor sets, only the push constants of shaders/raster_io.glsl. The per-pixel
// passes are specialised per distribution (shaders/raster_variant.glsl) and built on first use.
#include <vulkan/vulkan.h>

#include <array>
#include <compare>
#include <map>
#include <mutex>
#include <utility>

namespace penumbra::detail::vulkan {

/// One compute shader of shaders/ each.
enum class Pass {
  setup_faces,
  emit_pairs,
  scan_blocks,
  scan_add,
  radix_count,
  radix_scatter,
  tile_ranges,
  forward,
  backward_pairs,
  gather_faces,
  gather_vertices,
};
inline constexpr int kPassCount = 11;

/// The distribution id (penumbra::Distribution) a per-pixel pass is specialised for.
struct Variant {
  int distribution = 0;
  auto operator<=>(const Variant&) const = default;
};

class ComputePipelines {
 public:
  /// Builds the passes that have no variants; throws penumbra::Error if the driver refuses one.
  explicit ComputePipelines(VkDevice device);
  ~ComputePipelines();
  ComputePipelines(const ComputePipelines&) = delete;
  ComputePipelines& operator=(const ComputePipelines&) = delete;

  VkPipelineLayout layout() const { return layout_; }
  /// The pipeline of `pass`; forward and backward_pairs run `variant` (built on its first use, which may
  /// throw penumbra::Error). Safe to call from several threads.
  VkPipeline pipeline(Pass pass, Variant variant);

 private:
  VkPipeline build(Pass pass, const VkSpecializationInfo* specialization) const;
  void release();

  VkDevice device_;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  std::array<VkPipeline, kPassCount> generic_{};
  std::map<std::pair<Pass, Variant>, VkPipeline> specialised_;
  std::mutex mutex_;
};

}  // namespace penumbra::detail::vulkan
