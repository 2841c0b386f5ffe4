"""Oracle: torch.autograd.gradcheck (central finite differences in float64 through the CPU
rasteriser run in double) for vertices, colours and both camera parametrisations, across
distributions, T-conorms and colour modes."""
import math

import pytest
import torch

import penumbra


def scene(model="look_at"):
    """Two overlapping triangles at different depths with distinct colours, one camera."""
    vertices = torch.tensor([[-0.6, -0.5, 0.0], [0.5, -0.4, 0.2], [-0.1, 0.6, -0.1],
                             [-0.2, -0.2, -0.4], [0.7, 0.1, -0.3], [0.1, 0.7, -0.5]],
                            dtype=torch.float64, requires_grad=True)
    faces = torch.tensor([[0, 1, 2], [3, 4, 5]])
    colors = torch.tensor([[0.9, 0.2, 0.1], [0.1, 0.8, 0.3], [0.2, 0.3, 0.9],
                           [0.7, 0.7, 0.1], [0.1, 0.6, 0.8], [0.5, 0.1, 0.6]],
                          dtype=torch.float64, requires_grad=True)
    if model == "look_at":
        row = [0.3, 0.4, -2.5, 0.05, -0.02, 0.0, 0.1, 1.0, 0.0, 40.0]
    else:
        row = [0.1, -0.2, 0.05, 0.05, -0.1, 2.5, 40.0]
    cameras = torch.tensor([row], dtype=torch.float64, requires_grad=True)
    return vertices, faces, colors, cameras


def check(settings, model="look_at"):
    vertices, faces, colors, cameras = scene(model)
    renderer = penumbra.Renderer(threads=1)

    def images(v, c, k):
        return penumbra.render(v, faces, k, settings, c, renderer=renderer)
    assert torch.autograd.gradcheck(images, (vertices, colors, cameras), eps=1e-6, atol=1e-5,
                                    rtol=1e-3)


@pytest.mark.parametrize("distribution", ["uniform", "logistic", "cauchy", "gamma", "gaussian"])
def test_distributions(distribution):
    check(penumbra.Settings(size=(6, 5), distribution=distribution, sigma=0.1, gamma=0.05))


@pytest.mark.parametrize("aggregation",
                         ["probabilistic", "einstein", "yager", "aczel_alsina", "max"])
def test_aggregations(aggregation):
    check(penumbra.Settings(size=(6, 5), aggregation=aggregation, sigma=0.1, gamma=0.05))


def test_hard_colours_and_squared_distance():
    check(penumbra.Settings(size=(6, 5), colors="hard", squared=True, sigma=0.01))


def test_pose_camera():
    check(penumbra.Settings(size=(6, 5), sigma=0.1, gamma=0.05), model="pose")


def test_float32_gradients_agree_with_float64():
    vertices, faces, colors, cameras = scene()
    settings = penumbra.Settings(size=(16, 12), sigma=0.05, gamma=0.05)
    gradients = []
    for dtype in (torch.float64, torch.float32):
        inputs = [t.detach().to(dtype).requires_grad_() for t in (vertices, colors, cameras)]
        images = penumbra.render(inputs[0], faces, inputs[2], settings, inputs[1])
        weights = torch.linspace(-1, 1, images.numel(), dtype=dtype).view_as(images)
        (images * weights).sum().backward()
        gradients.append([t.grad.double() for t in inputs])
    for expected, actual in zip(*gradients):
        assert torch.allclose(actual, expected, rtol=1e-3, atol=1e-4 * expected.abs().max())


def test_pinhole_intrinsics():
    vertices, faces, colors, cameras = scene()
    settings = penumbra.Settings(size=(6, 5), sigma=0.1, gamma=0.05)
    intrinsics = torch.tensor([[5.0, 5.5, 3.2, 2.4]], dtype=torch.float64, requires_grad=True)
    renderer = penumbra.Renderer(threads=1)

    def images(v, k, c):
        return penumbra.render(v, faces, c, settings, intrinsics=k, intrinsics_size=(6, 5),
                               renderer=renderer)
    assert torch.autograd.gradcheck(images, (vertices, intrinsics, cameras), eps=1e-6,
                                    atol=1e-5, rtol=1e-3)


def test_intrinsics_of_a_field_of_view_render_the_same_image():
    vertices, faces, colors, cameras = (t.detach() for t in scene())
    settings = penumbra.Settings(size=(24, 18), sigma=0.05, gamma=0.05)
    fov = cameras[0, 9].item()
    focal = 9.0 / math.tan(math.radians(fov) / 2)  # half the height over tan(fov / 2)
    intrinsics = torch.tensor([[focal, focal, 12.0, 9.0]], dtype=torch.float64)
    expected = penumbra.render(vertices, faces, cameras, settings, colors)
    pinhole = penumbra.render(vertices, faces, cameras, settings, colors, intrinsics=intrinsics)
    assert expected[..., 3].max() > 0.5
    assert torch.allclose(pinhole, expected, atol=1e-9)


@pytest.mark.parametrize("shading, extra", [
    ("lambert", dict(lights=["dir:0.2,-0.5,1", "point:0.5,0.8,-2:0.5,0.6,0.7"])),
    ("phong", dict(lights=["dir:-0.3,-0.4,1"], shininess=4.0)),
    ("sh", dict()),
    ("lambert", dict(lights=["dir:0.2,-0.5,1"], flat_normals=True)),
])
def test_shading_models(shading, extra):
    # Normals come from the positions, so the vertices' gradient includes the lighting's. Blinn-Phong's view
    # direction does not pass its dependence on the camera to the camera's gradient (docs/shading.md): the
    # camera is held fixed there.
    settings = penumbra.Settings(size=(6, 5), sigma=0.1, gamma=0.05, shading=shading, **extra)
    if shading != "phong":
        check(settings)
        return
    vertices, faces, colors, cameras = scene()
    renderer = penumbra.Renderer(threads=1)
    fixed = cameras.detach()

    def images(v, c):
        return penumbra.render(v, faces, fixed, settings, c, renderer=renderer)
    assert torch.autograd.gradcheck(images, (vertices, colors), eps=1e-6, atol=1e-5, rtol=1e-3)


def test_lit_and_unlit_renders_differ_and_bad_lights_raise_value_error():
    vertices, faces, colors, cameras = scene()
    unlit = penumbra.render(vertices, faces, cameras, penumbra.Settings(size=(6, 5)), colors)
    lit = penumbra.render(vertices, faces, cameras,
                          penumbra.Settings(size=(6, 5), shading="lambert", lights=["dir:0,0,1"]), colors)
    assert not torch.allclose(unlit, lit)
    with pytest.raises(ValueError, match="cannot read light"):
        penumbra.Settings(shading="lambert", lights=["sun:0,0,1"])
    with pytest.raises(ValueError, match="unknown shading model"):
        penumbra.Settings(shading="toon")
