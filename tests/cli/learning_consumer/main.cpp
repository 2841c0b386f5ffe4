// Renders a sphere and a smaller target, takes the silhouette IoU loss and its gradient back to the vertices,
// soft-sorts three numbers and names a logic gate: one call into each installed library.
#include <algorithm>
#include <cstdio>
#include <vector>

#include <penumbra/learning/losses.h>
#include <penumbra/logic/gates.h>
#include <penumbra/penumbra.h>
#include <penumbra/sort/soft_sort.h>

int main() {
  penumbra::RasterSettings settings;
  settings.width = settings.height = 32;
  const std::vector<penumbra::Camera> cameras{penumbra::Camera::orbit(0, 20)};
  penumbra::Renderer renderer(penumbra::Backend::cpu);
  penumbra::Mesh target_mesh = penumbra::icosphere(2);
  for (glm::vec3& position : target_mesh.positions) position *= 0.6f;
  const penumbra::Images target = renderer.forward(target_mesh, cameras, settings);
  const penumbra::Images& images = renderer.forward(penumbra::icosphere(2), cameras, settings);

  penumbra::Images dL_dimages(images.views, images.height, images.width);
  const double loss = penumbra::learning::silhouette_iou_loss(images, target, &dL_dimages);
  const penumbra::Gradients gradients = renderer.backward(dL_dimages);
  float largest = 0;
  for (const glm::vec3& g : gradients.dL_dpositions) largest = std::max(largest, glm::length(g));

  const auto network = penumbra::sort::SortingNetwork::create(penumbra::sort::NetworkKind::odd_even, 3);
  const std::vector<double> values{3.0, 1.0, 2.0};
  const auto sorted = penumbra::sort::soft_sort(network, penumbra::sort::Relaxation{}, values);

  std::printf("iou loss %.4f, largest |dL/dx| %g, soft-sorted %.2f %.2f %.2f, gate 8 is %s\n", loss, largest,
              sorted.sorted[0], sorted.sorted[1], sorted.sorted[2], penumbra::logic::gate_name(8));
  const bool ascending = sorted.sorted[0] < sorted.sorted[1] && sorted.sorted[1] < sorted.sorted[2];
  return loss > 0 && largest > 0 && ascending ? 0 : 1;
}
