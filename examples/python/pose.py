"""Recovers a camera from one image of a known mesh: Adam on the look-at eye.

    PYTHONPATH=build/python python3 examples/python/pose.py
"""
import argparse
import math

import torch

import penumbra


def look_at_row(eye, fov=30.0):
    """A [1, 10] camera row looking from `eye` ([3] tensor) at the origin, y up."""
    fixed = eye.new_tensor([0.0, 0.0, 0.0, 0.0, 1.0, 0.0, fov])
    return torch.cat([eye, fixed])[None]


def orbit_eye(azimuth, elevation, distance):
    """The eye of penumbra.orbit_cameras for these angles (degrees)."""
    a, e = math.radians(azimuth), math.radians(elevation)
    return torch.tensor([distance * math.cos(e) * math.sin(a), distance * math.sin(e),
                         -distance * math.cos(e) * math.cos(a)])


def angle_degrees(u, v):
    cosine = torch.dot(u, v) / (u.norm() * v.norm())
    return math.degrees(math.acos(max(-1.0, min(1.0, cosine.item()))))


def recover(vertices, faces, colors, true_eye, start_eye, size=64, steps=150, lr=0.05):
    """Fits the eye so that the render matches the target's; returns (eye, final RGBA MSE)."""
    settings = penumbra.Settings(size=(size, size), sigma=0.02, gamma=0.01)
    renderer = penumbra.Renderer()
    target = penumbra.render(vertices, faces, look_at_row(true_eye), settings, colors,
                             renderer=renderer)
    eye = start_eye.clone().requires_grad_()
    optimiser = torch.optim.Adam([eye], lr=lr)
    for _ in range(steps):
        images = penumbra.render(vertices, faces, look_at_row(eye), settings, colors,
                                 renderer=renderer)
        loss = (images - target).pow(2).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return eye.detach(), loss.item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mesh", default="assets/spot/spot_triangulated.obj")
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--offset", type=float, default=25.0, help="start this many degrees away")
    args = parser.parse_args()
    vertices, faces, _ = penumbra.load_mesh(args.mesh)
    colors = 0.5 * penumbra.vertex_normals(vertices, faces) + 0.5
    vertices, faces, colors = (torch.from_numpy(a) for a in (vertices, faces, colors))
    true_eye = orbit_eye(30.0, 20.0, 3.0)
    start_eye = orbit_eye(30.0 + args.offset, 20.0 + args.offset / 2, 3.0)
    eye, loss = recover(vertices, faces, colors, true_eye, start_eye, args.size, args.steps)
    print(f"start {angle_degrees(start_eye, true_eye):.1f} deg away, recovered to "
          f"{angle_degrees(eye, true_eye):.2f} deg (image MSE {loss:.2e})")


if __name__ == "__main__":
    main()
