#include "swapchain.h"

#include <algorithm>

#include "vulkan_check.h"
#include "vulkan_context.h"

namespace penumbra::viewer {

namespace {

VkSurfaceFormatKHR choose_format(const VulkanContext& context) {
  std::uint32_t count = 0;
  check(vkGetPhysicalDeviceSurfaceFormatsKHR(context.physical_device(), context.surface(), &count, nullptr),
        "vkGetPhysicalDeviceSurfaceFormatsKHR");
  std::vector<VkSurfaceFormatKHR> formats(count);
  check(vkGetPhysicalDeviceSurfaceFormatsKHR(context.physical_device(), context.surface(), &count,
                                             formats.data()),
        "vkGetPhysicalDeviceSurfaceFormatsKHR");
  if (formats.empty())
    throw Error("the window surface offers no formats", "penumbra-viewer",
                "use another display or Vulkan driver");
  for (VkFormat wanted : {VK_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_R8G8B8A8_UNORM})
    for (const auto& format : formats)
      if (format.format == wanted && format.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) return format;
  return formats.front();
}

}  // namespace

Swapchain::Swapchain(const VulkanContext& context, int width, int height) : context_(context) {
  format_ = choose_format(context);
  VkAttachmentDescription color{};
  color.format = format_.format;
  color.samples = VK_SAMPLE_COUNT_1_BIT;
  color.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
  color.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
  color.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
  color.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
  color.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  color.finalLayout = VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;
  VkAttachmentReference reference{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
  VkSubpassDescription subpass{};
  subpass.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
  subpass.colorAttachmentCount = 1;
  subpass.pColorAttachments = &reference;
  // The layout transition waits for the acquire semaphore, which is waited at colour output.
  VkSubpassDependency dependency{};
  dependency.srcSubpass = VK_SUBPASS_EXTERNAL;
  dependency.dstSubpass = 0;
  dependency.srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  dependency.dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  dependency.dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
  VkRenderPassCreateInfo info{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
  info.attachmentCount = 1;
  info.pAttachments = &color;
  info.subpassCount = 1;
  info.pSubpasses = &subpass;
  info.dependencyCount = 1;
  info.pDependencies = &dependency;
  check(vkCreateRenderPass(context.device(), &info, nullptr, &render_pass_), "vkCreateRenderPass");
  try {
    create(width, height, VK_NULL_HANDLE);
  } catch (...) {
    destroy_image_resources();
    if (swapchain_) vkDestroySwapchainKHR(context.device(), swapchain_, nullptr);
    vkDestroyRenderPass(context.device(), render_pass_, nullptr);
    throw;
  }
}

Swapchain::~Swapchain() {
  destroy_image_resources();
  vkDestroySwapchainKHR(context_.device(), swapchain_, nullptr);
  vkDestroyRenderPass(context_.device(), render_pass_, nullptr);
}

void Swapchain::rebuild(int width, int height) {
  check(vkDeviceWaitIdle(context_.device()), "vkDeviceWaitIdle");
  destroy_image_resources();
  const VkSwapchainKHR old_swapchain = swapchain_;
  swapchain_ = VK_NULL_HANDLE;
  try {
    create(width, height, old_swapchain);
  } catch (...) {
    vkDestroySwapchainKHR(context_.device(), old_swapchain, nullptr);
    throw;
  }
  vkDestroySwapchainKHR(context_.device(), old_swapchain, nullptr);
}

void Swapchain::destroy_image_resources() {
  const VkDevice device = context_.device();
  for (VkSemaphore semaphore : render_finished_) vkDestroySemaphore(device, semaphore, nullptr);
  for (VkFramebuffer framebuffer : framebuffers_) vkDestroyFramebuffer(device, framebuffer, nullptr);
  for (VkImageView view : views_) vkDestroyImageView(device, view, nullptr);
  render_finished_.clear();
  framebuffers_.clear();
  views_.clear();
  images_.clear();
}

void Swapchain::create(int width, int height, VkSwapchainKHR old_swapchain) {
  const VkDevice device = context_.device();
  VkSurfaceCapabilitiesKHR capabilities;
  check(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(context_.physical_device(), context_.surface(),
                                                  &capabilities),
        "vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
  // The surface dictates the extent when it knows it; otherwise the framebuffer size, clamped.
  extent_ = capabilities.currentExtent;
  if (extent_.width == UINT32_MAX) {
    extent_.width = std::clamp(std::uint32_t(width), capabilities.minImageExtent.width,
                               capabilities.maxImageExtent.width);
    extent_.height = std::clamp(std::uint32_t(height), capabilities.minImageExtent.height,
                                capabilities.maxImageExtent.height);
  }
  std::uint32_t image_count = capabilities.minImageCount + 1;
  if (capabilities.maxImageCount > 0) image_count = std::min(image_count, capabilities.maxImageCount);
  // Screenshots copy out of the swapchain image, so it must be a transfer source.
  if (!(capabilities.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT))
    throw Error("the window surface cannot be read back (no TRANSFER_SRC usage)", "penumbra-viewer",
                "use another display or Vulkan driver");

  VkSwapchainCreateInfoKHR info{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
  info.surface = context_.surface();
  info.minImageCount = image_count;
  info.imageFormat = format_.format;
  info.imageColorSpace = format_.colorSpace;
  info.imageExtent = extent_;
  info.imageArrayLayers = 1;
  info.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.preTransform = capabilities.currentTransform;
  info.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
  if (!(capabilities.supportedCompositeAlpha & VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR))
    info.compositeAlpha = VK_COMPOSITE_ALPHA_INHERIT_BIT_KHR;
  // FIFO is always available and keeps the UI from spinning a core that the fit could use.
  info.presentMode = VK_PRESENT_MODE_FIFO_KHR;
  info.clipped = VK_TRUE;
  info.oldSwapchain = old_swapchain;
  check(vkCreateSwapchainKHR(device, &info, nullptr, &swapchain_), "vkCreateSwapchainKHR");

  std::uint32_t count = 0;
  check(vkGetSwapchainImagesKHR(device, swapchain_, &count, nullptr), "vkGetSwapchainImagesKHR");
  images_.resize(count);
  check(vkGetSwapchainImagesKHR(device, swapchain_, &count, images_.data()), "vkGetSwapchainImagesKHR");
  for (VkImage image : images_) {
    VkImageViewCreateInfo view{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    view.image = image;
    view.viewType = VK_IMAGE_VIEW_TYPE_2D;
    view.format = format_.format;
    view.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    views_.push_back(VK_NULL_HANDLE);
    check(vkCreateImageView(device, &view, nullptr, &views_.back()), "vkCreateImageView");

    VkFramebufferCreateInfo framebuffer{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    framebuffer.renderPass = render_pass_;
    framebuffer.attachmentCount = 1;
    framebuffer.pAttachments = &views_.back();
    framebuffer.width = extent_.width;
    framebuffer.height = extent_.height;
    framebuffer.layers = 1;
    framebuffers_.push_back(VK_NULL_HANDLE);
    check(vkCreateFramebuffer(device, &framebuffer, nullptr, &framebuffers_.back()), "vkCreateFramebuffer");

    VkSemaphoreCreateInfo semaphore{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    render_finished_.push_back(VK_NULL_HANDLE);
    check(vkCreateSemaphore(device, &semaphore, nullptr, &render_finished_.back()), "vkCreateSemaphore");
  }
}

}  // namespace penumbra::viewer
