"""The results ledger: every notebook records its models here, and one chart compares them all.

Each notebook calls ``record_result`` after evaluating a model on the test set. The ledger is a
small JSON file in ``runs/`` next to the notebooks (``notebooks/runs/results.json``), a run
artefact that git ignores: it holds what *your* runs produced on *your* machine. Set
``MNIST_RESULTS`` to keep it elsewhere.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch

RESULTS_ENV = "MNIST_RESULTS"
#: The ledger of the committed notebook runs, shipped so that a fresh checkout can compare too
#: (written by ``scripts/snapshot_results.py`` after ``make notebooks``).
COURSE_RESULTS = Path(__file__).parent / "data" / "course_results.json"
FIELDS = (
    "model",
    "notebook",
    "test_accuracy",
    "test_loss",
    "params",
    "epochs",
    "train_seconds",
    "quick",
)


def results_path(path: str | Path | None = None) -> Path:
    """Where the ledger lives: ``path``, else ``$MNIST_RESULTS``, else ``./runs/results.json``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(RESULTS_ENV) or Path.cwd() / "runs" / "results.json")


def load_results(path: str | Path | None = None) -> list[dict]:
    """All recorded results, oldest first; an empty list when nothing has been recorded yet.

    >>> [r["model"] for r in load_results()]
    ['DNN 128-64 (seed 002)', 'MLP 512-512 + dropout']
    """
    file = results_path(path)
    if not file.exists():
        return []
    try:
        rows = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"the results ledger {file} is not valid JSON ({err}); delete it") from err
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValueError(f"the results ledger {file} should hold a JSON list of records; delete it")
    return rows


def course_results() -> list[dict]:
    """The results the course's committed notebook runs recorded, shipped with the package.

    They are what the notebooks on GitHub show; use them when your own ledger lacks a notebook.

    >>> sorted({r["notebook"] for r in course_results()})
    ['02', '03', '04', '05']
    """
    return load_results(COURSE_RESULTS)


def with_course_results(
    results: list[dict], notebooks: Sequence[str]
) -> tuple[list[dict], list[str]]:
    """``results`` completed with the course's own for each of ``notebooks`` that has none.

    Returns the combined list and the notebooks that were filled in, so the caller can say so.
    A notebook counts as present when ``results`` holds any row for it, quick or not.

    >>> results, borrowed = with_course_results(load_results(), ["02", "03", "04"])
    """
    present = {r.get("notebook") for r in results}
    missing = [nb for nb in notebooks if nb not in present]
    borrowed = [r for r in course_results() if r.get("notebook") in missing]
    return list(results) + borrowed, [
        nb for nb in missing if any(r["notebook"] == nb for r in borrowed)
    ]


def record_result(
    model: str,
    *,
    notebook: str,
    test_accuracy: float,
    test_loss: float,
    params: int,
    epochs: int,
    train_seconds: float,
    quick: bool = False,
    path: str | Path | None = None,
) -> dict:
    """Add (or replace, by model name) one model's test results in the ledger; returns the record.

    >>> record_result("CNN (seed 000)", notebook="03", test_accuracy=acc, test_loss=loss,
    ...               params=model.count_params(), epochs=5, train_seconds=seconds)
    """
    if not model:
        raise ValueError("a result needs a model name")
    if not 0.0 <= float(test_accuracy) <= 1.0:
        raise ValueError(f"test_accuracy is a fraction between 0 and 1, got {test_accuracy}")
    if not math.isfinite(float(test_loss)) or float(test_loss) < 0:
        raise ValueError(f"test_loss should be a finite number >= 0, got {test_loss}")
    if int(params) <= 0 or int(epochs) <= 0:
        raise ValueError(f"params and epochs should be positive, got {params} and {epochs}")
    if float(train_seconds) < 0:
        raise ValueError(f"train_seconds cannot be negative, got {train_seconds}")
    record = {
        "model": str(model),
        "notebook": str(notebook),
        "test_accuracy": round(float(test_accuracy), 6),
        "test_loss": round(float(test_loss), 6),
        "params": int(params),
        "epochs": int(epochs),
        "train_seconds": round(float(train_seconds), 1),
        "quick": bool(quick),
    }
    file = results_path(path)
    rows = [r for r in load_results(file) if r.get("model") != record["model"]]
    rows.append(record)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return record


def format_results(results: list[dict]) -> str:
    """The ledger as a plain-text table, best test accuracy first.

    >>> print(format_results(load_results()))
    """
    if not results:
        return "(no results recorded yet)"
    header = ("model", "nb", "accuracy", "loss", "params", "epochs", "train s")
    lines = ["{:40s} {:>3s} {:>9s} {:>7s} {:>10s} {:>6s} {:>8s}".format(*header)]
    for r in sorted(results, key=lambda r: -r["test_accuracy"]):
        quick = " (quick)" if r.get("quick") else ""
        lines.append(
            f"{(r['model'] + quick)[:40]:40s} {r['notebook']:>3s} {r['test_accuracy']:9.2%} "
            f"{r['test_loss']:7.4f} {r['params']:10,d} {r['epochs']:6d} {r['train_seconds']:8.0f}"
        )
    return "\n".join(lines)


def plot_results(results: list[dict], title: str = "The course's models compared") -> Figure:
    """Every recorded model as a bar of test accuracy, best at the top, coloured by notebook.

    Each bar is labelled with its accuracy, parameter count and training time on this machine,
    so the chart answers "how much better, at what cost?" at a glance.

    >>> fig = plot_results(load_results())
    """
    if not results:
        raise ValueError("no results to plot: run a notebook that calls record_result first")
    rows = sorted(results, key=lambda r: r["test_accuracy"])
    notebooks = sorted({r["notebook"] for r in rows})
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colours = dict(zip(notebooks, palette, strict=False))
    accuracy = [100 * r["test_accuracy"] for r in rows]
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(rows) + 1.2))
    bars = ax.barh(
        range(len(rows)), accuracy, color=[colours[r["notebook"]] for r in rows], height=0.7
    )
    low = min(accuracy)
    left = math.floor(low - 0.6 * (100 - low))
    ax.set_xlim(left, 100 + 0.45 * (100 - low))  # room for the labels right of the bars
    ax.set_xticks(range(left, 101))
    for bar, r in zip(bars, rows, strict=True):
        quick = " · quick" if r.get("quick") else ""
        ax.text(
            bar.get_width() + 0.01 * (100 - low),
            bar.get_y() + bar.get_height() / 2,
            f"{100 * r['test_accuracy']:.2f}% · {r['params']:,d} params · "
            f"{r['train_seconds']:.0f} s{quick}",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(rows)), [f"{r['notebook']} · {r['model']}" for r in rows], fontsize=8)
    ax.set_xlabel("test accuracy (%)")
    ax.grid(axis="x", alpha=0.3)
    handles = [Patch(color=colours[nb], label=f"notebook {nb}") for nb in notebooks]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=len(handles),
        fontsize=8,
        frameon=False,
    )
    ax.set_title(title)
    fig.tight_layout()
    return fig
