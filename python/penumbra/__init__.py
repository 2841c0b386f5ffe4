"""Penumbra: a differentiable renderer, differentiable sorting networks and logic gate networks.

The NumPy API (Renderer, SoftSort, LogicModel and the mesh helpers) needs only numpy.
``render`` and ``soft_sort`` are torch.autograd ops over the same C++ code and import torch
when first called.
"""
from penumbra._penumbra import (
    LogicModel,
    Renderer,
    Settings,
    SoftSort,
    aggregations,
    distributions,
    icosphere,
    load_binary_split,
    load_mesh,
    orbit_cameras,
    save_obj,
    vertex_normals,
)

__all__ = [
    "LogicModel", "Renderer", "Settings", "SoftSort", "aggregations", "distributions",
    "icosphere", "load_binary_split", "load_mesh", "orbit_cameras", "render", "save_obj",
    "soft_sort", "vertex_normals",
]


def render(vertices, faces, cameras, settings, colors=None, *, intrinsics=None,
           intrinsics_size=None, renderer=None, near=0.1, far=100.0):
    """Renders a mesh from each camera into a [views, H, W, 4] RGBA tensor, differentiably.

    vertices: [V, 3] float32 or float64 tensor (float64 runs the CPU rasteriser in double).
    faces: [F, 3] int32 or int64 tensor of vertex indices, counter-clockwise from the front.
    cameras: [views, 10] rows of eye, at, up, fov_degrees (look-at) or [views, 7] rows of
        rotation (axis-angle), translation, fov_degrees (world-to-camera pose in OpenCV axes:
        x right, y down, z forward; see docs/cameras.md).
    settings: a penumbra.Settings. colors: None (white) or [V, 3] linear RGB.
    intrinsics: None, or [views, 4] pinhole fx, fy, cx, cy in pixels of an image of
        intrinsics_size = (width, height) (the render size when None); the rows' fov is unused.
    renderer: a penumbra.Renderer to reuse across steps (a shared one otherwise).
    Gradients reach vertices, cameras, colors and intrinsics through loss.backward().
    """
    from penumbra._torch_ops import render as torch_render
    return torch_render(vertices, faces, cameras, settings, colors, intrinsics, intrinsics_size,
                        renderer, near, far)


def soft_sort(x, network="odd_even", relaxation="cauchy", steepness=10.0,
              art_lambda=0.25):
    """Sorts x ([n] or [batch, n]) ascending by a relaxed sorting network, differentiably.

    Returns (sorted, P) with sorted = x P: P[i, j] is the weight of input i at rank j
    (shape [n, n] or [batch, n, n]), doubly stochastic, hard as steepness grows.
    network: odd_even, bitonic (diffsort's) or bitonic_mirror (sorts every n).
    relaxation: logistic, logistic_phi, gaussian, reciprocal, cauchy or optimal.
    """
    from penumbra._torch_ops import soft_sort as torch_soft_sort
    return torch_soft_sort(x, network, relaxation, steepness, art_lambda)
