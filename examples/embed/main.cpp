// Render an icosphere from two cameras, then get the gradient of the mean alpha w.r.t. the vertices.
#include <cstdio>

#include <penumbra/penumbra.h>

int main() {
  penumbra::Mesh mesh = penumbra::icosphere(3);
  std::vector<penumbra::Camera> cameras{penumbra::Camera::orbit(0, 20, 3), penumbra::Camera::orbit(90, 20, 3)};
  penumbra::RasterSettings settings;  // SoftRas defaults: logistic, squared distance, sigma 1e-4
  settings.width = settings.height = 64;

  penumbra::Renderer renderer(penumbra::Backend::automatic);
  const penumbra::Images& images = renderer.forward(mesh, cameras, settings);

  penumbra::Images dL_dimages(images.views, images.height, images.width);
  for (std::size_t i = 3; i < dL_dimages.rgba.size(); i += 4) dL_dimages.rgba[i] = 1.0f / images.pixels_per_view();
  const penumbra::Gradients gradients = renderer.backward(dL_dimages);

  std::printf("backend %s, dL/dx of vertex 0: %g %g %g\n", std::string(penumbra::name(renderer.backend())).c_str(),
              gradients.dL_dpositions[0].x, gradients.dL_dpositions[0].y, gradients.dL_dpositions[0].z);
  penumbra::save_png(images, 0, "embedded.png");
}
