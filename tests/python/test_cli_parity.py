"""Oracle: the command line's float32 .npy output for the same scene, compared bit for bit, and
its one-line error text for the same bad setting."""
import numpy as np
import pytest
import torch

import penumbra
from conftest import ROOT

SPOT = ROOT / "assets" / "spot" / "spot_triangulated.obj"


@pytest.mark.parametrize("options", [
    dict(distribution="logistic", aggregation="probabilistic", colors="softmax"),
    dict(distribution="cauchy", aggregation="einstein", colors="hard", squared=True, sigma=2e-4),
])
def test_render_matches_the_command_line_bit_for_bit(cli, tmp_path, options):
    out = tmp_path / "cli.npy"
    flags = []
    for key, value in options.items():
        flags += [f"--{key}"] if value is True else [f"--{key}", value]
    # The command line shades and samples textures by default; the module renders baked vertex colours unlit.
    result = cli("render", "--mesh", SPOT, "--out", out, "--size", "40x32", "--views", 3,
                 "--shading", "unlit", "--bake-texture", *flags)
    assert result.returncode == 0, result.stderr
    expected = np.load(out)

    vertices, faces, colors = penumbra.load_mesh(str(SPOT))
    assert colors is not None  # Spot's texture, baked to vertex colours as the command line does
    cameras = penumbra.orbit_cameras(3)
    settings = penumbra.Settings(size="40x32", **options)
    images = penumbra.render(torch.from_numpy(vertices), torch.from_numpy(faces),
                             torch.from_numpy(cameras), settings, torch.from_numpy(colors))
    assert images.dtype == torch.float32 and expected.dtype == np.float32
    assert images.shape == expected.shape == (3, 32, 40, 4)
    assert expected[..., 3].max() > 0.5  # the cow is in view
    assert np.array_equal(images.numpy(), expected)


@pytest.mark.parametrize("flag, keyword", [
    (["--distribution", "lognormal"], dict(distribution="lognormal")),
    (["--aggregation", "yager", "--p", "0"], dict(aggregation="yager", p=0.0)),
])
def test_bad_settings_raise_the_command_lines_message(cli, tmp_path, flag, keyword):
    result = cli("render", "--mesh", "icosphere:1", "--out", tmp_path / "x.npy", *flag)
    assert result.returncode == 2
    with pytest.raises(ValueError) as error:
        penumbra.Settings(**keyword)
    assert result.stderr == f"penumbra: {error.value}\n"


def test_numbers_out_of_range_are_refused_by_both(cli, tmp_path):
    # The command line checks a number's range before the settings are built, and names the flag and the range.
    result = cli("render", "--mesh", "icosphere:1", "--out", tmp_path / "x.npy", "--sigma", "-1")
    assert result.returncode == 2
    assert result.stderr.startswith("penumbra: --sigma: -1 is not a finite number in [")
    with pytest.raises(ValueError, match="sigma must be a finite number > 0"):
        penumbra.Settings(sigma=-1.0)
