"""benchmarks/robustness.py changes digits as named: thicker, thinner, blurred, coarser.

Whether its record still describes the shipped model and ``to_mnist`` is not a test: a change to
``mnist_helpers/external.py`` must not fail ``make test`` until a slow re-measurement is done.
``benchmarks/stale.py`` (run by ``make benchmark``) reports it; tests/test_stale.py tests that.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from conftest import load_script

from mnist_helpers import load_mnist
from mnist_helpers.files import file_sha256
from mnist_helpers.model import COURSE_MODEL

ROOT = Path(__file__).resolve().parents[1]
robustness = load_script("robustness")
stale = load_script("stale")


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


def test_every_run_in_the_record_has_its_keys_and_every_condition():
    record = json.loads((ROOT / "benchmarks" / "robustness.json").read_text())
    assert record
    for name, run in record.items():
        for key in ("model_sha256", "to_mnist_code_sha256"):  # what benchmarks/stale.py reads
            assert re.fullmatch(r"[0-9a-f]{64}", run[key]), f"{name}: {key}"
        assert set(run["conditions"]) == set(robustness.CONDITIONS), name
        hard = [a["accuracy"] for n, a in run["conditions"].items() if n != "clean"]
        assert abs(run["mean_of_changes"] - np.mean(hard)) < 1e-4, name


def test_a_run_is_keyed_as_the_stale_records_check_reads_it(tmp_path):
    """A short run of the shipped model writes the keys benchmarks/stale.py compares: the model
    file's SHA-256 and the code hash of mnist_helpers/external.py."""
    out = tmp_path / "robustness.json"
    assert robustness.main(["--split", "validation", "--n", "20", "--out", str(out)]) == 0
    (run,) = json.loads(out.read_text()).values()
    assert run["model_sha256"] == file_sha256(COURSE_MODEL)
    assert run["to_mnist_code_sha256"] == stale.code_sha256(ROOT / stale.PREPROCESSING)
