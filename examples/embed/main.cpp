// Render an icosphere from two cameras, then get the gradient of the mean alpha w.r.t. the vertices.
#include <cstdio>

#include <penumbra/penumbra.h>

int main() {
  penumbra::Mesh mesh = penumbra::icosphere(3);
  // The default distance and field of view frame a unit-sphere mesh with background on every border.
  std::vector<penumbra::Camera> cameras{penumbra::Camera::orbit(0, 20), penumbra::Camera::orbit(90, 20)};
  penumbra::RasterSettings settings;  // SoftRas defaults: logistic, squared distance, sigma 1e-4
  settings.width = settings.height = 64;

  penumbra::Renderer renderer(penumbra::Backend::automatic);
  const penumbra::Images& images = renderer.forward(mesh, cameras, settings);

  penumbra::Images dL_dimages(images.views, images.height, images.width);
  for (std::size_t i = 3; i < dL_dimages.rgba.size(); i += 4)
    dL_dimages.rgba[i] = 1.0f / images.pixels_per_view();
  const penumbra::Gradients gradients = renderer.backward(dL_dimages);

  // Only vertices near the outline move the mean alpha: show the one it pulls hardest.
  std::size_t strongest = 0;
  for (std::size_t v = 1; v < gradients.dL_dpositions.size(); ++v) {
    if (glm::length(gradients.dL_dpositions[v]) > glm::length(gradients.dL_dpositions[strongest]))
      strongest = v;
  }
  const glm::vec3 g = gradients.dL_dpositions[strongest];
  std::printf("backend %s, dL/dx of vertex %zu: %g %g %g\n",
              std::string(penumbra::name(renderer.backend())).c_str(), strongest, g.x, g.y, g.z);
  penumbra::save_png(images, 0, "embedded.png");
}
