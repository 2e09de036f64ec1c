"""WORKSHOP.md's figures are the measured ones, and the measurements say every notebook runs in
Binder's memory (quick mode switching itself on where a full run would not fit)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import load_script

from mnist_helpers.config import SERVER_MIB

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MEASURED = json.loads((ROOT / "benchmarks" / "notebooks.json").read_text())
BINDER_MIB = 2048  # mybinder.org: at least 1 GB, at most 2 GB a session

measure = load_script("measure_notebooks")


def block(name: str) -> str:
    text = (ROOT / "WORKSHOP.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- {name}:begin -->\n(.*?)\n<!-- {name}:end -->", text, re.S)
    assert found, f"WORKSHOP.md has no {name} block"
    return found.group(1)


def test_workshop_tables_are_the_measurements():
    """Regenerate with `python benchmarks/measure_notebooks.py --table` after measuring again."""
    assert block("measured") == measure.render_table(MEASURED)
    assert block("sizing") == measure.render_sizing(MEASURED)


def test_every_notebook_is_measured_in_both_modes():
    assert sorted(MEASURED["notebooks"]) == [p.name for p in NOTEBOOKS]
    for runs in MEASURED["notebooks"].values():
        for mode in ("full", "quick"):
            assert runs[mode]["seconds"] > 0 and runs[mode]["peak_mib"] > 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name[:2] for p in NOTEBOOKS])
def test_quick_run_took_under_a_minute(path):
    assert MEASURED["notebooks"][path.name]["quick"]["seconds"] < 60


def stated_need(path: Path) -> int | None:
    """The ``needs_mib`` a notebook's Setup passes to quick_mode, if any."""
    setup = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    found = re.search(r"quick_mode\(needs_mib=([\d_]+)\)", setup.source)
    return int(found.group(1).replace("_", "")) if found else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name[:2] for p in NOTEBOOKS])
def test_every_notebook_fits_binder(path):
    """The quick run fits in 2 GB beside Jupyter. A full run that would not fit must state its
    measured need, so quick mode switches on by itself there; a stated need must be no less
    than what was measured."""
    runs = MEASURED["notebooks"][path.name]
    assert runs["quick"]["peak_mib"] + SERVER_MIB <= BINDER_MIB
    need = stated_need(path)
    if runs["full"]["peak_mib"] + SERVER_MIB > BINDER_MIB:
        assert need is not None, f"{path.name}: its full run does not fit Binder; pass needs_mib"
    if need is not None:
        assert need >= runs["full"]["peak_mib"], f"{path.name}: needs_mib is below the measurement"


def test_readme_run_times_are_the_measured_ones():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, runs in MEASURED["notebooks"].items():
        full, quick = (measure._duration(runs[mode]["seconds"]) for mode in ("full", "quick"))
        row = re.search(rf"^\| {name[:2]} \|.*$", readme, re.M)
        assert row and f"| {full} · {quick} |" in row.group(0), f"README's row for {name}"


def test_offline_kit_figures_are_the_recorded_ones():
    """WORKSHOP.md's "Tested here" quotes benchmarks/offline_kit.txt, which offline_kit.sh
    --check writes; re-running the check and not the prose (or the reverse) fails here."""
    record = dict(
        line.split(": ", 1)
        for line in (ROOT / "benchmarks" / "offline_kit.txt").read_text().splitlines()
    )
    assert record["network"] == "off" and ": 7 (" in record["read"]
    text = (ROOT / "WORKSHOP.md").read_text(encoding="utf-8")
    tested = text[text.index("**Tested here**") : text.index("## A plan for 100 seats")]
    for quoted in (
        record["date"],
        f"{record['wheels']} wheels",
        f"{record['megabytes']} MiB",
        f"{record['seconds']} s in all",
    ):
        assert quoted in tested, f"WORKSHOP.md should say {quoted!r}, as the record does"


def test_the_benchmark_finds_the_slowest_cells_from_nbclients_timestamps():
    def cell(source, start, end):
        stamps = {"iopub.execute_input": start, "shell.execute_reply": end}
        return {"cell_type": "code", "source": source, "metadata": {"execution": stamps}}

    executed = {
        "cells": [
            {"cell_type": "markdown", "source": "# title", "metadata": {}},
            cell("\nimport keras", "2026-11-22T10:00:00.000Z", "2026-11-22T10:00:05.500Z"),
            cell(["model.fit(\n", "  x)"], "2026-11-22T10:00:06Z", "2026-11-22T10:02:06Z"),
            {"cell_type": "code", "source": "never run", "metadata": {}},
        ]
    }
    assert measure.slowest_cells(executed, top=2) == [
        {"cell": 2, "first_line": "model.fit(", "seconds": 120.0},
        {"cell": 1, "first_line": "import keras", "seconds": 5.5},
    ]
    assert measure.slowest_cells({"cells": []}) == []
