"""benchmarks/robustness.py changes digits as named: thicker, thinner, blurred, coarser."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from conftest import load_script

from mnist_helpers import load_mnist
from mnist_helpers.files import file_sha256
from mnist_helpers.model import COURSE_MODEL

ROOT = Path(__file__).resolve().parents[1]
robustness = load_script("robustness")


def _ink(img: np.ndarray) -> int:
    return int((img < 128).sum())  # dark ink on light paper


def test_each_condition_changes_the_photo_as_named():
    (x, _), _ = load_mnist()
    img = robustness.photo(x[0])
    assert img.shape == (112, 112) and img[0, 0] > 200 and img.min() < 50  # light paper, dark ink
    c = robustness.CONDITIONS
    assert np.array_equal(c["clean"](img), img)
    assert _ink(img) < _ink(c["thick pen"](img)) < _ink(c["very thick pen"](img))
    assert _ink(c["thin pen"](img)) < _ink(img)
    for name in ("blurred", "low resolution", "low resolution, blurred"):
        changed = c[name](img)
        assert changed.shape == img.shape
        assert np.abs(np.diff(changed, axis=1)).max() < np.abs(np.diff(img, axis=1)).max()


def test_the_record_is_of_the_shipped_model():
    record = json.loads((ROOT / "benchmarks" / "robustness.json").read_text())
    shipped = file_sha256(COURSE_MODEL)
    runs = [r for r in record.values() if r["model_sha256"] == shipped]
    assert runs, "benchmarks/robustness.json has no run of the shipped model: run the script"
    preprocessing = file_sha256(robustness.PREPROCESSING)
    for run in runs:
        assert run["to_mnist_sha256"] == preprocessing, (
            "mnist_helpers/external.py changed since the shipped model's robustness was measured: "
            "run benchmarks/robustness.py again (both splits)"
        )
        assert set(run["conditions"]) == set(robustness.CONDITIONS)
        hard = [a["accuracy"] for n, a in run["conditions"].items() if n != "clean"]
        assert abs(run["mean_of_changes"] - np.mean(hard)) < 1e-4
