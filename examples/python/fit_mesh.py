"""Fits an icosphere to a mesh's silhouettes with torch.optim.Adam and writes the result as OBJ.

    PYTHONPATH=build/python python3 examples/python/fit_mesh.py --out fitted.obj
"""
import argparse

import torch

import penumbra


def laplacian(vertices, faces):
    """Uniform Laplacian: each vertex minus the mean of its neighbours, [V, 3]."""
    edges = torch.cat([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    edges = torch.cat([edges, edges.flip(1)])
    total = torch.zeros_like(vertices).index_add(0, edges[:, 0], vertices[edges[:, 1]])
    count = torch.zeros(len(vertices)).index_add(0, edges[:, 0], torch.ones(len(edges)))
    return vertices - total / count[:, None]


def ring_cameras(views):
    """Views on two rings, 30 degrees above and below the equator, 3 units from the origin."""
    rings = [penumbra.orbit_cameras(views // 2, elevation=e, distance=3.0) for e in (30, -30)]
    return torch.cat([torch.from_numpy(ring) for ring in rings])


def silhouette_iou(alpha, target):
    return (alpha * target).sum() / (alpha + target - alpha * target).sum()


def fit(target_vertices, target_faces, level=2, size=32, views=8, steps=50, lr=0.02,
        laplacian_weight=0.01):
    """Deforms an icosphere of radius 0.5 until its silhouettes match the target's; returns
    (vertices, faces, silhouette IoU of the last step)."""
    settings = penumbra.Settings(size=(size, size), sigma=0.01)
    cameras = ring_cameras(views)
    renderer = penumbra.Renderer()
    target = penumbra.render(target_vertices, target_faces, cameras, settings,
                             renderer=renderer)[..., 3]
    start, faces = (torch.from_numpy(a) for a in penumbra.icosphere(level)[:2])
    start = 0.5 * start
    offsets = torch.zeros_like(start, requires_grad=True)
    optimiser = torch.optim.Adam([offsets], lr=lr)
    for _ in range(steps):
        vertices = start + offsets
        alpha = penumbra.render(vertices, faces, cameras, settings, renderer=renderer)[..., 3]
        iou = silhouette_iou(alpha, target)
        loss = 1 - iou + laplacian_weight * laplacian(vertices, faces).pow(2).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return (start + offsets).detach(), faces, iou.item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="assets/spot/spot_triangulated.obj")
    parser.add_argument("--level", type=int, default=3)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--views", type=int, default=8)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--out", default="fitted.obj")
    args = parser.parse_args()
    vertices, faces, _ = penumbra.load_mesh(args.target)
    vertices, faces, iou = fit(0.8 * torch.from_numpy(vertices), torch.from_numpy(faces),
                               args.level, args.size, args.views, args.steps)
    penumbra.save_obj(args.out, vertices.numpy(), faces.numpy())
    print(f"silhouette IoU {iou:.4f} after {args.steps} steps; wrote {args.out}")


if __name__ == "__main__":
    main()
