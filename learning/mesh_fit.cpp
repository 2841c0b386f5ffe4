#include "penumbra/learning/mesh_fit.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "penumbra/learning/checkpoint.h"
#include "penumbra/learning/losses.h"
#include "penumbra/learning/metrics.h"
#include "penumbra/core/random.h"
#include "penumbra/error.h"
#include "penumbra/learning/regularisers.h"

namespace penumbra::learning {
namespace {

constexpr const char* kCheckpointMagic = "PENUMBRA-MESHFIT-2";

// Training views: azimuths evenly round the object, elevations from a golden-ratio sequence over
// [-45, 60] degrees, so every view sees the object from a different height.
std::vector<Camera> training_cameras(const MeshFitConfig& config) {
  std::vector<Camera> cameras;
  for (int i = 0; i < config.target_views; ++i) {
    const float azimuth = 360.0f * float(i) / float(config.target_views);
    const float fraction = std::fmod(0.5f + 0.6180339887f * float(i), 1.0f);
    cameras.push_back(
        Camera::orbit(azimuth, -45.0f + 105.0f * fraction, config.camera_distance, config.fov_degrees));
  }
  return cameras;
}

// Held-out views: azimuths offset from the training ring by a non-multiple, elevations alternating.
std::vector<Camera> held_out_cameras_for(const MeshFitConfig& config) {
  std::vector<Camera> cameras;
  for (int i = 0; i < config.held_out_views; ++i) {
    const float azimuth = 360.0f * (float(i) + 0.37f) / float(config.held_out_views);
    const float elevation = i % 2 == 0 ? 20.0f : -12.0f;
    cameras.push_back(Camera::orbit(azimuth, elevation, config.camera_distance, config.fov_degrees));
  }
  return cameras;
}

RasterSettings hard_settings(RasterSettings settings) {
  settings.distribution = Distribution::heaviside;
  settings.squared = false;
  settings.aggregation = Aggregation::hard;
  settings.colors = ColorMode::hard;
  return settings;
}

Images select_views(const Images& images, const std::vector<int>& views) {
  Images result(int(views.size()), images.height, images.width);
  const std::size_t floats = images.pixels_per_view() * 4;
  for (std::size_t i = 0; i < views.size(); ++i) {
    std::copy_n(images.rgba.begin() + std::ptrdiff_t(std::size_t(views[i]) * floats), floats,
                result.rgba.begin() + std::ptrdiff_t(i * floats));
  }
  return result;
}

std::vector<float> flatten(const std::vector<glm::vec3>& values) {
  std::vector<float> flat(values.size() * 3);
  if (!flat.empty()) std::memcpy(flat.data(), values.data(), flat.size() * sizeof(float));
  return flat;
}

}  // namespace

struct MeshFit::State {
  MeshFitConfig config;
  Renderer renderer;
  MeshTopology topology;
  Mesh mesh;  // template + offsets, with colours when fitted
  std::vector<float> offsets, colors;
  core::Optimiser offset_optimiser, color_optimiser;
  Images train_images, held_images;
  std::vector<Camera> train_cameras, held_cameras;
  bool held_out_distinct = true;
  std::optional<Mesh> target_mesh;
  int steps = 0;
  core::SplitMix64 random;
  std::vector<StepMetrics> history;
  std::vector<glm::vec3> last_dL_dpositions;

  explicit State(MeshFitConfig c)
      : config(std::move(c)),
        renderer(config.backend, RendererOptions{.threads = config.threads}),
        topology(build_topology(config.template_mesh, "template")),
        mesh(config.template_mesh),
        offsets(mesh.positions.size() * 3, 0.0f),
        colors(config.fit_colors ? mesh.positions.size() * 3 : 0, 0.5f),
        offset_optimiser(config.optimiser, offsets.size()),
        color_optimiser(config.optimiser, colors.size()),
        random{config.seed},
        last_dL_dpositions(mesh.positions.size(), glm::vec3(0.0f)) {}

  /// The render settings of step `step`: sigma from the schedule, everything else from the config.
  RasterSettings settings_at(int step) const {
    RasterSettings settings = config.raster;
    settings.sigma = float(config.sigma.value(step));
    return settings;
  }

  void update_mesh() {
    for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
      mesh.positions[v] = config.template_mesh.positions[v] +
                          glm::vec3(offsets[3 * v], offsets[3 * v + 1], offsets[3 * v + 2]);
    }
    if (config.fit_colors) {
      mesh.colors.resize(mesh.positions.size());
      std::memcpy(mesh.colors.data(), colors.data(), colors.size() * sizeof(float));
    }
  }
};

MeshFit::MeshFit(MeshFitConfig config) {
  config.template_mesh.validate("template");
  config.learning_rate.validate("learning rate schedule");
  config.sigma.validate("sigma schedule");
  config.raster.sigma = float(config.sigma.value(0));
  config.raster.validate();
  if (config.views_per_step < 1) {
    throw Error("views per step is " + std::to_string(config.views_per_step), "views_per_step",
                "use 1 or more");
  }
  state_ = std::make_unique<State>(std::move(config));
  State& s = *state_;
  const MeshFitConfig& c = s.config;
  if (!(c.target_normalization.scale > 0.0f) || !std::isfinite(c.target_normalization.scale)) {
    throw Error("target normalisation scale is " + std::to_string(c.target_normalization.scale),
                "target_normalization", "give a positive, finite scale");
  }
  if (c.target_mesh) {
    c.target_mesh->validate("target mesh");
    if (c.target_views < 1 || c.held_out_views < 1) {
      throw Error("a target mesh needs at least one training and one held-out view", "target_views",
                  "use target_views >= 1 and held_out_views >= 1");
    }
    if (c.fit_colors && c.target_mesh->colors.empty()) {
      throw Error("fitting colours needs a target mesh with vertex colours", "target mesh",
                  "give the target colours or fit silhouettes only");
    }
    s.target_mesh = c.target_mesh;
    const RasterSettings hard = hard_settings(c.raster);
    s.train_cameras = training_cameras(c);
    s.held_cameras = held_out_cameras_for(c);
    s.train_images = s.renderer.forward(*c.target_mesh, s.train_cameras, hard);
    s.held_images = s.renderer.forward(*c.target_mesh, s.held_cameras, hard);
  } else {
    const int views = int(c.target_cameras.size());
    if (views < 1 || c.target_images.views != views) {
      throw Error(
          std::to_string(c.target_images.views) + " target images for " + std::to_string(views) + " cameras",
          "targets", "give one image per camera");
    }
    std::vector<int> train, held;
    for (int v = 0; v < views; ++v) (views >= 5 && v % 5 == 4 ? held : train).push_back(v);
    s.held_out_distinct = !held.empty();
    if (held.empty()) held = train;
    s.train_images = select_views(c.target_images, train);
    s.held_images = select_views(c.target_images, held);
    for (int v : train) s.train_cameras.push_back(c.target_cameras[std::size_t(v)]);
    for (int v : held) s.held_cameras.push_back(c.target_cameras[std::size_t(v)]);
    s.config.raster.width = c.target_images.width;
    s.config.raster.height = c.target_images.height;
  }
  s.update_mesh();
}

MeshFit::~MeshFit() = default;
MeshFit::MeshFit(MeshFit&&) noexcept = default;
MeshFit& MeshFit::operator=(MeshFit&&) noexcept = default;

StepMetrics MeshFit::step() {
  State& s = *state_;
  const MeshFitConfig& c = s.config;
  StepMetrics metrics;
  const RasterSettings settings = s.settings_at(s.steps);
  metrics.sigma = c.sigma.value(s.steps);
  metrics.learning_rate = c.learning_rate.value(s.steps);

  // Views of this step: a partial Fisher-Yates shuffle.
  const int available = int(s.train_cameras.size());
  const int count = std::min(c.views_per_step, available);
  std::vector<int> order(static_cast<std::size_t>(available));
  std::iota(order.begin(), order.end(), 0);
  for (int i = 0; i < count; ++i)
    std::swap(order[i], order[i + int(s.random.below(std::uint64_t(available - i)))]);
  order.resize(std::size_t(count));
  std::vector<Camera> cameras;
  for (int v : order) cameras.push_back(s.train_cameras[std::size_t(v)]);
  const Images targets = select_views(s.train_images, order);

  // Data losses and their image gradient.
  const Images& rendered = s.renderer.forward(s.mesh, cameras, settings);
  Images dL_dimages(rendered.views, rendered.height, rendered.width);
  metrics.silhouette_loss = silhouette_iou_loss(rendered, targets, &dL_dimages, c.silhouette_weight);
  metrics.silhouette_iou = 1.0 - metrics.silhouette_loss;
  metrics.loss = c.silhouette_weight * metrics.silhouette_loss;
  if (c.fit_colors) {
    metrics.color_loss = l2_loss(rendered, targets, Channels::rgb, &dL_dimages, c.color_weight);
    metrics.loss += c.color_weight * metrics.color_loss;
  }
  Gradients gradients = s.renderer.backward(dL_dimages);

  // Regularisers on the current positions.
  const RegulariserWeights& w = c.regularisers;
  const std::span<const glm::vec3> positions(s.mesh.positions);
  std::span<glm::vec3> dL_dpositions(gradients.dL_dpositions);
  if (w.laplacian != 0.0)
    metrics.regulariser_loss +=
        w.laplacian * laplacian_loss(positions, s.topology, dL_dpositions, w.laplacian);
  if (w.edge != 0.0)
    metrics.regulariser_loss += w.edge * edge_length_loss(positions, s.topology, dL_dpositions, w.edge);
  if (w.normal != 0.0) {
    metrics.regulariser_loss +=
        w.normal * normal_consistency_loss(positions, s.topology, dL_dpositions, w.normal);
  }
  if (w.flatten != 0.0)
    metrics.regulariser_loss += w.flatten * flatten_loss(positions, s.topology, dL_dpositions, w.flatten);
  metrics.loss += metrics.regulariser_loss;

  // Offsets move by dL/dpositions (positions = template + offsets); colours stay in [0, 1].
  s.offset_optimiser.step(s.offsets, flatten(gradients.dL_dpositions), metrics.learning_rate);
  if (c.fit_colors) {
    s.color_optimiser.step(s.colors, flatten(gradients.dL_dcolors), metrics.learning_rate);
    for (float& value : s.colors) value = std::clamp(value, 0.0f, 1.0f);
  }
  s.last_dL_dpositions = std::move(gradients.dL_dpositions);
  s.update_mesh();
  metrics.step = ++s.steps;
  s.history.push_back(metrics);
  return metrics;
}

const std::vector<StepMetrics>& MeshFit::history() const { return state_->history; }

int MeshFit::steps_done() const { return state_->steps; }

Evaluation MeshFit::evaluate() {
  State& s = *state_;
  Evaluation evaluation;
  evaluation.held_out = s.held_out_distinct;
  evaluation.views = int(s.held_cameras.size());
  const Images& rendered = s.renderer.forward(s.mesh, s.held_cameras, hard_settings(s.config.raster));
  evaluation.silhouette_iou = silhouette_iou(rendered, s.held_images);
  if (s.config.fit_colors) evaluation.psnr_db = psnr_db(rendered, s.held_images);
  if (s.target_mesh) {
    Mesh target = *s.target_mesh;
    s.config.target_normalization.restore(target);
    evaluation.chamfer = chamfer_distance(result_mesh(), target);
  }
  return evaluation;
}

const Mesh& MeshFit::current_mesh() const { return state_->mesh; }
Mesh MeshFit::result_mesh() const {
  Mesh mesh = state_->mesh;
  state_->config.target_normalization.restore(mesh);
  return mesh;
}

const MeshFitConfig& MeshFit::config() const { return state_->config; }
const Images& MeshFit::target_images() const { return state_->train_images; }
const std::vector<Camera>& MeshFit::target_cameras() const { return state_->train_cameras; }
const Images& MeshFit::held_out_images() const { return state_->held_images; }
const std::vector<Camera>& MeshFit::held_out_cameras() const { return state_->held_cameras; }
RasterSettings MeshFit::raster_settings() const { return state_->settings_at(state_->steps); }

const Images& MeshFit::render(std::span<const Camera> cameras, const RasterSettings& settings) {
  return state_->renderer.forward(state_->mesh, cameras, settings);
}

std::vector<float> MeshFit::gradient_magnitude() const {
  std::vector<float> magnitude;
  magnitude.reserve(state_->last_dL_dpositions.size());
  for (const glm::vec3& g : state_->last_dL_dpositions) magnitude.push_back(glm::length(g));
  return magnitude;
}

void MeshFit::set_raster_settings(const RasterSettings& settings) {
  RasterSettings validated = settings;
  validated.width = state_->config.raster.width;
  validated.height = state_->config.raster.height;
  validated.validate();
  Schedule sigma = Schedule::constant(settings.sigma);
  sigma.validate("sigma");
  state_->config.raster = validated;
  state_->config.sigma = sigma;
}

void MeshFit::set_learning_rate(double learning_rate) {
  Schedule schedule = Schedule::constant(learning_rate);
  schedule.validate("learning rate");
  state_->config.learning_rate = schedule;
}

void MeshFit::set_views_per_step(int views) {
  state_->config.views_per_step = std::clamp(views, 1, int(state_->train_cameras.size()));
}

void MeshFit::save_checkpoint(const std::filesystem::path& file) const {
  const State& s = *state_;
  RecordWriter record(kCheckpointMagic);
  record.value<std::int64_t>(s.steps);
  record.value<std::uint64_t>(s.random.state);
  record.value<std::uint64_t>(s.mesh.positions.size());
  record.floats(s.offsets);
  record.floats(s.colors);
  record.floats(s.offset_optimiser.state());
  record.value<std::int64_t>(s.offset_optimiser.steps());
  record.floats(s.color_optimiser.state());
  record.value<std::int64_t>(s.color_optimiser.steps());
  record.value<std::uint64_t>(s.history.size());
  for (const StepMetrics& m : s.history) {
    record.value<std::int32_t>(m.step);
    for (double value : {m.loss, m.silhouette_loss, m.color_loss, m.regulariser_loss, m.silhouette_iou,
                         m.sigma, m.learning_rate})
      record.value<double>(value);
  }
  record.save(file);
}

void MeshFit::load_checkpoint(const std::filesystem::path& file) {
  State& s = *state_;
  RecordReader record(file, kCheckpointMagic);
  const auto steps = record.value<std::int64_t>();
  const auto random_state = record.value<std::uint64_t>();
  const auto vertices = record.value<std::uint64_t>();
  std::vector<float> offsets = record.floats();
  std::vector<float> colors = record.floats();
  std::vector<float> offset_state = record.floats();
  const auto offset_steps = record.value<std::int64_t>();
  std::vector<float> color_state = record.floats();
  const auto color_steps = record.value<std::int64_t>();
  const auto history_size = record.value<std::uint64_t>();
  // 4 + 7 * 8 bytes a row: the rows must be in the file before they are allocated.
  if (history_size != std::uint64_t(steps) || history_size > record.remaining() / 60) {
    throw Error("checkpoint holds " + std::to_string(history_size) + " history rows for " +
                    std::to_string(steps) + " steps",
                record.where(), "the file is damaged; start the run again");
  }
  std::vector<StepMetrics> history(static_cast<std::size_t>(history_size));
  for (StepMetrics& m : history) {
    m.step = record.value<std::int32_t>();
    for (double* value : {&m.loss, &m.silhouette_loss, &m.color_loss, &m.regulariser_loss, &m.silhouette_iou,
                          &m.sigma, &m.learning_rate})
      *value = record.value<double>();
  }
  record.finish();
  if (vertices != s.mesh.positions.size() || offsets.size() != s.offsets.size() ||
      colors.size() != s.colors.size() || steps < 0 || steps > std::int64_t(1) << 40) {
    throw Error("checkpoint belongs to another template or colour setting (" + std::to_string(vertices) +
                    " vertices, " + std::to_string(colors.size() / 3) + " colours)",
                record.where(), "resume with the same template and --fit-colors setting");
  }
  s.offset_optimiser.restore(std::move(offset_state), offset_steps);
  s.color_optimiser.restore(std::move(color_state), color_steps);
  s.offsets = std::move(offsets);
  s.colors = std::move(colors);
  s.steps = int(steps);
  s.history = std::move(history);
  s.random.state = random_state;
  s.update_mesh();
}

}  // namespace penumbra::learning
