"""The course's shipped model loads and reads the 10,000 test digits as notebook 05 says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mnist_helpers import load_mnist, prepare_images
from mnist_helpers.model import COURSE_MODEL, load_course_model

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_05 = next((ROOT / "notebooks").glob("05_*.ipynb"))


def asserted_threshold() -> float:
    """The full-run threshold of notebook 05's assertion on the best model's test accuracy."""
    cells = json.loads(NOTEBOOK_05.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    found = re.search(r"assert acc_best >= \(\d\.\d+ if QUICK else (\d\.\d+)\)", code)
    assert found, "notebook 05 should assert the best model's test accuracy"
    return float(found.group(1))


@pytest.fixture(scope="module")
def test_digits():
    _, (x_test, y_test) = load_mnist()
    return prepare_images(x_test), y_test


def test_shipped_model_is_small_enough_to_ship():
    assert COURSE_MODEL.is_file(), "run notebook 05 with MNIST_SHIP_MODEL=1 (make model)"
    assert COURSE_MODEL.stat().st_size < 5_000_000


def test_shipped_model_meets_notebook_05s_assertion(test_digits):
    x_test, y_test = test_digits
    model = load_course_model()
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 10)
    probs = model.predict(x_test, batch_size=1000, verbose=0)
    accuracy = float((probs.argmax(axis=1) == y_test).mean())
    assert accuracy >= asserted_threshold() >= 0.995


def test_shipped_model_accuracy_is_the_one_notebook_05_printed(test_digits):
    """The file is the committed run's model, not some other one: the same test accuracy."""
    x_test, y_test = test_digits
    probs = load_course_model().predict(x_test, batch_size=1000, verbose=0)
    accuracy = f"{(probs.argmax(axis=1) == y_test).mean():.2%}"
    cells = json.loads(NOTEBOOK_05.read_text(encoding="utf-8"))["cells"]
    printed = "".join(
        "".join(out.get("text", ""))
        for c in cells
        if c["cell_type"] == "code"
        for out in c["outputs"]
    )
    assert f"the course's best model: test accuracy {accuracy}" in printed


def test_a_missing_model_says_how_to_get_it_back(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.*make model"):
        load_course_model(tmp_path / "nowhere.keras")


def test_a_file_that_is_no_model_is_refused(tmp_path):
    pointer = tmp_path / "course_model.keras"
    pointer.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\n")
    with pytest.raises(FileNotFoundError, match="not a .keras model file"):
        load_course_model(pointer)


def test_mnist_model_variable_points_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_MODEL", str(tmp_path / "elsewhere.keras"))
    with pytest.raises(FileNotFoundError, match="elsewhere.keras is missing"):
        load_course_model()
