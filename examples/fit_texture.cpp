// fit_texture: recovers Spot's texture from renders. Spot's true geometry and UVs are kept; the targets are
// unlit renders with its own texture from `train` cameras spread over the sphere; a RES x RES texture starts
// grey and is fitted by Adam on the L2 loss of the RGB inside the silhouette, a few views per step. Prints the
// held-out PSNR (other cameras, object pixels only) and writes the fitted texture and a held-out comparison.
// Usage: fit_texture OUT_FOLDER [RES=512] [STEPS=300] [TRAIN_VIEWS=20] [SIZE=256]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "penumbra/core/optimiser.h"
#include "penumbra/error.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"

namespace {

using namespace penumbra;

// `count` cameras on a Fibonacci sphere around the unit sphere, rotated by `offset` so that two sets differ.
std::vector<Camera> sphere_cameras(int count, float offset) {
  std::vector<Camera> cameras;
  const float golden = 2.39996323f;
  for (int i = 0; i < count; ++i) {
    const float y = 0.9f - 1.8f * (float(i) + 0.5f) / float(count);
    const float radius = std::sqrt(1.0f - y * y), angle = golden * float(i) + offset;
    const glm::vec3 eye = 2.8f * glm::vec3(radius * std::cos(angle), y, radius * std::sin(angle));
    cameras.push_back(Camera::look_at(eye, glm::vec3(0.0f), {0.0f, 1.0f, 0.0f}, 45.0f));
  }
  return cameras;
}

// PSNR of the RGB of `images` against `targets` over the pixels where the target's alpha exceeds 0.5.
double object_psnr(const Images& images, const Images& targets) {
  double squared = 0;
  std::size_t count = 0;
  for (std::size_t p = 0; p < targets.rgba.size() / 4; ++p) {
    if (targets.rgba[4 * p + 3] <= 0.5f) continue;
    for (int c = 0; c < 3; ++c) {
      const double d = double(std::clamp(images.rgba[4 * p + c], 0.0f, 1.0f)) - targets.rgba[4 * p + c];
      squared += d * d;
    }
    count += 3;
  }
  return 10.0 * std::log10(1.0 / std::max(squared / double(std::max<std::size_t>(count, 1)), 1e-12));
}

int run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fit_texture OUT_FOLDER [RES=512] [STEPS=300] [TRAIN_VIEWS=20] [SIZE=256]\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  const int resolution = argc > 2 ? std::atoi(argv[2]) : 512;
  const int steps = argc > 3 ? std::atoi(argv[3]) : 300;
  const int train_views = argc > 4 ? std::atoi(argv[4]) : 20;
  const int size = argc > 5 ? std::atoi(argv[5]) : 256;
  if (resolution < 1 || steps < 1 || train_views < 1 || size < 1) {
    std::fprintf(stderr, "fit_texture: RES, STEPS, TRAIN_VIEWS and SIZE must be positive\n");
    return 2;
  }
  std::filesystem::create_directories(out);

  Mesh spot = load_mesh(std::filesystem::path(PENUMBRA_SOURCE_DIR) / "assets/spot/spot_triangulated.obj");
  normalize_to_unit_sphere(spot);
  RasterSettings settings;
  settings.width = settings.height = size;
  settings.sigma = 1e-5f;  // squared distance: sharp outlines, so that the texture explains the colours
  settings.shading.use_texture = true;
  const std::vector<Camera> train = sphere_cameras(train_views, 0.0f), held_out = sphere_cameras(8, 1.0f);

  Renderer renderer(Backend::cpu);
  const Images train_targets = renderer.forward(spot, train, settings);
  const Images held_out_targets = renderer.forward(spot, held_out, settings);

  Mesh model = spot;
  model.texture = Images(1, resolution, resolution, 0.5f);
  std::vector<float> texels(std::size_t(resolution) * resolution * 3, 0.5f);
  core::Optimiser adam(core::OptimiserSettings{}, texels.size());
  std::vector<float> gradient(texels.size());
  constexpr int kViewsPerStep = 4;
  for (int step = 0; step < steps; ++step) {
    for (std::size_t t = 0; t < texels.size() / 3; ++t) {
      for (int c = 0; c < 3; ++c) model.texture.rgba[4 * t + c] = texels[3 * t + c];
      model.texture.rgba[4 * t + 3] = 1.0f;
    }
    std::vector<Camera> batch;
    std::vector<int> batch_views;
    for (int k = 0; k < kViewsPerStep; ++k) {
      batch_views.push_back((step * kViewsPerStep + k) % train_views);
      batch.push_back(train[batch_views.back()]);
    }
    const Images& images = renderer.forward(model, batch, settings);
    // L = mean over object pixels of |rgb - target|^2.
    Images dL_dimages(images.views, images.height, images.width);
    double loss = 0;
    for (int view = 0; view < images.views; ++view) {
      const std::size_t base = std::size_t(batch_views[view]) * images.pixels_per_view() * 4;
      for (std::size_t p = 0; p < images.pixels_per_view(); ++p) {
        const std::size_t i = (std::size_t(view) * images.pixels_per_view() + p) * 4;
        if (train_targets.rgba[base + 4 * p + 3] <= 0.5f) continue;
        for (int c = 0; c < 3; ++c) {
          const float d = images.rgba[i + c] - train_targets.rgba[base + 4 * p + c];
          loss += d * d;
          dL_dimages.rgba[i + c] = 2.0f * d;
        }
      }
    }
    const Gradients g = renderer.backward(dL_dimages);
    for (std::size_t t = 0; t < g.dL_dtexture.size(); ++t) {
      for (int c = 0; c < 3; ++c) gradient[3 * t + c] = g.dL_dtexture[t][c];
    }
    const double learning_rate = 0.02 * (0.1 + 0.9 * 0.5 * (1.0 + std::cos(std::numbers::pi * step / steps)));
    adam.step(texels, gradient, learning_rate);
    for (float& value : texels) value = std::clamp(value, 0.0f, 1.0f);
    if (step % 25 == 0 || step + 1 == steps) std::printf("step %d: train loss %.4g\n", step, loss);
  }
  for (std::size_t t = 0; t < texels.size() / 3; ++t) {
    for (int c = 0; c < 3; ++c) model.texture.rgba[4 * t + c] = texels[3 * t + c];
  }
  const Images fitted = renderer.forward(model, held_out, settings);
  Images grey_model_views = renderer.forward(
      [&] {
        Mesh grey = model;
        std::fill(grey.texture.rgba.begin(), grey.texture.rgba.end(), 0.5f);
        return grey;
      }(),
      held_out, settings);
  std::printf(
      "held-out PSNR over object pixels: %.2f dB (grey start: %.2f dB), %d train views of %d^2, %d^2 "
      "texture, %d steps\n",
      object_psnr(fitted, held_out_targets), object_psnr(grey_model_views, held_out_targets), train_views,
      size, resolution, steps);
  save_png(model.texture, 0, out / "fitted_texture.png");
  save_png(fitted, 0, out / "held_out_fitted.png");
  save_png(held_out_targets, 0, out / "held_out_target.png");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const penumbra::Error& error) {
    std::fprintf(stderr, "fit_texture: %s\n", error.what());
    return 2;
  }
}
