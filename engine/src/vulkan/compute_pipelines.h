#pragma once
// The renderer's compute pipelines, built once per device from the SPIR-V embedded at build time. All of
// them share one layout: no descriptor sets, only the push constants of shaders/raster_io.glsl.
#include <array>

#include <vulkan/vulkan.h>

namespace penumbra::vulkan {

/// One compute shader of shaders/ each.
enum class Pass {
  setup_faces, emit_pairs, scan_blocks, scan_add, radix_count, radix_scatter, tile_ranges,
  forward, backward_pairs, gather_faces, gather_vertices,
};
inline constexpr int kPassCount = 11;

class ComputePipelines {
 public:
  /// Builds every pass; throws penumbra::Error if the driver refuses one.
  explicit ComputePipelines(VkDevice device);
  ~ComputePipelines();
  ComputePipelines(const ComputePipelines&) = delete;
  ComputePipelines& operator=(const ComputePipelines&) = delete;

  VkPipelineLayout layout() const { return layout_; }
  VkPipeline pipeline(Pass pass) const { return pipelines_[static_cast<int>(pass)]; }

 private:
  void release();

  VkDevice device_;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  std::array<VkPipeline, kPassCount> pipelines_{};
};

}  // namespace penumbra::vulkan
