"""benchmarks/robustness.py changes digits as named: thicker, thinner, blurred, coarser, and
photographed in the light and on the paper its photo conditions name (benchmarks/camera.py).

Whether its record still describes the shipped model and ``to_mnist`` is not a test: a change to
``mnist_helpers/external.py`` must not fail ``make test`` until a slow re-measurement is done.
``benchmarks/stale.py`` (run by ``make benchmark``) reports it; tests/test_stale.py tests that.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
from conftest import load_script
from PIL import Image

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
        conditions = set(run["conditions"])
        assert set(robustness.CONDITIONS) <= conditions, name
        if "photos" in run:  # a run with the photo conditions has every one of them
            assert conditions == set(robustness.CONDITIONS) | set(robustness.PHOTO_NAMES), name
        # the mean of the six changes of a clean digit (the photo conditions have their own block)
        hard = [run["conditions"][n]["accuracy"] for n in robustness.CONDITIONS if n != "clean"]
        assert abs(run["mean_of_changes"] - np.mean(hard)) < 1e-4, name


def test_a_run_is_keyed_as_the_stale_records_check_reads_it(tmp_path):
    """A short run of the shipped model writes the keys benchmarks/stale.py compares: the model
    file's SHA-256 and the code hash of mnist_helpers/external.py."""
    out = tmp_path / "robustness.json"
    args = ["--split", "validation", "--n", "20", "--photos", "1", "--out", str(out)]
    assert robustness.main(args) == 0
    (run,) = json.loads(out.read_text()).values()
    assert run["model_sha256"] == file_sha256(COURSE_MODEL)
    assert run["to_mnist_code_sha256"] == stale.code_sha256(ROOT / stale.PREPROCESSING)
    assert set(run["conditions"]) == set(robustness.CONDITIONS) | set(robustness.PHOTO_NAMES)
    assert run["photos"]["digits_per_condition"] == 1
    assert run["photos"]["digits_everything_and_even_light"] == robustness.EVERYTHING_TIMES
    assert run["photos"]["to_mnist_seconds_12_megapixels_median"] > 0


def _photo(name: str, i: int = 0) -> np.ndarray:
    """Test digit ``i`` photographed under ``name``, decoded as a learner's upload would be."""
    (_, _), (x, _) = load_mnist()
    data = robustness.photo_bytes(name, x[i], i, "validation")
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=np.float32) / 255


def test_a_refused_image_counts_as_a_mistake(tmp_path, monkeypatch):
    """A refusal is read as a blank picture, which the model may well call the right digit:
    it must still count as wrong. With every image refused, every condition reads 0%."""
    import mnist_helpers
    from mnist_helpers.external import ImageError

    def refuse(source):
        raise ImageError("refused")

    monkeypatch.setattr(mnist_helpers, "to_mnist", refuse)
    out = tmp_path / "robustness.json"
    args = ["--split", "validation", "--n", "30", "--photos", "2", "--out", str(out)]
    assert robustness.main(args) == 0
    (run,) = json.loads(out.read_text()).values()
    assert {c["accuracy"] for c in run["conditions"].values()} == {0.0}
    refused = {name: c["refused"] for name, c in run["conditions"].items()}
    for name in (robustness.EVERYTHING, robustness.EVEN_LIGHT):
        assert refused.pop(name) == 2 * robustness.EVERYTHING_TIMES
    assert set(refused.values()) == {30, 2}  # every digit of each condition; 2 of each photo's


def test_each_condition_is_compared_with_even_light_on_the_same_digits(tmp_path, monkeypatch):
    """Even light is photographed on as many digits as "everything", and each condition is
    compared with it on its own digits. Here only the first digit's photos are read (the
    gradient's refused too): even light and "everything" read a third each, so "everything" is
    not below even light, while the gradient, wrong on the one digit even light read right, is
    a whole 100 points below it."""
    import mnist_helpers
    from mnist_helpers.external import ImageError

    (x, _), _ = load_mnist()
    real = mnist_helpers.to_mnist

    def read(source):  # the first digit's photo read as MNIST wrote it; every other refused
        if not isinstance(source, bytes):
            return real(source)
        name, i = source.decode().split("|")
        if int(i) or name == "photo: gradient":
            raise ImageError("refused")
        return (x[-6000] / 255).astype(np.float32)

    monkeypatch.setattr(mnist_helpers, "to_mnist", read)
    monkeypatch.setattr(robustness, "photo_bytes", lambda name, d, i, split: f"{name}|{i}".encode())
    out = tmp_path / "robustness.json"
    args = ["--split", "validation", "--n", "20", "--photos", "1", "--out", str(out)]
    assert robustness.main(args) == 0
    (run,) = json.loads(out.read_text()).values()
    thirds = [
        run["conditions"][n]["accuracy"] for n in (robustness.EVEN_LIGHT, robustness.EVERYTHING)
    ]
    assert thirds == [round(1 / 3, 4)] * 2
    others = set(robustness.PHOTO_NAMES) - {robustness.EVEN_LIGHT}
    below = dict.fromkeys(others, 0.0) | {"photo: gradient": 100.0}
    assert run["photos"]["below_even_light_points"] == below
    assert run["photos"]["worst_condition"] == "photo: gradient"
    assert run["photos"]["worst_below_even_light_points"] == 100.0


def test_the_same_photo_comes_back_each_run():
    (_, _), (x, _) = load_mnist()
    one = robustness.photo_bytes("photo: hard shadow", x[3], 3, "test")
    assert one == robustness.photo_bytes("photo: hard shadow", x[3], 3, "test")
    assert one != robustness.photo_bytes("photo: hard shadow", x[3], 3, "validation")


def test_each_photo_condition_changes_the_photo_as_named():
    even = _photo(robustness.EVEN_LIGHT)
    assert even.shape == (600, 800)
    paper = np.percentile(even, 50)
    assert paper > 0.75 and even.min() < 0.25  # light paper, dark ink
    # light that varies across the page: the page's brightest and darkest tenths far apart
    for name in ("photo: gradient", "photo: vignette", "photo: soft shadow", "photo: hard shadow"):
        spread = np.subtract(*np.percentile(_photo(name), [90, 10]))
        assert spread > 2 * np.subtract(*np.percentile(even, [90, 10])), name
    deep = _photo("photo: deep shadow")
    assert np.percentile(deep, 5) < 0.35 * paper  # paper in the shadow, not only ink
    board = _photo("photo: chalk on a board")
    assert np.median(board) < 0.3 and board.max() > 0.6  # light chalk on a dark board
    ruled = _photo("photo: ruled paper")
    rows = np.median(ruled, axis=1)  # printed lines run across the whole page
    assert (rows < np.median(rows) - 0.05).sum() >= 2
    assert _photo("photo: 12 megapixels").shape == (3024, 4032)
