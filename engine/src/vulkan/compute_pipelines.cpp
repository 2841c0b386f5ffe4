#include "vulkan/compute_pipelines.h"

#include <cstddef>
#include <cstdint>

#include "raster_layout.h"
#include "vulkan_error.h"

// SPIR-V modules embedded by penumbra_embed_shaders (cmake/PenumbraShaders.cmake).
#define PENUMBRA_EMBEDDED_SHADER(name)          \
  extern const std::uint32_t name##_comp_spv[]; \
  extern const std::size_t name##_comp_spv_size;
PENUMBRA_EMBEDDED_SHADER(setup_faces)
PENUMBRA_EMBEDDED_SHADER(emit_pairs)
PENUMBRA_EMBEDDED_SHADER(scan_blocks)
PENUMBRA_EMBEDDED_SHADER(scan_add)
PENUMBRA_EMBEDDED_SHADER(radix_count)
PENUMBRA_EMBEDDED_SHADER(radix_scatter)
PENUMBRA_EMBEDDED_SHADER(tile_ranges)
PENUMBRA_EMBEDDED_SHADER(forward)
PENUMBRA_EMBEDDED_SHADER(backward_pairs)
PENUMBRA_EMBEDDED_SHADER(gather_faces)
PENUMBRA_EMBEDDED_SHADER(gather_vertices)
#undef PENUMBRA_EMBEDDED_SHADER

namespace penumbra::detail::vulkan {
namespace {

struct ShaderCode {
  const std::uint32_t* words;
  std::size_t bytes;
};

// In the order of enum Pass.
const std::array<ShaderCode, kPassCount> kShaders = {{
    {setup_faces_comp_spv, setup_faces_comp_spv_size},
    {emit_pairs_comp_spv, emit_pairs_comp_spv_size},
    {scan_blocks_comp_spv, scan_blocks_comp_spv_size},
    {scan_add_comp_spv, scan_add_comp_spv_size},
    {radix_count_comp_spv, radix_count_comp_spv_size},
    {radix_scatter_comp_spv, radix_scatter_comp_spv_size},
    {tile_ranges_comp_spv, tile_ranges_comp_spv_size},
    {forward_comp_spv, forward_comp_spv_size},
    {backward_pairs_comp_spv, backward_pairs_comp_spv_size},
    {gather_faces_comp_spv, gather_faces_comp_spv_size},
    {gather_vertices_comp_spv, gather_vertices_comp_spv_size},
}};

bool is_specialised(Pass pass) { return pass == Pass::forward || pass == Pass::backward_pairs; }

}  // namespace

ComputePipelines::ComputePipelines(VkDevice device) : device_(device) {
  try {
    VkPushConstantRange push{};
    push.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    push.size = sizeof(io::PushArgs);
    VkPipelineLayoutCreateInfo layout_info{};
    layout_info.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
    layout_info.pushConstantRangeCount = 1;
    layout_info.pPushConstantRanges = &push;
    check(vkCreatePipelineLayout(device_, &layout_info, nullptr, &layout_), "vkCreatePipelineLayout");
    for (int pass = 0; pass < kPassCount; ++pass) {
      if (!is_specialised(Pass(pass))) generic_[pass] = build(Pass(pass), nullptr);
    }
  } catch (...) {
    release();
    throw;
  }
}

ComputePipelines::~ComputePipelines() { release(); }

VkPipeline ComputePipelines::pipeline(Pass pass, Variant variant) {
  if (!is_specialised(pass)) return generic_[static_cast<int>(pass)];
  std::lock_guard lock(mutex_);
  const auto key = std::make_pair(pass, variant);
  if (const auto found = specialised_.find(key); found != specialised_.end()) return found->second;
  // Constant id 0 of shaders/raster_variant.glsl.
  const VkSpecializationMapEntry entry{0, offsetof(Variant, distribution), sizeof(int)};
  VkSpecializationInfo specialization{};
  specialization.mapEntryCount = 1;
  specialization.pMapEntries = &entry;
  specialization.dataSize = sizeof(Variant);
  specialization.pData = &variant;
  return specialised_[key] = build(pass, &specialization);
}

VkPipeline ComputePipelines::build(Pass pass, const VkSpecializationInfo* specialization) const {
  const ShaderCode& code = kShaders[static_cast<int>(pass)];
  VkShaderModuleCreateInfo module_info{};
  module_info.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
  module_info.codeSize = code.bytes;
  module_info.pCode = code.words;
  VkShaderModule module = VK_NULL_HANDLE;
  check(vkCreateShaderModule(device_, &module_info, nullptr, &module), "vkCreateShaderModule");
  VkComputePipelineCreateInfo pipeline_info{};
  pipeline_info.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
  pipeline_info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  pipeline_info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  pipeline_info.stage.module = module;
  pipeline_info.stage.pName = "main";
  pipeline_info.stage.pSpecializationInfo = specialization;
  pipeline_info.layout = layout_;
  VkPipeline pipeline = VK_NULL_HANDLE;
  const VkResult result =
      vkCreateComputePipelines(device_, VK_NULL_HANDLE, 1, &pipeline_info, nullptr, &pipeline);
  // The module is only needed while the pipeline is created.
  vkDestroyShaderModule(device_, module, nullptr);
  check(result, "vkCreateComputePipelines");
  return pipeline;
}

void ComputePipelines::release() {
  for (VkPipeline& pipeline : generic_) {
    if (pipeline != VK_NULL_HANDLE) vkDestroyPipeline(device_, pipeline, nullptr);
    pipeline = VK_NULL_HANDLE;
  }
  for (auto& [key, pipeline] : specialised_) vkDestroyPipeline(device_, pipeline, nullptr);
  specialised_.clear();
  if (layout_ != VK_NULL_HANDLE) vkDestroyPipelineLayout(device_, layout_, nullptr);
  layout_ = VK_NULL_HANDLE;
}

}  // namespace penumbra::detail::vulkan
