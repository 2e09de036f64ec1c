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
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

RESULTS_ENV = "MNIST_RESULTS"
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
    lines = ["{:34s} {:>3s} {:>9s} {:>7s} {:>10s} {:>6s} {:>8s}".format(*header)]
    for r in sorted(results, key=lambda r: -r["test_accuracy"]):
        quick = " (quick)" if r.get("quick") else ""
        lines.append(
            f"{(r['model'] + quick)[:34]:34s} {r['notebook']:>3s} {r['test_accuracy']:9.2%} "
            f"{r['test_loss']:7.4f} {r['params']:10,d} {r['epochs']:6d} {r['train_seconds']:8.0f}"
        )
    return "\n".join(lines)


def plot_results(results: list[dict], title: str = "The course's models compared") -> Figure:
    """Test accuracy against parameter count and against training time, one point per model.

    >>> fig = plot_results(load_results())
    """
    if not results:
        raise ValueError("no results to plot: run a notebook that calls record_result first")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    notebooks = sorted({r["notebook"] for r in results})
    colours = dict(zip(notebooks, plt.rcParams["axes.prop_cycle"].by_key()["color"], strict=False))
    for ax, key, label in (
        (axes[0], "params", "parameters (log scale)"),
        (axes[1], "train_seconds", "training time on this machine, s (log scale)"),
    ):
        for r in results:
            x = max(r[key], 1e-1)
            ax.scatter(x, 100 * r["test_accuracy"], s=40, color=colours[r["notebook"]])
            ax.annotate(
                r["model"],
                (x, 100 * r["test_accuracy"]),
                fontsize=7,
                xytext=(4, 3),
                textcoords="offset points",
            )
        ax.set_xscale("log")
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("test accuracy (%)")
    for nb, colour in colours.items():
        axes[1].scatter([], [], color=colour, label=f"notebook {nb}")
    axes[1].legend(loc="lower right", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
