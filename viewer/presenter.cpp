#include "presenter.h"

#include <cstdint>
#include <cstdio>

#include "host_buffer.h"
#include "vulkan_check.h"
#include "vulkan_context.h"
#include "window.h"

namespace penumbra::viewer {

namespace {

VkExtent2D framebuffer_extent(const Window& window) {
  int width = 0, height = 0;
  window.framebuffer_size(width, height);
  return {std::uint32_t(width), std::uint32_t(height)};
}

}  // namespace

Presenter::Presenter(const VulkanContext& context, Window& window)
    : context_(context),
      window_(window),
      swapchain_(context, int(framebuffer_extent(window).width), int(framebuffer_extent(window).height)) {
  const VkDevice device = context.device();
  VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = context.queue_family();
  check(vkCreateCommandPool(device, &pool, nullptr, &pool_), "vkCreateCommandPool");
  try {
    VkCommandBufferAllocateInfo allocation{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocation.commandPool = pool_;
    allocation.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocation.commandBufferCount = 1;
    check(vkAllocateCommandBuffers(device, &allocation, &commands_), "vkAllocateCommandBuffers");
    VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    // Signalled, so that the first wait_for_previous_frame() returns at once.
    fence.flags = VK_FENCE_CREATE_SIGNALED_BIT;
    check(vkCreateFence(device, &fence, nullptr, &frame_done_), "vkCreateFence");
    VkSemaphoreCreateInfo semaphore{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    check(vkCreateSemaphore(device, &semaphore, nullptr, &image_acquired_), "vkCreateSemaphore");
  } catch (...) {
    if (frame_done_) vkDestroyFence(device, frame_done_, nullptr);
    vkDestroyCommandPool(device, pool_, nullptr);
    throw;
  }
}

Presenter::~Presenter() {
  const VkDevice device = context_.device();
  // Nothing may be destroyed while the GPU still uses it.
  const VkResult idle = vkDeviceWaitIdle(device);
  if (idle != VK_SUCCESS)
    std::fprintf(stderr, "penumbra-viewer: vkDeviceWaitIdle: %s\n", std::string(result_name(idle)).c_str());
  vkDestroySemaphore(device, image_acquired_, nullptr);
  vkDestroyFence(device, frame_done_, nullptr);
  vkDestroyCommandPool(device, pool_, nullptr);
}

void Presenter::wait_for_previous_frame() {
  check(vkWaitForFences(context_.device(), 1, &frame_done_, VK_TRUE, UINT64_MAX), "vkWaitForFences");
}

bool Presenter::rebuild() {
  const VkExtent2D extent = framebuffer_extent(window_);
  // A minimised window has no size to build for; try again on a later frame.
  stale_ = extent.width == 0 || extent.height == 0;
  if (!stale_) swapchain_.rebuild(int(extent.width), int(extent.height));
  return !stale_;
}

bool Presenter::draw(const std::function<void(VkCommandBuffer)>& before_pass,
                     const std::function<void(VkCommandBuffer)>& in_pass, Images* capture) {
  const VkDevice device = context_.device();
  wait_for_previous_frame();
  if (stale_ && !rebuild()) return false;

  std::uint32_t image_index = 0;
  const VkResult acquired = vkAcquireNextImageKHR(device, swapchain_.handle(), UINT64_MAX, image_acquired_,
                                                  VK_NULL_HANDLE, &image_index);
  if (acquired == VK_ERROR_OUT_OF_DATE_KHR) {
    rebuild();
    return false;
  }
  // SUBOPTIMAL still delivers an image (and signals the semaphore): draw it, rebuild after presenting.
  if (acquired != VK_SUBOPTIMAL_KHR) check(acquired, "vkAcquireNextImageKHR");

  check(vkResetCommandBuffer(commands_, 0), "vkResetCommandBuffer");
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  check(vkBeginCommandBuffer(commands_, &begin), "vkBeginCommandBuffer");
  before_pass(commands_);

  const VkExtent2D extent = swapchain_.extent();
  VkClearValue clear{};
  clear.color = {{0.06f, 0.06f, 0.07f, 1.0f}};
  VkRenderPassBeginInfo pass{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
  pass.renderPass = swapchain_.render_pass();
  pass.framebuffer = swapchain_.framebuffer(image_index);
  pass.renderArea = {{0, 0}, extent};
  pass.clearValueCount = 1;
  pass.pClearValues = &clear;
  vkCmdBeginRenderPass(commands_, &pass, VK_SUBPASS_CONTENTS_INLINE);
  in_pass(commands_);
  vkCmdEndRenderPass(commands_);

  HostBuffer readback;
  if (capture) {
    readback = HostBuffer(context_, VkDeviceSize(extent.width) * extent.height * 4,
                          VK_BUFFER_USAGE_TRANSFER_DST_BIT);
    record_capture(commands_, image_index, readback.buffer());
  }
  check(vkEndCommandBuffer(commands_), "vkEndCommandBuffer");

  const VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  const VkSemaphore render_finished = swapchain_.render_finished(image_index);
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.waitSemaphoreCount = 1;
  submit.pWaitSemaphores = &image_acquired_;
  submit.pWaitDstStageMask = &wait_stage;
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &commands_;
  submit.signalSemaphoreCount = 1;
  submit.pSignalSemaphores = &render_finished;
  check(vkResetFences(device, 1, &frame_done_), "vkResetFences");
  check(vkQueueSubmit(context_.queue(), 1, &submit, frame_done_), "vkQueueSubmit");

  const VkSwapchainKHR swapchain = swapchain_.handle();
  VkPresentInfoKHR present{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
  present.waitSemaphoreCount = 1;
  present.pWaitSemaphores = &render_finished;
  present.swapchainCount = 1;
  present.pSwapchains = &swapchain;
  present.pImageIndices = &image_index;
  const VkResult presented = vkQueuePresentKHR(context_.queue(), &present);

  if (capture) {
    wait_for_previous_frame();
    const bool bgra =
        swapchain_.format() == VK_FORMAT_B8G8R8A8_UNORM || swapchain_.format() == VK_FORMAT_B8G8R8A8_SRGB;
    *capture = Images(1, int(extent.height), int(extent.width));
    const auto* bytes = static_cast<const std::uint8_t*>(readback.data());
    for (std::size_t pixel = 0; pixel < capture->pixels_per_view(); ++pixel) {
      const std::uint8_t* in = bytes + 4 * pixel;
      float* out = capture->rgba.data() + 4 * pixel;
      out[0] = (bgra ? in[2] : in[0]) / 255.0f;
      out[1] = in[1] / 255.0f;
      out[2] = (bgra ? in[0] : in[2]) / 255.0f;
      out[3] = 1.0f;
    }
  }

  if (presented == VK_ERROR_OUT_OF_DATE_KHR || presented == VK_SUBOPTIMAL_KHR ||
      acquired == VK_SUBOPTIMAL_KHR || window_.take_resized()) {
    rebuild();
  } else {
    check(presented, "vkQueuePresentKHR");
  }
  return true;
}

void Presenter::record_capture(VkCommandBuffer commands, std::uint32_t image_index, VkBuffer target) const {
  const VkExtent2D extent = swapchain_.extent();
  VkImageMemoryBarrier to_source{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  to_source.srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
  to_source.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  to_source.oldLayout = VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;
  to_source.newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
  to_source.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  to_source.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  to_source.image = swapchain_.image(image_index);
  to_source.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                       VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0, nullptr, 1, &to_source);

  VkBufferImageCopy region{};
  region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  region.imageExtent = {extent.width, extent.height, 1};
  vkCmdCopyImageToBuffer(commands, to_source.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, target, 1, &region);

  VkImageMemoryBarrier to_present = to_source;
  to_present.srcAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  to_present.dstAccessMask = 0;
  to_present.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
  to_present.newLayout = VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;
  VkBufferMemoryBarrier to_host{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
  to_host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  to_host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
  to_host.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  to_host.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  to_host.buffer = target;
  to_host.size = VK_WHOLE_SIZE;
  vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_TRANSFER_BIT,
                       VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 1,
                       &to_host, 1, &to_present);
}

}  // namespace penumbra::viewer
