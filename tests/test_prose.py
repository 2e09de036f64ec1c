"""The notebooks' prose tells the truth about the outputs beside it.

A figure of a run (an accuracy, "N mistakes", seconds, minutes, an epoch) must be printed by the
run, so that a learner's notebook states the learner's own figures. Markdown cells may state only
what no run can change, or a published result from the short list below, with its source. Every
lesson a committed notebook states (``mnist_helpers.narrate.lesson``) held in that run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mnist_helpers.narrate import LESSON_KEY

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: Published results the course quotes, each with where it comes from.
PUBLISHED = {
    "98.40%": "the Keras MLP example (keras-team/keras examples/mnist_mlp.py)",
    "99.22%": "keras-io's 'Simple MNIST convnet', after 15 epochs",
    "98.74%": "the LeNet-style tutorial the course reproduces in notebook 04, its reported score",
    "99.05%": "LeNet-5 in LeCun et al. 1998, 'Gradient-based learning applied to document "
    "recognition'",
    "99.64%": "Chris Deotte's Kaggle 'How to choose CNN architecture MNIST', single-CNN average",
    "92%": "a linear classifier on MNIST, LeCun et al. 1998 (7.6% error for a pairwise linear one)",
}
#: Figures of a run: a percentage with decimals, "N mistakes", a duration, an epoch number.
FIGURE = re.compile(
    r"(?P<pct>(?<![\w.])\d{1,3}\.\d+\s?%)"
    r"|(?P<mistakes>(?<![\w.,])\d[\d,]*\s+mistakes)"
    r"|(?P<duration>(?<![\w.,])\d+(?:\.\d+)?(?:\s(?:s|sec|seconds)|\s?(?:min|minutes))\b)"
    r"|(?P<epoch>\bepochs?\s+\d+\b(?!\s*(?:epochs|×)))"
)
#: Markdown that may quote a duration: the estimate in a notebook's header, labelled as such,
#: and an exercise's minutes, ``*(10 min)*``: both plans for a learner, not figures of a run.
HEADER_TIME = re.compile(r"\*\*Time\*\*.*|\*\(\d+ min\)\*", re.M)


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def prose(path: Path) -> str:
    """The notebook's markdown cells, without fenced code and without its header's time estimate."""
    text = "\n\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "markdown")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return HEADER_TIME.sub("", text)


def outputs(path: Path) -> str:
    """Everything the notebook's code cells showed: streams, plain text and rendered Markdown."""
    parts = []
    for c in cells(path):
        for out in c.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for kind in ("text/plain", "text/markdown"):
                parts.append("".join(out.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def unprinted_figures(markdown: str, printed: str) -> list[str]:
    """The run figures ``markdown`` states that ``printed`` does not show (published ones aside)."""
    flat = printed.replace(",", "")
    missing = []
    for m in FIGURE.finditer(markdown):
        figure = m.group(0)
        if m.lastgroup == "pct":
            value = figure.replace(" ", "")
            if value in PUBLISHED or re.search(rf"(?<![\d.]){re.escape(value)}", printed):
                continue
        elif m.lastgroup == "mistakes":
            number = figure.split()[0].replace(",", "")
            if re.search(rf"(?<![\d.]){number}(?![\d.])", flat):
                continue
        elif m.lastgroup == "duration":
            number, unit = re.match(r"([\d.]+)\s?(\w+)", figure).groups()
            if re.search(rf"(?<![\d.]){re.escape(number)}\s?{unit[0]}", printed):
                continue
        else:  # "epoch N": the log prints "Epoch N/M", a report "epoch N"
            number = figure.split()[-1]
            if re.search(rf"(?i)epochs?\s+{number}\b", printed):
                continue
        missing.append(f"{figure!r} in …{markdown[max(0, m.start() - 60) : m.end() + 20]}…")
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_run_figure_in_the_prose_is_printed_by_the_run(path):
    missing = unprinted_figures(prose(path), outputs(path))
    assert not missing, (
        "figures in markdown that this notebook's outputs do not show (print them from the "
        "code, or add a published one to PUBLISHED with its source):\n" + "\n".join(missing)
    )


def stated_lessons(path: Path) -> list[dict]:
    """The lessons a notebook's stored outputs state, as ``lesson`` recorded them."""
    return [
        out["metadata"][LESSON_KEY]
        for c in cells(path)
        for out in c.get("outputs", [])
        if LESSON_KEY in out.get("metadata", {})
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_lesson_stated_held_in_the_committed_run(path):
    failed = [lesson["claim"] for lesson in stated_lessons(path) if not lesson["held"]]
    assert not failed, f"lessons the committed run contradicts: {failed}"


def test_the_figure_check_catches_a_stale_figure():
    """The check itself: today's stale "(253 s)" beside "trained in 181 s" must be caught."""
    printed = "trained in 181 s\ntest accuracy 99.16%\nEpoch 10/10\n45 mistakes in 10,000"
    markdown = (
        "**99.16%** after 10 epochs (253 s). Best at epoch 10, 45 mistakes; keras-io: 99.22%."
    )
    missing = unprinted_figures(markdown, printed)
    assert len(missing) == 1 and "'253 s'" in missing[0]
    for stale in ("99.17%", "46 mistakes", "8.4 min", "epoch 4", "1,234 mistakes"):
        assert unprinted_figures(stale, printed), f"{stale!r} was not caught"
    assert not unprinted_figures("181 s, 99.16%, epoch 10, 45 mistakes, 98.40%", printed)


def test_the_lesson_records_are_found_where_jupyter_stores_them(tmp_path):
    """Display metadata as nbformat stores it is what ``stated_lessons`` reads back."""
    record = {"claim": "dropout helps", "held": False}
    out = {"output_type": "display_data", "data": {}, "metadata": {LESSON_KEY: record}}
    nb = {"cells": [{"cell_type": "code", "source": [], "outputs": [out]}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    assert stated_lessons(path) == [record]
