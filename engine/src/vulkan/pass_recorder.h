#pragma once
// Records the renderer's compute passes into one command buffer: dispatches with their push constants,
// the barriers between passes, and the GPU exclusive prefix sum that binning and sorting build on.
#include <vulkan/vulkan.h>

#include <cstdint>

#include "raster_layout.h"
#include "vulkan/compute_pipelines.h"

namespace penumbra::detail::vulkan {

class PassRecorder {
 public:
  /// Every dispatch gets `scene` (the address of the io::Scene block) in its push constants; the per-pixel
  /// passes run their `variant`.
  PassRecorder(VkCommandBuffer commands, ComputePipelines& pipelines, VkDeviceAddress scene, Variant variant);

  /// `invocations` of a one-dimensional pass (workgroups of kGroupSize), repeated for `layers` (views) in z.
  void dispatch_linear(Pass pass, std::uint64_t invocations, std::uint32_t layers = 1,
                       io::PushArgs args = {});
  /// A pass with explicit workgroup counts.
  void dispatch_groups(Pass pass, std::uint32_t x, std::uint32_t y, std::uint32_t z, io::PushArgs args = {});

  /// Makes every shader write so far visible to the passes recorded next.
  void compute_barrier();
  /// From transfers (uploads) to shaders, from shaders to transfers (readback), from transfers to the host.
  void transfer_to_compute_barrier();
  void compute_to_transfer_barrier();
  void transfer_to_host_barrier();

  /// In-place exclusive prefix sum of `count` uints at `data`, using `scratch` of scan_scratch_words(count).
  void exclusive_scan(VkDeviceAddress data, std::uint64_t count, VkDeviceAddress scratch);
  static std::uint64_t scan_scratch_words(std::uint64_t count);

 private:
  void memory_barrier(VkPipelineStageFlags source_stage, VkAccessFlags source_access,
                      VkPipelineStageFlags destination_stage, VkAccessFlags destination_access);

  VkCommandBuffer commands_;
  ComputePipelines& pipelines_;
  VkDeviceAddress scene_;
  Variant variant_;
};

}  // namespace penumbra::detail::vulkan
