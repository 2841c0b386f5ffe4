#include "vulkan/pass_recorder.h"

#include <algorithm>

#include "penumbra/error.h"

namespace penumbra::detail::vulkan {
namespace {

// Workgroups are laid out as up to kMaxGroupsX per row, in as many rows as needed (see linear_invocation()).
constexpr std::uint64_t kMaxGroupsX = 32768;
constexpr std::uint64_t kMaxGroupsY = 65535;

std::uint64_t divide_up(std::uint64_t value, std::uint64_t divisor) {
  return (value + divisor - 1) / divisor;
}

}  // namespace

PassRecorder::PassRecorder(VkCommandBuffer commands, ComputePipelines& pipelines, VkDeviceAddress scene,
                           Variant variant)
    : commands_(commands), pipelines_(pipelines), scene_(scene), variant_(variant) {}

void PassRecorder::dispatch_groups(Pass pass, std::uint32_t x, std::uint32_t y, std::uint32_t z,
                                   io::PushArgs args) {
  if (x == 0 || y == 0 || z == 0) return;
  args.scene = scene_;
  vkCmdBindPipeline(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, pipelines_.pipeline(pass, variant_));
  vkCmdPushConstants(commands_, pipelines_.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(args), &args);
  vkCmdDispatch(commands_, x, y, z);
}

void PassRecorder::dispatch_linear(Pass pass, std::uint64_t invocations, std::uint32_t layers,
                                   io::PushArgs args) {
  const std::uint64_t groups = divide_up(invocations, io::kGroupSize);
  const std::uint64_t x = std::min(groups, kMaxGroupsX);
  const std::uint64_t y = x == 0 ? 0 : divide_up(groups, x);
  if (y > kMaxGroupsY) {
    throw Error("a pass needs " + std::to_string(invocations) + " invocations, more than one dispatch holds",
                "Vulkan backend", "reduce the image size, the number of views or the mesh");
  }
  dispatch_groups(pass, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y), layers, args);
}

void PassRecorder::memory_barrier(VkPipelineStageFlags source_stage, VkAccessFlags source_access,
                                  VkPipelineStageFlags destination_stage, VkAccessFlags destination_access) {
  VkMemoryBarrier barrier{};
  barrier.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  barrier.srcAccessMask = source_access;
  barrier.dstAccessMask = destination_access;
  vkCmdPipelineBarrier(commands_, source_stage, destination_stage, 0, 1, &barrier, 0, nullptr, 0, nullptr);
}

void PassRecorder::compute_barrier() {
  memory_barrier(VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                 VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                 VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
}

void PassRecorder::transfer_to_compute_barrier() {
  memory_barrier(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                 VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                 VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
}

void PassRecorder::compute_to_transfer_barrier() {
  memory_barrier(VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                 VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
}

void PassRecorder::transfer_to_host_barrier() {
  memory_barrier(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
                 VK_ACCESS_HOST_READ_BIT);
}

std::uint64_t PassRecorder::scan_scratch_words(std::uint64_t count) {
  std::uint64_t words = 0;
  for (std::uint64_t level = count; level > 1;) {
    level = divide_up(level, io::kScanBlock);
    words += level;
  }
  return std::max<std::uint64_t>(words, 1);
}

void PassRecorder::exclusive_scan(VkDeviceAddress data, std::uint64_t count, VkDeviceAddress scratch) {
  if (count == 0) return;
  // Scan each block and collect the block totals; scan the totals (recursively) and add them back.
  const std::uint64_t blocks = divide_up(count, io::kScanBlock);
  io::PushArgs args{};
  args.in_keys = data;
  args.in_values = scratch;
  args.count = static_cast<std::uint32_t>(count);
  const std::uint64_t x = std::min(blocks, kMaxGroupsX);
  const std::uint64_t y = divide_up(blocks, x);
  dispatch_groups(Pass::scan_blocks, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y), 1, args);
  compute_barrier();
  if (blocks <= 1) return;
  exclusive_scan(scratch, blocks, scratch + blocks * sizeof(std::uint32_t));
  dispatch_groups(Pass::scan_add, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y), 1, args);
  compute_barrier();
}

}  // namespace penumbra::detail::vulkan
