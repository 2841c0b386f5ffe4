"""A 50-step fit of an icosphere (level 2) to a cube's silhouettes at 32x32 with torch.optim.Adam,
through examples/python/fit_mesh.py; judged by the hard silhouette IoU on the same views."""
import sys

import penumbra
from conftest import ROOT, cube

sys.path.insert(0, str(ROOT / "examples" / "python"))
import fit_mesh  # noqa: E402


def test_icosphere_fits_a_cube():
    target_vertices, target_faces = cube()
    vertices, faces, _ = fit_mesh.fit(target_vertices, target_faces, level=2, size=32, views=8,
                                      steps=50)
    hard = penumbra.Settings(size=(32, 32), distribution="heaviside", aggregation="hard")
    cameras = fit_mesh.ring_cameras(8)
    sphere = 0.5 * vertices.new_tensor(penumbra.icosphere(2)[0])
    start = penumbra.render(sphere, faces, cameras, hard)
    fitted = penumbra.render(vertices, faces, cameras, hard)
    target = penumbra.render(target_vertices, target_faces, cameras, hard)
    assert fit_mesh.silhouette_iou(start[..., 3], target[..., 3]) < 0.7
    assert fit_mesh.silhouette_iou(fitted[..., 3], target[..., 3]) > 0.9
