"""The record of `make compat` speaks for the shipped model, and shows every stack passing.

`make compat` (benchmarks/compat.py) is too slow and downloads too much for `make test`; this test
keeps its record honest instead: it fails when the record is missing, when any notebook or the
command line failed on a stack, when a stack the course promises is not in it, and when the model
it checked is not the file the package ships (re-run `make compat` after `make model`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mnist_helpers.files import file_sha256
from mnist_helpers.model import COURSE_MODEL

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "benchmarks" / "compat.json"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def pinned(name: str) -> str:
    found = re.search(rf"^{name}==([\d.]+)", (ROOT / "requirements.txt").read_text(), re.M)
    assert found, f"requirements.txt should pin {name}"
    return found.group(1)


@pytest.fixture(scope="module")
def record() -> dict:
    assert RECORD.is_file(), "no compat record: run `make compat` (see the README)"
    return json.loads(RECORD.read_text(encoding="utf-8"))


def test_the_record_is_of_the_shipped_model(record):
    """The one record key that fails the tests (benchmarks/stale.py reports the others): a Colab
    learner gets the shipped model on Colab's older Keras, so a new model must not ship before
    `make compat` has read it there."""
    shipped = file_sha256(COURSE_MODEL)
    assert record["model_sha256"] == shipped, (
        "benchmarks/compat.json checked another model file than the one shipped: "
        "run `make compat` again"
    )


@pytest.mark.parametrize(
    ("stack", "python", "keras"),
    [("colab-2025", "3.11", "3.10"), ("pinned-py3.13", "3.13", None)],
)
def test_each_promised_stack_was_checked(record, stack, python, keras):
    assert stack in record["stacks"], f"{stack} is missing from the record: run `make compat`"
    entry = record["stacks"][stack]
    assert entry["python"].startswith(python + ".")
    versions = entry["versions"]
    if keras is None:  # the course's own pins
        assert (versions["keras"], versions["numpy"]) == (pinned("keras"), pinned("numpy"))
    else:
        assert versions["keras"].startswith(keras + ".")


def test_every_notebook_and_the_command_line_passed_on_every_stack(record):
    assert record["stacks"], "the record names no stack"
    for name, entry in record["stacks"].items():
        assert sorted(entry["notebooks"]) == NOTEBOOKS, f"{name}: not every notebook was run"
        failed = {nb: r["error"] or r["noise"] for nb, r in entry["notebooks"].items()}
        failed = {nb: why for nb, why in failed.items() if not entry["notebooks"][nb]["passed"]}
        assert not failed, f"{name}: {failed}"
        cli = entry["cli"]
        assert cli["passed"] and cli["exit_status"] == 0 and cli["right"] == cli["of"] > 0, (
            f"{name}: the command line read {cli['right']} of {cli['of']} photos right"
        )


def test_every_stack_reads_the_same_model(record):
    """Read by ``load_model`` or through ``course_cnn``, the model scores the same everywhere."""
    accuracies = {name: e["model"]["test_accuracy"] for name, e in record["stacks"].items()}
    assert len(set(accuracies.values())) == 1, accuracies
    assert min(accuracies.values()) >= 0.99
