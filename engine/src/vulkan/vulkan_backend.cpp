#include "vulkan/vulkan_backend.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <vector>

#include "penumbra/error.h"
#include "raster_layout.h"
#include "raster_params.h"
#include "vulkan/device_buffer.h"
#include "vulkan/pass_recorder.h"
#include "vulkan/vulkan_context.h"
#include "vulkan_error.h"

namespace penumbra::detail {
namespace {

using vulkan::check;
using vulkan::Context;
using vulkan::DeviceBuffer;
using vulkan::Pass;
using vulkan::PassRecorder;
namespace io = vulkan::io;

// How long a pass may run before the backend reports the GPU as hung instead of waiting forever.
constexpr std::uint64_t kFenceTimeoutNs = 120'000'000'000ull;
constexpr VkDeviceSize kVec4 = 16;
constexpr int kRadixDigits = 1 << io::kRadixBits;

std::uint64_t divide_up(std::uint64_t value, std::uint64_t divisor) {
  return (value + divisor - 1) / divisor;
}

/// The (face, tile) pairs binning will produce, counted on the host from the same face setup as the GPU's,
/// so that the first submission's pair buffer is almost always large enough (the GPU's exact count decides).
std::uint64_t estimate_pairs(const RasterScene<float>& scene, const io::Scene& sizes) {
  const std::size_t vertices = scene.colors.size();
  std::uint64_t pairs = 0;
  for (int view = 0; view < scene.views; ++view) {
    const glm::vec3* screen = scene.screen.data() + view * vertices;
    for (const glm::uvec3& tri : scene.triangles) {
      const io::PnFace face =
          kernels::f32::pn_setup_face(screen[tri.x], screen[tri.y], screen[tri.z], scene.depth_range[view].x,
                                      sizes.params, sizes.width, sizes.height);
      if (face.x1 < face.x0 || face.y1 < face.y0) continue;
      const std::uint64_t columns = face.x1 / io::kTileSize - face.x0 / io::kTileSize + 1;
      const std::uint64_t rows = face.y1 / io::kTileSize - face.y0 / io::kTileSize + 1;
      pairs += columns * rows;
    }
  }
  return pairs;
}

/// Host data staged in the upload buffer and copied to a device buffer at the start of a submission.
class UploadPlan {
 public:
  /// Reserves `bytes` for `destination`; returns where the data goes in the upload buffer.
  VkDeviceSize add(const DeviceBuffer& destination, VkDeviceSize bytes) {
    const VkDeviceSize offset = total_;
    copies_.push_back({destination.handle(), offset, bytes});
    total_ += (bytes + kVec4 - 1) & ~(kVec4 - 1);
    return offset;
  }
  VkDeviceSize total() const { return total_; }
  void record(VkCommandBuffer commands, VkBuffer upload) const {
    for (const Copy& copy : copies_) {
      if (copy.bytes == 0) continue;
      const VkBufferCopy region{copy.source_offset, 0, copy.bytes};
      vkCmdCopyBuffer(commands, upload, copy.destination, 1, &region);
    }
  }

 private:
  struct Copy {
    VkBuffer destination;
    VkDeviceSize source_offset, bytes;
  };
  std::vector<Copy> copies_;
  VkDeviceSize total_ = 0;
};

class VulkanBackend final : public RasterBackend {
 public:
  explicit VulkanBackend(std::shared_ptr<Context> context);
  ~VulkanBackend() override;
  VulkanBackend(const VulkanBackend&) = delete;
  VulkanBackend& operator=(const VulkanBackend&) = delete;

  void forward(const RasterScene<float>& scene, const RasterSettings& settings,
               std::span<float> images) override;
  void backward(std::span<const float> dL_dimages, std::span<glm::vec3> dL_dscreen,
                std::span<glm::vec3> dL_dcolors) override;

 private:
  void update_adjacency(std::span<const glm::uvec3> triangles);
  void reserve_forward_buffers();
  void fill_scene_block();
  /// Records and runs one forward submission; returns the number of (face, tile) pairs binned.
  std::uint32_t run_forward(const RasterScene<float>& scene);
  VkCommandBuffer begin_commands();
  /// Ends, submits and waits for the command buffer (with a timeout); marks the backend unusable on failure.
  void submit_and_wait(VkCommandBuffer commands);
  void require_usable() const;

  std::shared_ptr<Context> context_;
  VkDevice device_;
  VkCommandPool command_pool_ = VK_NULL_HANDLE;
  VkCommandBuffer commands_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  bool in_flight_ = false;
  std::string unusable_;  // why the backend cannot be used any more (device lost, hung), or empty

  // Staging.
  DeviceBuffer upload_, readback_;
  // Inputs.
  DeviceBuffer scene_block_, screen_, triangles_, colors_, depth_range_, adjacency_offsets_, adjacency_,
      dL_dimages_;
  // Binning.
  DeviceBuffer faces_, pair_offsets_, pair_keys_, pair_faces_, sort_keys_[2], sort_values_[2], histogram_,
      scan_scratch_, tile_offsets_, tile_faces_;
  // Forward outputs and backward.
  DeviceBuffer images_, pixel_state_, pair_gradients_, face_gradients_, dL_dscreen_, dL_dcolors_;

  io::Scene scene_{};
  vulkan::Variant variant_{};
  std::uint32_t pair_capacity_ = 0;
  std::uint32_t pair_count_ = 0;
  bool has_forward_ = false;
  // Vertex -> face corner adjacency, rebuilt only when the topology changes.
  std::vector<glm::uvec3> topology_;
  std::vector<std::uint32_t> adjacency_offsets_host_, adjacency_host_;
};

VulkanBackend::VulkanBackend(std::shared_ptr<Context> context)
    : context_(std::move(context)),
      device_(context_->device()),
      upload_(*context_, DeviceBuffer::Kind::upload, "upload"),
      readback_(*context_, DeviceBuffer::Kind::readback, "readback"),
      scene_block_(*context_, DeviceBuffer::Kind::storage, "scene"),
      screen_(*context_, DeviceBuffer::Kind::storage, "screen vertices"),
      triangles_(*context_, DeviceBuffer::Kind::storage, "triangles"),
      colors_(*context_, DeviceBuffer::Kind::storage, "vertex colours"),
      depth_range_(*context_, DeviceBuffer::Kind::storage, "depth ranges"),
      adjacency_offsets_(*context_, DeviceBuffer::Kind::storage, "adjacency offsets"),
      adjacency_(*context_, DeviceBuffer::Kind::storage, "adjacency"),
      dL_dimages_(*context_, DeviceBuffer::Kind::storage, "dL/dimages"),
      faces_(*context_, DeviceBuffer::Kind::storage, "faces"),
      pair_offsets_(*context_, DeviceBuffer::Kind::storage, "pair offsets"),
      pair_keys_(*context_, DeviceBuffer::Kind::storage, "pair keys"),
      pair_faces_(*context_, DeviceBuffer::Kind::storage, "pair faces"),
      sort_keys_{{*context_, DeviceBuffer::Kind::storage, "sorted keys"},
                 {*context_, DeviceBuffer::Kind::storage, "sorted keys"}},
      sort_values_{{*context_, DeviceBuffer::Kind::storage, "sorted values"},
                   {*context_, DeviceBuffer::Kind::storage, "sorted values"}},
      histogram_(*context_, DeviceBuffer::Kind::storage, "radix histogram"),
      scan_scratch_(*context_, DeviceBuffer::Kind::storage, "scan scratch"),
      tile_offsets_(*context_, DeviceBuffer::Kind::storage, "tile offsets"),
      tile_faces_(*context_, DeviceBuffer::Kind::storage, "tile faces"),
      images_(*context_, DeviceBuffer::Kind::storage, "images"),
      pixel_state_(*context_, DeviceBuffer::Kind::storage, "pixel state"),
      pair_gradients_(*context_, DeviceBuffer::Kind::storage, "pair gradients"),
      face_gradients_(*context_, DeviceBuffer::Kind::storage, "face gradients"),
      dL_dscreen_(*context_, DeviceBuffer::Kind::storage, "dL/dscreen"),
      dL_dcolors_(*context_, DeviceBuffer::Kind::storage, "dL/dcolors") {
  VkCommandPoolCreateInfo pool_info{};
  pool_info.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  pool_info.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool_info.queueFamilyIndex = context_->queue_family();
  check(vkCreateCommandPool(device_, &pool_info, nullptr, &command_pool_), "vkCreateCommandPool");
  try {
    VkCommandBufferAllocateInfo allocate{};
    allocate.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
    allocate.commandPool = command_pool_;
    allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocate.commandBufferCount = 1;
    check(vkAllocateCommandBuffers(device_, &allocate, &commands_), "vkAllocateCommandBuffers");
    VkFenceCreateInfo fence_info{};
    fence_info.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
    check(vkCreateFence(device_, &fence_info, nullptr, &fence_), "vkCreateFence");
  } catch (...) {
    vkDestroyCommandPool(device_, command_pool_, nullptr);
    throw;
  }
}

VulkanBackend::~VulkanBackend() {
  // A submission still running (after a timeout) must end before its buffers go: wait once more, bounded.
  // A destructor cannot report the result, and a lost device no longer touches the buffers.
  if (in_flight_) static_cast<void>(vkWaitForFences(device_, 1, &fence_, VK_TRUE, kFenceTimeoutNs));
  vkDestroyFence(device_, fence_, nullptr);
  vkDestroyCommandPool(device_, command_pool_, nullptr);
}

void VulkanBackend::require_usable() const {
  if (!unusable_.empty()) {
    throw Error("the Vulkan backend is unusable: " + unusable_,
                "Vulkan backend (" + context_->device_name() + ")",
                "create a new Renderer, or use --backend cpu");
  }
}

VkCommandBuffer VulkanBackend::begin_commands() {
  check(vkResetCommandBuffer(commands_, 0), "vkResetCommandBuffer");
  VkCommandBufferBeginInfo begin{};
  begin.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  check(vkBeginCommandBuffer(commands_, &begin), "vkBeginCommandBuffer");
  return commands_;
}

void VulkanBackend::submit_and_wait(VkCommandBuffer commands) {
  check(vkEndCommandBuffer(commands), "vkEndCommandBuffer");
  check(vkResetFences(device_, 1, &fence_), "vkResetFences");
  context_->submit(commands, fence_);
  in_flight_ = true;
  const VkResult result = vkWaitForFences(device_, 1, &fence_, VK_TRUE, kFenceTimeoutNs);
  if (result != VK_SUCCESS) {
    unusable_ = std::string(vulkan::result_name(result)) + " while waiting for a pass";
    if (result != VK_TIMEOUT) in_flight_ = false;  // a lost device runs nothing any more
    check(result, "vkWaitForFences");
  }
  in_flight_ = false;
}

void VulkanBackend::update_adjacency(std::span<const glm::uvec3> triangles) {
  const std::uint32_t vertex_count = static_cast<std::uint32_t>(scene_.vertex_count);
  if (adjacency_offsets_host_.size() == vertex_count + 1 &&
      std::equal(triangles.begin(), triangles.end(), topology_.begin(), topology_.end())) {
    return;
  }
  topology_.assign(triangles.begin(), triangles.end());
  // Counting sort of the corners by vertex, in face order, so that each vertex sums its faces ascending.
  adjacency_offsets_host_.assign(vertex_count + 1, 0);
  for (const glm::uvec3& tri : topology_) {
    for (int k = 0; k < 3; ++k) ++adjacency_offsets_host_[tri[k] + 1];
  }
  for (std::uint32_t v = 0; v < vertex_count; ++v)
    adjacency_offsets_host_[v + 1] += adjacency_offsets_host_[v];
  adjacency_host_.resize(topology_.size() * 3);
  std::vector<std::uint32_t> cursor(adjacency_offsets_host_.begin(), adjacency_offsets_host_.end() - 1);
  for (std::uint32_t f = 0; f < topology_.size(); ++f) {
    for (std::uint32_t k = 0; k < 3; ++k) adjacency_host_[cursor[topology_[f][k]]++] = f * 3 + k;
  }
}

void VulkanBackend::reserve_forward_buffers() {
  const std::uint64_t views = scene_.views, faces = scene_.face_count, vertices = scene_.vertex_count;
  const std::uint64_t pixels = views * scene_.width * scene_.height;
  const std::uint64_t keys = views * scene_.tiles_x * scene_.tiles_y;
  const std::uint64_t radix_blocks = divide_up(pair_capacity_, io::kRadixBlock);
  scene_block_.reserve(sizeof(io::Scene));
  screen_.reserve(views * vertices * kVec4);
  triangles_.reserve(faces * kVec4);
  colors_.reserve(vertices * kVec4);
  depth_range_.reserve(views * sizeof(glm::vec2));
  adjacency_offsets_.reserve((vertices + 1) * sizeof(std::uint32_t));
  adjacency_.reserve(faces * 3 * sizeof(std::uint32_t));
  faces_.reserve(views * faces * sizeof(io::PnFace));
  pair_offsets_.reserve((views * faces + 1) * sizeof(std::uint32_t));
  const VkDeviceSize pair_bytes = VkDeviceSize(pair_capacity_) * sizeof(std::uint32_t);
  for (DeviceBuffer* buffer : {&pair_keys_, &pair_faces_, &sort_keys_[0], &sort_keys_[1], &sort_values_[0],
                               &sort_values_[1], &tile_faces_}) {
    buffer->reserve(pair_bytes);
  }
  histogram_.reserve(radix_blocks * kRadixDigits * sizeof(std::uint32_t));
  const std::uint64_t scratch = std::max(PassRecorder::scan_scratch_words(views * faces + 1),
                                         PassRecorder::scan_scratch_words(radix_blocks * kRadixDigits));
  scan_scratch_.reserve(scratch * sizeof(std::uint32_t));
  tile_offsets_.reserve((keys + 1) * sizeof(std::uint32_t));
  images_.reserve(pixels * kVec4);
  pixel_state_.reserve(pixels * kVec4);
}

void VulkanBackend::fill_scene_block() {
  scene_.screen = screen_.address();
  scene_.triangles = triangles_.address();
  scene_.colors = colors_.address();
  scene_.depth_range = depth_range_.address();
  scene_.adjacency_offsets = adjacency_offsets_.address();
  scene_.adjacency = adjacency_.address();
  scene_.dL_dimages = dL_dimages_.address();
  scene_.faces = faces_.address();
  scene_.pair_offsets = pair_offsets_.address();
  scene_.pair_keys = pair_keys_.address();
  scene_.pair_faces = pair_faces_.address();
  scene_.tile_offsets = tile_offsets_.address();
  scene_.tile_faces = tile_faces_.address();
  scene_.images = images_.address();
  scene_.pixel_state = pixel_state_.address();
  scene_.pair_gradients = pair_gradients_.address();
  scene_.face_gradients = face_gradients_.address();
  scene_.dL_dscreen = dL_dscreen_.address();
  scene_.dL_dcolors = dL_dcolors_.address();
  scene_.pair_capacity = static_cast<int>(pair_capacity_);
}

void VulkanBackend::forward(const RasterScene<float>& scene, const RasterSettings& settings,
                            std::span<float> images) {
  require_usable();
  has_forward_ = false;
  const std::uint64_t views = scene.views, faces = scene.triangles.size(), vertices = scene.colors.size();
  const int tiles_x = (settings.width + io::kTileSize - 1) / io::kTileSize;
  const int tiles_y = (settings.height + io::kTileSize - 1) / io::kTileSize;
  const std::uint64_t pixels = views * settings.width * settings.height;
  const std::uint64_t keys = views * tiles_x * tiles_y;
  // Shaders index with 32-bit integers.
  constexpr std::uint64_t kLimit = std::numeric_limits<std::int32_t>::max();
  if (pixels > kLimit || keys > kLimit || views * faces > kLimit || views * vertices > kLimit) {
    throw Error("the scene is too large for the Vulkan backend's 32-bit indices (" + std::to_string(pixels) +
                    " pixels, " + std::to_string(views * faces) + " view faces)",
                "Vulkan backend", "render fewer views or smaller images per call");
  }

  scene_ = {};
  scene_.width = settings.width;
  scene_.height = settings.height;
  scene_.views = static_cast<int>(views);
  scene_.face_count = static_cast<int>(faces);
  scene_.vertex_count = static_cast<int>(vertices);
  scene_.tiles_x = tiles_x;
  scene_.tiles_y = tiles_y;
  variant_ = {static_cast<int>(settings.distribution)};
  scene_.params = make_raster_params<io::PnRasterParams>(settings);
  update_adjacency(scene.triangles);

  // Bin into a pair buffer of the current capacity; when the GPU counted more pairs, grow and run again.
  const std::uint64_t estimate = estimate_pairs(scene, scene_);
  pair_capacity_ = std::max<std::uint32_t>(pair_capacity_, static_cast<std::uint32_t>(std::min<std::uint64_t>(
                                                               4096 + estimate + estimate / 8, kLimit)));
  std::uint32_t pairs = run_forward(scene);
  if (pairs > pair_capacity_) {
    pair_capacity_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(pairs + pairs / 4ull, kLimit));
    pairs = run_forward(scene);
  }
  if (pairs > pair_capacity_ ||
      std::uint64_t(pairs) * io::kGradientFloats > std::numeric_limits<std::uint32_t>::max()) {
    throw Error("the scene has " + std::to_string(pairs) +
                    " (face, tile) pairs, more than the Vulkan backend indexes",
                "Vulkan backend", "use a smaller sigma, a light-tailed distribution or fewer views per call");
  }
  pair_count_ = pairs;
  std::memcpy(images.data(), readback_.mapped(), pixels * kVec4);
  has_forward_ = true;
}

std::uint32_t VulkanBackend::run_forward(const RasterScene<float>& scene) {
  const std::uint64_t views = scene_.views, faces = scene_.face_count, vertices = scene_.vertex_count;
  const std::uint64_t pixels = views * scene_.width * scene_.height;
  const std::uint64_t keys = views * scene_.tiles_x * scene_.tiles_y;
  reserve_forward_buffers();
  fill_scene_block();

  // Stage the inputs: the scene block, vertices and colours as vec4 (std430), triangles as uvec4.
  UploadPlan plan;
  const VkDeviceSize scene_at = plan.add(scene_block_, sizeof(io::Scene));
  const VkDeviceSize screen_at = plan.add(screen_, views * vertices * kVec4);
  const VkDeviceSize triangles_at = plan.add(triangles_, faces * kVec4);
  const VkDeviceSize colors_at = plan.add(colors_, vertices * kVec4);
  const VkDeviceSize depth_at = plan.add(depth_range_, views * sizeof(glm::vec2));
  const VkDeviceSize offsets_at = plan.add(adjacency_offsets_, (vertices + 1) * sizeof(std::uint32_t));
  const VkDeviceSize adjacency_at = plan.add(adjacency_, faces * 3 * sizeof(std::uint32_t));
  upload_.reserve(plan.total());
  auto* staging = static_cast<std::byte*>(upload_.mapped());
  std::memcpy(staging + scene_at, &scene_, sizeof(io::Scene));
  auto* screen = reinterpret_cast<glm::vec4*>(staging + screen_at);
  for (std::size_t i = 0; i < views * vertices; ++i) screen[i] = glm::vec4(scene.screen[i], 0.0f);
  auto* triangles = reinterpret_cast<glm::uvec4*>(staging + triangles_at);
  for (std::size_t f = 0; f < faces; ++f) triangles[f] = glm::uvec4(scene.triangles[f], 0u);
  auto* colors = reinterpret_cast<glm::vec4*>(staging + colors_at);
  for (std::size_t v = 0; v < vertices; ++v) colors[v] = glm::vec4(scene.colors[v], 0.0f);
  std::memcpy(staging + depth_at, scene.depth_range.data(), views * sizeof(glm::vec2));
  std::memcpy(staging + offsets_at, adjacency_offsets_host_.data(), (vertices + 1) * sizeof(std::uint32_t));
  std::memcpy(staging + adjacency_at, adjacency_host_.data(), faces * 3 * sizeof(std::uint32_t));
  readback_.reserve(pixels * kVec4 + sizeof(std::uint32_t));

  VkCommandBuffer commands = begin_commands();
  plan.record(commands, upload_.handle());
  PassRecorder passes(commands, context_->pipelines(), scene_block_.address(), variant_);
  passes.transfer_to_compute_barrier();

  // Face setup and tiles per face, their scan (pair offsets; the last entry is the total), the pairs.
  passes.dispatch_linear(Pass::setup_faces, faces, static_cast<std::uint32_t>(views));
  passes.compute_barrier();
  passes.exclusive_scan(pair_offsets_.address(), views * faces + 1, scan_scratch_.address());
  passes.dispatch_linear(Pass::emit_pairs, faces, static_cast<std::uint32_t>(views));
  passes.compute_barrier();

  // Stable LSD radix sort of the pairs by tile key, kRadixBits per pass; values become pair indices.
  const std::uint32_t key_bits = std::max(1, static_cast<int>(std::bit_width(keys - 1)));
  const std::uint32_t radix_passes = (key_bits + io::kRadixBits - 1) / io::kRadixBits;
  const std::uint64_t radix_blocks = divide_up(pair_capacity_, io::kRadixBlock);
  for (std::uint32_t pass = 0; pass < radix_passes; ++pass) {
    io::PushArgs args{};
    args.in_keys = pass == 0 ? pair_keys_.address() : sort_keys_[(pass + 1) % 2].address();
    args.in_values = pass == 0 ? 0 : sort_values_[(pass + 1) % 2].address();
    args.out_keys = sort_keys_[pass % 2].address();
    args.out_values = sort_values_[pass % 2].address();
    args.histogram = histogram_.address();
    args.shift = pass * io::kRadixBits;
    args.blocks = static_cast<std::uint32_t>(radix_blocks);
    args.first_pass = pass == 0 ? 1u : 0u;
    passes.dispatch_linear(Pass::radix_count, radix_blocks, 1, args);
    passes.compute_barrier();
    passes.exclusive_scan(histogram_.address(), radix_blocks * kRadixDigits, scan_scratch_.address());
    passes.dispatch_linear(Pass::radix_scatter, radix_blocks, 1, args);
    passes.compute_barrier();
  }
  io::PushArgs sorted{};
  sorted.in_keys = sort_keys_[(radix_passes - 1) % 2].address();
  sorted.in_values = sort_values_[(radix_passes - 1) % 2].address();
  passes.dispatch_linear(Pass::tile_ranges, std::uint64_t(pair_capacity_) + 1, 1, sorted);
  passes.compute_barrier();

  // Forward: one workgroup per tile and view.
  passes.dispatch_groups(Pass::forward, static_cast<std::uint32_t>(scene_.tiles_x),
                         static_cast<std::uint32_t>(scene_.tiles_y), static_cast<std::uint32_t>(views));
  passes.compute_to_transfer_barrier();
  const VkBufferCopy image_region{0, 0, pixels * kVec4};
  vkCmdCopyBuffer(commands, images_.handle(), readback_.handle(), 1, &image_region);
  const VkBufferCopy total_region{views * faces * sizeof(std::uint32_t), pixels * kVec4,
                                  sizeof(std::uint32_t)};
  vkCmdCopyBuffer(commands, pair_offsets_.handle(), readback_.handle(), 1, &total_region);
  passes.transfer_to_host_barrier();
  submit_and_wait(commands);

  std::uint32_t pairs = 0;
  std::memcpy(&pairs, static_cast<const std::byte*>(readback_.mapped()) + pixels * kVec4, sizeof(pairs));
  return pairs;
}

void VulkanBackend::backward(std::span<const float> dL_dimages, std::span<glm::vec3> dL_dscreen,
                             std::span<glm::vec3> dL_dcolors) {
  require_usable();
  if (!has_forward_) throw Error("backward called before forward", "Vulkan backend", "call forward first");
  const std::uint64_t views = scene_.views, faces = scene_.face_count, vertices = scene_.vertex_count;
  const std::uint64_t pixels = views * scene_.width * scene_.height;
  dL_dimages_.reserve(pixels * kVec4);
  pair_gradients_.reserve(std::uint64_t(pair_count_) * io::kGradientFloats * sizeof(float));
  face_gradients_.reserve(views * faces * io::kGradientFloats * sizeof(float));
  dL_dscreen_.reserve(views * vertices * kVec4);
  dL_dcolors_.reserve(vertices * kVec4);
  fill_scene_block();

  UploadPlan plan;
  const VkDeviceSize scene_at = plan.add(scene_block_, sizeof(io::Scene));
  const VkDeviceSize upstream_at = plan.add(dL_dimages_, pixels * kVec4);
  upload_.reserve(plan.total());
  auto* staging = static_cast<std::byte*>(upload_.mapped());
  std::memcpy(staging + scene_at, &scene_, sizeof(io::Scene));
  std::memcpy(staging + upstream_at, dL_dimages.data(), pixels * kVec4);
  readback_.reserve((views + 1) * vertices * kVec4);

  VkCommandBuffer commands = begin_commands();
  plan.record(commands, upload_.handle());
  PassRecorder passes(commands, context_->pipelines(), scene_block_.address(), variant_);
  passes.transfer_to_compute_barrier();
  // Per (face, tile) pair partial gradients, then per face in tile order, then per vertex in face order.
  passes.dispatch_linear(Pass::backward_pairs, pair_count_);
  passes.compute_barrier();
  passes.dispatch_linear(Pass::gather_faces, faces, static_cast<std::uint32_t>(views));
  passes.compute_barrier();
  passes.dispatch_linear(Pass::gather_vertices, vertices);
  passes.compute_to_transfer_barrier();
  const VkBufferCopy screen_region{0, 0, views * vertices * kVec4};
  vkCmdCopyBuffer(commands, dL_dscreen_.handle(), readback_.handle(), 1, &screen_region);
  const VkBufferCopy colors_region{0, views * vertices * kVec4, vertices * kVec4};
  vkCmdCopyBuffer(commands, dL_dcolors_.handle(), readback_.handle(), 1, &colors_region);
  passes.transfer_to_host_barrier();
  submit_and_wait(commands);

  const auto* result = static_cast<const glm::vec4*>(readback_.mapped());
  for (std::size_t i = 0; i < views * vertices; ++i) dL_dscreen[i] = glm::vec3(result[i]);
  for (std::size_t v = 0; v < vertices; ++v) dL_dcolors[v] = glm::vec3(result[views * vertices + v]);
}

}  // namespace

VulkanProbe probe_vulkan() {
  const vulkan::DeviceSurvey survey = vulkan::survey_devices();
  VulkanProbe probe;
  probe.gpu = survey.found && vulkan::is_gpu(survey.type);
  probe.description =
      survey.found ? survey.name + " (" + vulkan::device_type_name(survey.type) + ")" : survey.problem;
  return probe;
}

std::unique_ptr<RasterBackend> make_vulkan_backend(std::string& reason) {
  std::shared_ptr<Context> context = Context::shared();
  reason =
      "Vulkan: " + context->device_name() + " (" + vulkan::device_type_name(context->device_type()) + ")";
  if (!context->other_devices().empty()) reason += "; also found: " + context->other_devices();
  return std::make_unique<VulkanBackend>(std::move(context));
}

}  // namespace penumbra::detail
