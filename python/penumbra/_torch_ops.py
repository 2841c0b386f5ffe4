"""torch.autograd ops over the C++ renderer and sorting networks.

Tensors cross as NumPy views of their own memory (no copies); the C++ side releases the
GIL while it renders, sorts or back-propagates.
"""
import torch

from penumbra._penumbra import Renderer, SoftSort

_FLOAT_TYPES = (torch.float32, torch.float64)
_INDEX_TYPES = (torch.int32, torch.int64)
_shared_renderer = None


def _array(tensor, name, dtypes):
    """A NumPy view of a CPU tensor; refuses what the C++ side cannot read in place."""
    if not isinstance(tensor, torch.Tensor):
        raise ValueError(f"{name} is a {type(tensor).__name__}, not a torch.Tensor; "
                         f"pass torch.as_tensor({name})")
    if tensor.device.type != "cpu":
        raise ValueError(f"{name} is on {tensor.device}, penumbra reads CPU tensors; "
                         f"pass {name}.cpu() (the backend copies to its own device)")
    if tensor.dtype not in dtypes:
        wanted = " or ".join(str(d).replace("torch.", "") for d in dtypes)
        raise ValueError(f"{name} is {str(tensor.dtype).replace('torch.', '')}, not {wanted}; "
                         f"convert it with .to(torch.{str(dtypes[0]).replace('torch.', '')})")
    return tensor.detach().numpy()


class _Render(torch.autograd.Function):
    @staticmethod
    def forward(ctx, vertices, cameras, colors, intrinsics, faces, settings, renderer,
                intrinsics_size, near, far):
        def optional(tensor, name):
            return None if tensor is None else _array(tensor, name, _FLOAT_TYPES)
        images = renderer.forward(
            _array(vertices, "vertices", _FLOAT_TYPES), _array(faces, "faces", _INDEX_TYPES),
            _array(cameras, "cameras", _FLOAT_TYPES), settings, optional(colors, "colors"),
            optional(intrinsics, "intrinsics"), intrinsics_size, near, far)
        ctx.save_for_backward(vertices, cameras, colors, intrinsics, faces)
        ctx.settings, ctx.renderer = settings, renderer
        ctx.intrinsics_size, ctx.near, ctx.far = intrinsics_size, near, far
        ctx.generation = renderer.generation
        return torch.from_numpy(images)

    @staticmethod
    def backward(ctx, dL_dimages):
        vertices, cameras, colors, intrinsics, faces = ctx.saved_tensors
        renderer = ctx.renderer
        if renderer.generation != ctx.generation:
            # The renderer has drawn other inputs since: redraw these, backward needs their state.
            def optional(tensor):
                return None if tensor is None else tensor.detach().numpy()
            renderer.forward(vertices.detach().numpy(), faces.numpy(), cameras.detach().numpy(),
                             ctx.settings, optional(colors), optional(intrinsics),
                             ctx.intrinsics_size, ctx.near, ctx.far)
        upstream = _array(dL_dimages.contiguous(), "dL_dimages", (vertices.dtype,))
        gradients = [None if g is None else torch.from_numpy(g)
                     for g in renderer.backward(upstream)]
        dL_dvertices, dL_dcolors, dL_dcameras, dL_dintrinsics = gradients
        return (dL_dvertices, dL_dcameras, dL_dcolors, dL_dintrinsics,
                None, None, None, None, None, None)


def render(vertices, faces, cameras, settings, colors, intrinsics, intrinsics_size, renderer,
           near, far):
    global _shared_renderer
    if renderer is None:
        if _shared_renderer is None:
            _shared_renderer = Renderer()
        renderer = _shared_renderer
    return _Render.apply(vertices, cameras, colors, intrinsics, faces, settings, renderer,
                         intrinsics_size, near, far)


class _SoftSort(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, network, relaxation, steepness, art_lambda):
        ctx.set_materialize_grads(False)
        ctx.sort = SoftSort(_array(x, "x", _FLOAT_TYPES), network, relaxation, steepness,
                            art_lambda)
        return torch.from_numpy(ctx.sort.sorted), torch.from_numpy(ctx.sort.permutation)

    @staticmethod
    def backward(ctx, dL_dsorted, dL_dpermutation):
        def upstream(gradient, name):
            if gradient is None:
                return None
            return _array(gradient.contiguous(), name, _FLOAT_TYPES)
        dL_dx = ctx.sort.backward(upstream(dL_dsorted, "dL_dsorted"),
                                  upstream(dL_dpermutation, "dL_dP"))
        return torch.from_numpy(dL_dx), None, None, None, None


def soft_sort(x, network, relaxation, steepness, art_lambda):
    if isinstance(x, torch.Tensor) and x.dim() == 1:
        sorted_values, permutation = _SoftSort.apply(x.unsqueeze(0), network, relaxation,
                                                     steepness, art_lambda)
        return sorted_values[0], permutation[0]
    return _SoftSort.apply(x, network, relaxation, steepness, art_lambda)
