"""Shared fixtures: the repository root, the command-line program and a small scene."""
import os
import pathlib
import subprocess

import pytest
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli():
    """Runs the `penumbra` program that ctest names in PENUMBRA_CLI."""
    program = os.environ.get("PENUMBRA_CLI")
    if not program:
        pytest.skip("PENUMBRA_CLI is not set; ctest sets it to the built command line")

    def run(*arguments):
        return subprocess.run([program, *map(str, arguments)], capture_output=True, text=True)
    return run


def cube(dtype=torch.float32, half_size=0.45):
    """A cube centred at the origin: vertices [8, 3] and faces [12, 3], counter-clockwise
    from outside."""
    corners = [[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]
    faces = [[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
             [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]]
    return half_size * torch.tensor(corners, dtype=dtype), torch.tensor(faces)
