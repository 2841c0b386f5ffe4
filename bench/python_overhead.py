"""The Python binding's cost: forward+backward of Spot, 4 views of 256x256.

Default settings of the command line, timed through penumbra.render + backward (torch) and through
Renderer (NumPy), beside `penumbra bench` on the same scene (C++), in alternating rounds so that
all three see the same machine load.

    PYTHONPATH=build/python python3 bench/python_overhead.py --cli build/cli/penumbra
"""
import argparse
import pathlib
import re
import statistics
import subprocess
import time

import numpy as np
import torch

import penumbra

SPOT = pathlib.Path(__file__).resolve().parents[1] / "assets" / "spot" / "spot_triangulated.obj"


def cpp_median_ms(cli, repetitions):
    command = [cli, "bench", "--mesh", str(SPOT), "--views", "4", "--size", "256x256",
               "--repetitions", str(repetitions)]
    output = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(re.search(r"forward\+backward ([0-9.]+) ms", output.stdout).group(1))


def python_median_ms(step, repetitions):
    step()  # the first run allocates and warms up, as in `penumbra bench`
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        step()
        samples.append(1000 * (time.perf_counter() - start))
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="the built `penumbra` program")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    vertices, faces, _ = penumbra.load_mesh(str(SPOT))
    colors = 0.5 * penumbra.vertex_normals(vertices, faces) + 0.5
    cameras = penumbra.orbit_cameras(4)
    settings = penumbra.Settings(size="256x256")
    renderer = penumbra.Renderer()
    ones = np.ones((4, 256, 256, 4), np.float32)

    def numpy_step():
        renderer.forward(vertices, faces, cameras, settings, colors)
        renderer.backward(ones)

    tensors = [torch.from_numpy(a) for a in (vertices, faces, cameras, colors)]
    for tensor in (tensors[0], tensors[2], tensors[3]):
        tensor.requires_grad_()

    def torch_step():
        images = penumbra.render(tensors[0], tensors[1], tensors[2], settings, tensors[3],
                                 renderer=renderer)
        images.backward(torch.from_numpy(ones))

    results = {"C++ (penumbra bench)": [], "NumPy Renderer": [], "torch render + backward": []}
    for _ in range(args.rounds):
        results["C++ (penumbra bench)"].append(cpp_median_ms(args.cli, args.repetitions))
        results["NumPy Renderer"].append(python_median_ms(numpy_step, args.repetitions))
        results["torch render + backward"].append(python_median_ms(torch_step, args.repetitions))
    reference = statistics.median(results["C++ (penumbra bench)"])
    for name, medians in results.items():
        median = statistics.median(medians)
        rounds = ", ".join(f"{m:.1f}" for m in medians)
        print(f"{name:26s} forward+backward median {median:9.1f} ms "
              f"({100 * (median / reference - 1):+.1f} %), rounds: {rounds}")


if __name__ == "__main__":
    main()
