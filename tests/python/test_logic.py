"""Oracle: `penumbra logic-eval`'s discrete test accuracy, which LogicModel.predict must reproduce
image for image on the same binarised split, for a model that `penumbra logic-train` trains on a
small synthetic IDX dataset."""
import re

import numpy as np
import pytest

import penumbra


def write_split(folder, prefix, count, size, seed):
    """Uncompressed IDX files under the .gz names (zlib reads both). Class c lights row c % size
    and column c // 2, plus noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, count).astype(np.uint8)
    images = rng.integers(0, 60, (count, size, size)).astype(np.uint8)
    for image, label in zip(images, labels):
        image[label % size, :] = 200
        image[:, label // 2] = 220
    header = np.array([0x803, count, size, size], ">u4").tobytes()
    (folder / f"{prefix}-images-idx3-ubyte.gz").write_bytes(header + images.tobytes())
    (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(
        np.array([0x801, count], ">u4").tobytes() + labels.tobytes())


@pytest.fixture(scope="module")
def trained(cli, tmp_path_factory):
    folder = tmp_path_factory.mktemp("logic")
    write_split(folder, "train", 600, 8, 1)
    write_split(folder, "t10k", 200, 8, 2)
    result = cli("logic-train", "--dataset", "toy", "--data-dir", folder, "--layers", 2,
                 "--width", 200, "--tau", 4, "--steps", 200, "--eval-every", 200,
                 "--threshold", "0.5,0.75", "--threads", 2, "--seed", 3, "--out", folder / "run")
    assert result.returncode == 0, result.stderr
    return folder


def test_predictions_match_logic_eval(cli, trained):
    result = cli("logic-eval", "--model", trained / "run" / "model.bin", "--data-dir", trained,
                 "--seconds", 0.01)
    assert result.returncode == 0, result.stderr
    discrete = float(re.search(r"discrete ([0-9.]+)%", result.stdout).group(1))

    model = penumbra.LogicModel(str(trained / "run" / "model.bin"))
    assert model.dataset == "toy" and model.classes == 10
    bits, labels = penumbra.load_binary_split("toy", str(trained), "t10k", model.thresholds)
    assert bits.shape == (200, model.inputs)
    predictions = model.predict(bits)
    assert np.array_equal(predictions, model.class_counts(bits).argmax(1))
    accuracy = 100.0 * np.mean(predictions == labels)
    assert f"{accuracy:.2f}" == f"{discrete:.2f}"
    assert accuracy > 30.0  # learnt something: chance is 10 %


def test_bad_bits_and_files(trained, tmp_path):
    model = penumbra.LogicModel(str(trained / "run" / "model.bin"))
    with pytest.raises(ValueError, match="0 or 1"):
        model.predict(np.full((3, model.inputs), 2, np.uint8))
    with pytest.raises(ValueError, match="shape"):
        model.predict(np.zeros((3, model.inputs + 1), np.uint8))
    broken = tmp_path / "broken.bin"
    broken.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="broken.bin"):
        penumbra.LogicModel(str(broken))
