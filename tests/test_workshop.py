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


def setup_source(path: Path) -> str:
    """A notebook's Setup: its first code cell."""
    return next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code").source


def stated_need(path: Path) -> int | None:
    """The ``needs_mib`` a notebook's Setup passes (to ``mh.setup`` or ``quick_mode``), if any."""
    found = re.search(r"\bneeds_mib=([\d_]+)", setup_source(path))
    return int(found.group(1).replace("_", "")) if found else None


def test_every_stated_need_is_read():
    """Each Setup that passes ``needs_mib`` has it read, and some do. A pattern that missed
    ``mh.setup(...)`` once found none: the check below and test_quick_mode's Binder-style runs
    then passed without holding anything."""
    needs = {path.name: stated_need(path) for path in NOTEBOOKS}
    for path in NOTEBOOKS:
        assert ("needs_mib" in setup_source(path)) == (needs[path.name] is not None), path.name
    assert any(need is not None for need in needs.values())


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


#: A duration as the tables write it: "12 s", "1 min 32 s".
DURATION = re.compile(r"(?<![\d,.])(?:\d+ min )?\d+ s\b")


def test_readme_run_times_are_the_measured_ones():
    """Each notebook's row of the README table states its full and quick times as recorded."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, runs in MEASURED["notebooks"].items():
        row = re.search(rf"^\|\s*{name[:2]}\s*\|.*$", readme, re.M)
        assert row, f"the README table has no row for {name}"
        stated = DURATION.findall(row.group(0))
        recorded = [measure._duration(runs[mode]["seconds"]) for mode in ("full", "quick")]
        assert stated == recorded, f"README's row for {name}: {stated}, the record: {recorded}"


def workshop_prose() -> str:
    """WORKSHOP.md without the blocks the benchmark script writes."""
    text = (ROOT / "WORKSHOP.md").read_text(encoding="utf-8")
    return re.sub(r"<!-- (\w+):begin -->.*?<!-- \1:end -->", "", text, flags=re.S)


#: A row of WORKSHOP.md's timetable: its start ("0:25"), its block and its last cell.
TIMETABLE_ROW = re.compile(r"^\| (\d+):(\d\d) \|([^|]*)\|.*\|([^|]*)\|\s*$", re.M)
#: An exercise as the timetable names it: "02 · 2 (stop at the best epoch, 15 min)".
TIMETABLE_EXERCISE = re.compile(r"(\d\d) · (\d+) \(.*, (\d+) min\)")
#: An exercise's title in a notebook: "2. **Stop at the best epoch.** *(15 min)* Retrain ...".
EXERCISE_TITLE = re.compile(r"^(\d+)\. \*\*[^*]+\*\* \*\((\d+) min\)\*", re.M)
#: The three self-check questions that close each block.
SELF_CHECK_MINUTES = 2


def timetable() -> list[tuple[int, str, str]]:
    """Each row of WORKSHOP.md's timetable: its start in minutes, its block, its last cell."""
    section = workshop_prose().split("## A 3-hour timetable", 1)[1].split("\n## ", 1)[0]
    return [
        (60 * int(hours) + int(minutes), block.strip(), last.strip())
        for hours, minutes, block, last in TIMETABLE_ROW.findall(section)
    ]


def exercise_minutes(path: Path) -> dict[int, int]:
    """The minutes a notebook's exercise titles state, by exercise number."""
    cells = nbformat.read(path, as_version=4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    return {int(number): int(minutes) for number, minutes in EXERCISE_TITLE.findall(text)}


def test_the_timetable_adds_up():
    """Three hours with two breaks, and every notebook's block holds its quick run (as measured),
    its exercise's minutes (as its notebook states them, where it does) and the self-check."""
    rows = timetable()
    starts = [start for start, _, _ in rows]
    assert starts[0] == 0 and starts[-1] == 180 and starts == sorted(set(starts)), starts
    assert [block for _, block, _ in rows].count("Break") == 2
    taught = []
    for (start, block, exercise), (end, _, _) in zip(rows, rows[1:], strict=False):
        number = re.match(r"\*\*(\d\d)\*\*", block)
        if not number:
            continue
        path = next(p for p in NOTEBOOKS if p.name.startswith(number.group(1)))
        taught.append(path)
        found = TIMETABLE_EXERCISE.fullmatch(exercise)
        assert found and found.group(1) == number.group(1), f"{block}: no exercise with its minutes"
        minutes = int(found.group(3))
        stated = exercise_minutes(path).get(int(found.group(2)))
        assert stated in (None, minutes), f"{block}: {minutes} min; the notebook says {stated}"
        run = MEASURED["notebooks"][path.name]["quick"]["seconds"] / 60
        assert end - start >= run + minutes + SELF_CHECK_MINUTES, f"{block} is too short"
    assert taught == NOTEBOOKS


def offline_kit_record() -> dict[str, str]:
    lines = (ROOT / "benchmarks" / "offline_kit.txt").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines)


def test_offline_kit_figures_are_the_recorded_ones():
    """Where WORKSHOP.md says what the offline kit weighs and took (the paragraph that counts its
    wheels), every figure is the one in benchmarks/offline_kit.txt, which offline_kit.sh --check
    writes: re-running the check and not the prose (or the reverse) fails here."""
    record = offline_kit_record()
    assert record["network"] == "off" and ": 7 (" in record["read"]
    quoted = [p for p in workshop_prose().split("\n\n") if re.search(r"\d wheels", p)]
    assert quoted, "WORKSHOP.md should say how many wheels the offline kit holds"
    for text in quoted:
        stated = {
            "wheels": re.findall(r"([\d,]+) wheels", text),
            "megabytes": re.findall(r"([\d,]+) MiB", text),
            "date": re.findall(r"\d{4}-\d{2}-\d{2}", text),
            "seconds": re.findall(r"(?<![\d,.])(\d+) s\b", text),
        }
        for key, values in stated.items():
            for value in values:
                assert value.replace(",", "") == record[key], (
                    f"WORKSHOP.md says {value} for the offline kit's {key}; the record, "
                    f"{record[key]}"
                )


def test_workshop_memory_figures_are_measured():
    """A MiB figure in WORKSHOP.md's prose is a recorded peak, Jupyter's share or the offline
    kit's size: a re-measure that moves a peak fails here until the prose follows."""
    peaks = {r[m]["peak_mib"] for r in MEASURED["notebooks"].values() for m in ("full", "quick")}
    known = peaks | {SERVER_MIB, int(offline_kit_record()["megabytes"])}
    for figure in re.findall(r"([\d,]+) MiB", workshop_prose()):
        assert int(figure.replace(",", "")) in known, f"WORKSHOP.md: {figure} MiB is not measured"


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
