#include "ui_renderer.h"

#include <algorithm>
#include <cstring>

#include "vulkan_check.h"
#include "vulkan_context.h"

extern const uint32_t ui_vert_spv[];
extern const std::size_t ui_vert_spv_size;
extern const uint32_t ui_frag_spv[];
extern const std::size_t ui_frag_spv_size;

namespace penumbra::viewer {

namespace {

constexpr std::uint32_t kMaxTextures = 256;

struct ShaderModule {
  VkDevice device;
  VkShaderModule module = VK_NULL_HANDLE;
  ShaderModule(VkDevice device_, const std::uint32_t* code, std::size_t size) : device(device_) {
    VkShaderModuleCreateInfo info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    info.codeSize = size;
    info.pCode = code;
    check(vkCreateShaderModule(device, &info, nullptr, &module), "vkCreateShaderModule");
  }
  ~ShaderModule() { vkDestroyShaderModule(device, module, nullptr); }
  ShaderModule(const ShaderModule&) = delete;
  ShaderModule& operator=(const ShaderModule&) = delete;
};

// Grows `buffer` to hold at least `size` bytes, doubling to keep reallocations rare.
void reserve(const VulkanContext& context, HostBuffer& buffer, VkDeviceSize size, VkBufferUsageFlags usage) {
  if (buffer.size() >= size) return;
  VkDeviceSize capacity = buffer.size() ? buffer.size() : 64 * 1024;
  while (capacity < size) capacity *= 2;
  buffer = HostBuffer(context, capacity, usage);
}

}  // namespace

UiRenderer::UiRenderer(const VulkanContext& context, VkRenderPass render_pass) : context_(context) {
  const VkDevice device = context.device();
  try {
    VkSamplerCreateInfo sampler{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    sampler.magFilter = VK_FILTER_LINEAR;
    sampler.minFilter = VK_FILTER_LINEAR;
    sampler.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
    sampler.addressModeU = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    sampler.addressModeV = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    sampler.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    sampler.maxLod = 0.0f;
    check(vkCreateSampler(device, &sampler, nullptr, &binding_.sampler), "vkCreateSampler");

    VkDescriptorSetLayoutBinding image{};
    image.binding = 0;
    image.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    image.descriptorCount = 1;
    image.stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT;
    VkDescriptorSetLayoutCreateInfo layout{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    layout.bindingCount = 1;
    layout.pBindings = &image;
    check(vkCreateDescriptorSetLayout(device, &layout, nullptr, &binding_.layout),
          "vkCreateDescriptorSetLayout");

    VkDescriptorPoolSize pool_size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, kMaxTextures};
    VkDescriptorPoolCreateInfo pool{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    // Textures are made and dropped as images change size, so sets are freed one by one.
    pool.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
    pool.maxSets = kMaxTextures;
    pool.poolSizeCount = 1;
    pool.pPoolSizes = &pool_size;
    check(vkCreateDescriptorPool(device, &pool, nullptr, &binding_.pool), "vkCreateDescriptorPool");

    create_pipeline(render_pass);

    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    font_ = std::make_unique<Texture>(context, binding_, width, height);
    font_->update(pixels);
    io.Fonts->SetTexID(font_->id());
    io.BackendRendererName = "penumbra_vulkan";
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  } catch (...) {
    release();
    throw;
  }
}

UiRenderer::~UiRenderer() { release(); }

void UiRenderer::release() {
  const VkDevice device = context_.device();
  font_.reset();
  if (pipeline_) vkDestroyPipeline(device, pipeline_, nullptr);
  if (pipeline_layout_) vkDestroyPipelineLayout(device, pipeline_layout_, nullptr);
  if (binding_.pool) vkDestroyDescriptorPool(device, binding_.pool, nullptr);
  if (binding_.layout) vkDestroyDescriptorSetLayout(device, binding_.layout, nullptr);
  if (binding_.sampler) vkDestroySampler(device, binding_.sampler, nullptr);
  pipeline_ = VK_NULL_HANDLE;
  pipeline_layout_ = VK_NULL_HANDLE;
  binding_ = {};
}

void UiRenderer::create_pipeline(VkRenderPass render_pass) {
  const VkDevice device = context_.device();
  VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT, 0, 4 * sizeof(float)};
  VkPipelineLayoutCreateInfo layout{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  layout.setLayoutCount = 1;
  layout.pSetLayouts = &binding_.layout;
  layout.pushConstantRangeCount = 1;
  layout.pPushConstantRanges = &push;
  check(vkCreatePipelineLayout(device, &layout, nullptr, &pipeline_layout_), "vkCreatePipelineLayout");

  const ShaderModule vertex(device, ui_vert_spv, ui_vert_spv_size);
  const ShaderModule fragment(device, ui_frag_spv, ui_frag_spv_size);
  VkPipelineShaderStageCreateInfo stages[2] = {{VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO},
                                               {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO}};
  stages[0].stage = VK_SHADER_STAGE_VERTEX_BIT;
  stages[0].module = vertex.module;
  stages[0].pName = "main";
  stages[1].stage = VK_SHADER_STAGE_FRAGMENT_BIT;
  stages[1].module = fragment.module;
  stages[1].pName = "main";

  VkVertexInputBindingDescription vertex_binding{0, sizeof(ImDrawVert), VK_VERTEX_INPUT_RATE_VERTEX};
  VkVertexInputAttributeDescription attributes[3] = {
      {0, 0, VK_FORMAT_R32G32_SFLOAT, std::uint32_t(offsetof(ImDrawVert, pos))},
      {1, 0, VK_FORMAT_R32G32_SFLOAT, std::uint32_t(offsetof(ImDrawVert, uv))},
      {2, 0, VK_FORMAT_R8G8B8A8_UNORM, std::uint32_t(offsetof(ImDrawVert, col))},
  };
  VkPipelineVertexInputStateCreateInfo vertex_input{
      VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
  vertex_input.vertexBindingDescriptionCount = 1;
  vertex_input.pVertexBindingDescriptions = &vertex_binding;
  vertex_input.vertexAttributeDescriptionCount = 3;
  vertex_input.pVertexAttributeDescriptions = attributes;

  VkPipelineInputAssemblyStateCreateInfo assembly{
      VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO};
  assembly.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST;
  VkPipelineViewportStateCreateInfo viewport{VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO};
  viewport.viewportCount = 1;
  viewport.scissorCount = 1;
  VkPipelineRasterizationStateCreateInfo raster{VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO};
  raster.polygonMode = VK_POLYGON_MODE_FILL;
  raster.cullMode = VK_CULL_MODE_NONE;
  raster.frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE;
  raster.lineWidth = 1.0f;
  VkPipelineMultisampleStateCreateInfo multisample{VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO};
  multisample.rasterizationSamples = VK_SAMPLE_COUNT_1_BIT;
  // ImGui blends in straight alpha: colour over, alpha accumulated for the swapchain.
  VkPipelineColorBlendAttachmentState blend{};
  blend.blendEnable = VK_TRUE;
  blend.srcColorBlendFactor = VK_BLEND_FACTOR_SRC_ALPHA;
  blend.dstColorBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
  blend.colorBlendOp = VK_BLEND_OP_ADD;
  blend.srcAlphaBlendFactor = VK_BLEND_FACTOR_ONE;
  blend.dstAlphaBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
  blend.alphaBlendOp = VK_BLEND_OP_ADD;
  blend.colorWriteMask = VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT | VK_COLOR_COMPONENT_B_BIT |
                         VK_COLOR_COMPONENT_A_BIT;
  VkPipelineColorBlendStateCreateInfo color_blend{VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO};
  color_blend.attachmentCount = 1;
  color_blend.pAttachments = &blend;
  VkPipelineDepthStencilStateCreateInfo depth{VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO};
  const VkDynamicState dynamic_states[] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
  VkPipelineDynamicStateCreateInfo dynamic{VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO};
  dynamic.dynamicStateCount = 2;
  dynamic.pDynamicStates = dynamic_states;

  VkGraphicsPipelineCreateInfo info{VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO};
  info.stageCount = 2;
  info.pStages = stages;
  info.pVertexInputState = &vertex_input;
  info.pInputAssemblyState = &assembly;
  info.pViewportState = &viewport;
  info.pRasterizationState = &raster;
  info.pMultisampleState = &multisample;
  info.pDepthStencilState = &depth;
  info.pColorBlendState = &color_blend;
  info.pDynamicState = &dynamic;
  info.layout = pipeline_layout_;
  info.renderPass = render_pass;
  check(vkCreateGraphicsPipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline_),
        "vkCreateGraphicsPipelines");
}

void UiRenderer::record_uploads(VkCommandBuffer commands) { font_->record_upload(commands); }

void UiRenderer::record_draws(ImDrawData* draw_data, VkCommandBuffer commands) {
  const float fb_width = draw_data->DisplaySize.x * draw_data->FramebufferScale.x;
  const float fb_height = draw_data->DisplaySize.y * draw_data->FramebufferScale.y;
  if (fb_width <= 0 || fb_height <= 0 || draw_data->TotalVtxCount == 0) return;

  // Every list's vertices and indices back to back in one buffer each.
  const VkDeviceSize vertex_bytes = VkDeviceSize(draw_data->TotalVtxCount) * sizeof(ImDrawVert);
  const VkDeviceSize index_bytes = VkDeviceSize(draw_data->TotalIdxCount) * sizeof(ImDrawIdx);
  reserve(context_, vertices_, vertex_bytes, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT);
  reserve(context_, indices_, index_bytes, VK_BUFFER_USAGE_INDEX_BUFFER_BIT);
  auto* vertex_out = static_cast<ImDrawVert*>(vertices_.data());
  auto* index_out = static_cast<ImDrawIdx*>(indices_.data());
  for (int n = 0; n < draw_data->CmdListsCount; ++n) {
    const ImDrawList* list = draw_data->CmdLists[n];
    std::memcpy(vertex_out, list->VtxBuffer.Data, list->VtxBuffer.Size * sizeof(ImDrawVert));
    std::memcpy(index_out, list->IdxBuffer.Data, list->IdxBuffer.Size * sizeof(ImDrawIdx));
    vertex_out += list->VtxBuffer.Size;
    index_out += list->IdxBuffer.Size;
  }

  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_);
  const VkBuffer vertex_buffer = vertices_.buffer();
  const VkDeviceSize zero = 0;
  vkCmdBindVertexBuffers(commands, 0, 1, &vertex_buffer, &zero);
  vkCmdBindIndexBuffer(commands, indices_.buffer(), 0,
                       sizeof(ImDrawIdx) == 2 ? VK_INDEX_TYPE_UINT16 : VK_INDEX_TYPE_UINT32);
  const VkViewport viewport{0.0f, 0.0f, fb_width, fb_height, 0.0f, 1.0f};
  vkCmdSetViewport(commands, 0, 1, &viewport);
  // Maps ImGui's pixel coordinates (origin DisplayPos) to clip space [-1, 1].
  const float transform[4] = {2.0f / draw_data->DisplaySize.x, 2.0f / draw_data->DisplaySize.y,
                              -1.0f - draw_data->DisplayPos.x * 2.0f / draw_data->DisplaySize.x,
                              -1.0f - draw_data->DisplayPos.y * 2.0f / draw_data->DisplaySize.y};
  vkCmdPushConstants(commands, pipeline_layout_, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(transform), transform);

  const ImVec2 origin = draw_data->DisplayPos;
  const ImVec2 scale = draw_data->FramebufferScale;
  int vertex_base = 0;
  int index_base = 0;
  VkDescriptorSet bound = VK_NULL_HANDLE;
  for (int n = 0; n < draw_data->CmdListsCount; ++n) {
    const ImDrawList* list = draw_data->CmdLists[n];
    for (const ImDrawCmd& command : list->CmdBuffer) {
      // Clip rectangle in framebuffer pixels, clamped to the framebuffer.
      const float x0 = std::max((command.ClipRect.x - origin.x) * scale.x, 0.0f);
      const float y0 = std::max((command.ClipRect.y - origin.y) * scale.y, 0.0f);
      const float x1 = std::min((command.ClipRect.z - origin.x) * scale.x, fb_width);
      const float y1 = std::min((command.ClipRect.w - origin.y) * scale.y, fb_height);
      if (x1 <= x0 || y1 <= y0) continue;
      const VkRect2D scissor{{std::int32_t(x0), std::int32_t(y0)},
                             {std::uint32_t(x1 - x0), std::uint32_t(y1 - y0)}};
      vkCmdSetScissor(commands, 0, 1, &scissor);
      const auto set = reinterpret_cast<VkDescriptorSet>(command.GetTexID());
      if (set != bound) {
        vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 0, 1, &set, 0,
                                nullptr);
        bound = set;
      }
      vkCmdDrawIndexed(commands, command.ElemCount, 1, index_base + command.IdxOffset,
                       vertex_base + std::int32_t(command.VtxOffset), 0);
    }
    vertex_base += list->VtxBuffer.Size;
    index_base += list->IdxBuffer.Size;
  }
}

}  // namespace penumbra::viewer
