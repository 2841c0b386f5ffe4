"""Bad input raises ValueError naming the argument and the fix, never crashes; repeated renders
do not grow memory."""
import threading

import numpy as np
import pytest
import torch

import penumbra
from conftest import cube

SETTINGS = penumbra.Settings(size=(16, 16))


def inputs():
    vertices, faces = cube()
    return vertices, faces, torch.from_numpy(penumbra.orbit_cameras(2))


@pytest.mark.parametrize("change, message", [
    (lambda v, f, c: (v.half(), f, c), "vertices is float16"),
    (lambda v, f, c: (v, f.float(), c), "faces is float32"),
    (lambda v, f, c: (v[:, :2].contiguous(), f, c), r"vertices has shape float32 \[8, 2\]"),
    (lambda v, f, c: (v, f, c[:, :5].contiguous()),
     r"\[views, 10\] \(look_at\) or \[views, 7\] \(pose\)"),
    (lambda v, f, c: (v.t().contiguous().t(), f, c), "not C-contiguous"),
    (lambda v, f, c: (v, f + 100, c), "refers to vertex 10[0-9]"),
    (lambda v, f, c: (v, f - 100, c), "index"),
    (lambda v, f, c: (v.double(), f, c), "cameras is float32"),
    (lambda v, f, c: (v.numpy(), f, c), "not a torch.Tensor"),
    (lambda v, f, c: (v.to("meta"), f, c), "CPU tensors"),
])
def test_malformed_tensors_raise_value_error(change, message):
    vertices, faces, cameras = change(*inputs())
    with pytest.raises(ValueError, match=message):
        penumbra.render(vertices, faces, cameras, SETTINGS)


def test_nan_vertex_and_camera_raise_value_error():
    vertices, faces, cameras = inputs()
    vertices[3, 1] = float("nan")
    with pytest.raises(ValueError, match="NaN|finite"):
        penumbra.render(vertices, faces, cameras, SETTINGS)
    vertices, faces, cameras = inputs()
    cameras[1, 3:6] = cameras[1, 0:3]  # at == eye
    with pytest.raises(ValueError, match="camera 1"):
        penumbra.render(vertices, faces, cameras, SETTINGS)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device to place a tensor on")
def test_cuda_tensors_raise_value_error():
    vertices, faces, cameras = inputs()
    with pytest.raises(ValueError, match="CPU tensors"):
        penumbra.render(vertices.cuda(), faces, cameras, SETTINGS)


def test_float64_on_a_gpu_backend_and_unknown_backend():
    vertices, faces, cameras = inputs()
    with pytest.raises(ValueError, match="float64 renders on the CPU only"):
        penumbra.render(vertices.double(), faces, cameras.double(),
                        penumbra.Settings(backend="vulkan"))
    with pytest.raises(ValueError, match="cpu, vulkan, cuda or auto"):
        penumbra.Settings(backend="metal")


def test_numpy_backward_before_forward_and_with_the_wrong_shape():
    renderer = penumbra.Renderer()
    with pytest.raises(ValueError, match="before forward"):
        renderer.backward(np.zeros((1, 16, 16, 4), np.float32))
    vertices, faces, cameras = inputs()
    renderer.forward(vertices.numpy(), faces.numpy(), cameras.numpy(), SETTINGS)
    message = r"dL_dimages has shape float32 \[1, 16, 16, 4\], not \[2, 16, 16, 4\]"
    with pytest.raises(ValueError, match=message):
        renderer.backward(np.zeros((1, 16, 16, 4), np.float32))


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def test_repeated_renders_do_not_grow_memory():
    vertices, faces, cameras = inputs()
    vertices.requires_grad_()
    renderer = penumbra.Renderer()

    def step():
        images = penumbra.render(vertices, faces, cameras, SETTINGS, renderer=renderer)
        images.sum().backward()
    for _ in range(20):
        step()
    before = resident_bytes()
    for _ in range(300):
        step()
    assert resident_bytes() - before < 4 << 20


def test_bad_intrinsics():
    vertices, faces, cameras = inputs()
    with pytest.raises(ValueError, match=r"intrinsics has shape float32 \[2, 3\]"):
        penumbra.render(vertices, faces, cameras, SETTINGS, intrinsics=torch.ones(2, 3))
    with pytest.raises(ValueError, match="camera 0"):
        penumbra.render(vertices, faces, cameras, SETTINGS, intrinsics=torch.zeros(2, 4))
    with pytest.raises(ValueError, match="intrinsics_size"):
        penumbra.render(vertices, faces, cameras, SETTINGS, intrinsics=torch.ones(2, 4),
                        intrinsics_size="big")


def test_an_unavailable_backend_raises_runtime_error():
    vertices, faces, cameras = inputs()
    try:
        settings = penumbra.Settings(size=(16, 16), backend="cuda")
        images = penumbra.render(vertices, faces, cameras, settings)
    except RuntimeError as error:
        assert "cuda" in str(error).lower()
    else:
        assert images.shape == (2, 16, 16, 4)  # a machine with a CUDA device renders


def test_threads_share_a_renderer_safely():
    vertices, faces, cameras = (t.numpy() for t in inputs())
    renderer = penumbra.Renderer()
    expected = renderer.forward(vertices, faces, cameras, SETTINGS)
    results = []

    def work():
        results.append(renderer.forward(vertices, faces, cameras, SETTINGS))
    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(np.array_equal(r, expected) for r in results)
