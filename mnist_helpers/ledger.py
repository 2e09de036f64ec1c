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
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from mnist_helpers.evaluation import history_dict
from mnist_helpers.plots import PALETTE

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
#: Optional fields: the per-epoch curves (for the reference run's lessons) and, for a model
#: trained on several seeds, each seed's test accuracy.
OPTIONAL_FIELDS = ("val_accuracy", "val_loss", "history", "seeds")
HISTORY_KEYS = ("loss", "val_loss", "accuracy", "val_accuracy", "learning_rate")
#: The size of the MNIST test set: ``plot_results`` counts mistakes per this many digits.
MISTAKES_PER = 10_000


def results_path(path: str | Path | None = None) -> Path:
    """Where the ledger lives: ``path``, else ``$MNIST_RESULTS``, else ``./runs/results.json``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(RESULTS_ENV) or Path.cwd() / "runs" / "results.json")


def load_results(path: str | Path | None = None) -> list[dict]:
    """All recorded results, oldest first; an empty list when nothing has been recorded yet.

    >>> [r["model"] for r in load_results()]
    ['DNN 128-64 (tutorial baseline)', 'MLP 512-512, dropout, cosine LR']
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
    val_accuracy: float | None = None,
    val_loss: float | None = None,
    history: object | None = None,
    seeds: Mapping[int, float] | None = None,
    path: str | Path | None = None,
) -> dict:
    """Add (or replace, by model name) one model's test results in the ledger; returns the record.

    Optionally ``val_accuracy`` and ``val_loss`` (what the model was chosen by), ``history`` (a
    Keras ``History`` or its dict: the per-epoch curves are kept, so a quick run can show the
    reference run's curves) and ``seeds`` (seed → test accuracy, for a recipe trained on several
    seeds; then ``test_accuracy`` is their mean).

    >>> record_result("CNN (classic recipe)", notebook="03", test_accuracy=acc, test_loss=loss,
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
        # to the millisecond: a table printing whole seconds then says what the notebook printed
        "train_seconds": round(float(train_seconds), 3),
        "quick": bool(quick),
    }
    if val_accuracy is not None:
        if not 0.0 <= float(val_accuracy) <= 1.0:
            raise ValueError(f"val_accuracy is a fraction between 0 and 1, got {val_accuracy}")
        record["val_accuracy"] = round(float(val_accuracy), 6)
    if val_loss is not None:
        if not math.isfinite(float(val_loss)) or float(val_loss) < 0:
            raise ValueError(f"val_loss should be a finite number >= 0, got {val_loss}")
        record["val_loss"] = round(float(val_loss), 6)
    if history is not None:
        record["history"] = _curves(history)
    if seeds is not None:
        if len(seeds) < 2 or not all(0.0 <= float(a) <= 1.0 for a in seeds.values()):
            raise ValueError(f"seeds maps each seed to a test accuracy (2 or more), got {seeds}")
        record["seeds"] = {str(k): round(float(v), 6) for k, v in seeds.items()}
    file = results_path(path)
    rows = [r for r in load_results(file) if r.get("model") != record["model"]]
    rows.append(record)
    file.parent.mkdir(parents=True, exist_ok=True)
    # a whole new file, then renamed over the old one: a notebook reading the ledger while
    # another writes it (make test runs two at once) never sees half a file, nor does a failed
    # write leave one. Two writes at the same instant can still lose one row (the later wins).
    handle, name = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".partial")
    os.close(handle)
    partial = Path(name)
    try:
        partial.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)
    return record


def _curves(history: object) -> dict:
    """The per-epoch curves of a Keras ``History`` (or its dict) as short lists of floats."""
    logs = history_dict(history)
    return {k: [float(f"{v:.6g}") for v in logs[k]] for k in HISTORY_KEYS if k in logs}


def format_results(results: list[dict]) -> str:
    """The ledger as a plain-text table, best test accuracy first.

    >>> print(format_results(load_results()))
    """
    if not results:
        return "(no results recorded yet)"
    header = ("model", "nb", "accuracy", "loss", "params", "epochs", "train s")
    names = [r["model"] + (" (quick)" if r.get("quick") else "") for r in results]
    width = max(len(header[0]), *map(len, names))  # whole names: a cut one can read as another
    lines = [
        f"{header[0]:{width}s} " + "{:>3s} {:>9s} {:>7s} {:>10s} {:>6s} {:>8s}".format(*header[1:])
    ]
    for name, r in sorted(zip(names, results, strict=True), key=lambda p: -p[1]["test_accuracy"]):
        lines.append(
            f"{name:{width}s} {r['notebook']:>3s} {r['test_accuracy']:9.2%} "
            f"{r['test_loss']:7.4f} {r['params']:10,d} {r['epochs']:6d} {r['train_seconds']:8.0f}"
        )
    return "\n".join(lines)


def plot_results(results: list[dict], title: str = "The course's models compared") -> Figure:
    """Every recorded model as a bar of its test mistakes per 10,000 digits, fewest at the top.

    Mistakes on an axis from zero, not accuracy on an axis cut at 94%: a cut axis makes 98.6%
    look several times worse than 99.5%, while 142 mistakes against 45 says by how much. Bars
    are coloured by notebook; quick runs are hatched and say "quick"; a recipe trained on several
    seeds (a ``seeds`` field) shows their mean, with black whiskers from its best seed to its
    worst. Each bar is labelled with accuracy, mistakes, parameters and training time on this
    machine, so the chart answers "how much better, at what cost?" at a glance.

    >>> fig = plot_results(load_results())
    """
    if not results:
        raise ValueError("no results to plot: run a notebook that calls record_result first")
    needed = [f for f in FIELDS if f != "quick"]
    for r in results:
        if not isinstance(r, Mapping) or not set(needed) <= set(r):
            raise ValueError(f"each result needs the fields {', '.join(needed)}; got {r!r:.120}")
    rows = sorted(results, key=lambda r: r["test_accuracy"])  # most mistakes at the bottom
    notebooks = sorted({r["notebook"] for r in rows})
    colours = _notebook_colours(notebooks)
    mistakes = [MISTAKES_PER * (1 - r["test_accuracy"]) for r in rows]
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(rows) + 1.4))
    bars = ax.barh(
        range(len(rows)),
        mistakes,
        color=[colours[r["notebook"]] for r in rows],
        hatch=["///" if r.get("quick") else None for r in rows],
        edgecolor="white",
        height=0.7,
    )
    ends = list(mistakes)  # where each label starts: after the bar, or after its seed range
    for i, r in enumerate(rows):  # a recipe run on several seeds: its range, best to worst seed
        if r.get("seeds"):
            runs = [MISTAKES_PER * (1 - a) for a in r["seeds"].values()]
            xerr = [[mistakes[i] - min(runs)], [max(runs) - mistakes[i]]]
            ax.errorbar(mistakes[i], i, xerr=xerr, fmt="none", color="black", capsize=3, lw=1)
            ends[i] = max(ends[i], max(runs))
    labels = []
    for bar, r, end, wrong in zip(bars, rows, ends, mistakes, strict=True):
        note = " · quick" if r.get("quick") else ""
        if r.get("seeds"):
            note += f" · mean of {len(r['seeds'])} seeds, whiskers: best to worst"
        label = ax.annotate(
            f"{100 * r['test_accuracy']:.2f}% · {wrong:.0f} mistakes · {r['params']:,d} params · "
            f"{r['train_seconds']:.0f} s{note}",
            (end, bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
        labels.append((end, label))
    ax.set_yticks(range(len(rows)), [f"{r['notebook']} · {r['model']}" for r in rows], fontsize=8)
    ax.set_xlabel(
        f"test mistakes per {MISTAKES_PER:,} digits (the axis starts at 0; fewer is better)"
    )
    ax.grid(axis="x", alpha=0.3)
    handles = [Patch(color=colours[nb], label=f"notebook {nb}") for nb in notebooks]
    if any(r.get("quick") for r in rows):
        handles.append(Patch(facecolor="0.6", edgecolor="white", hatch="///", label="quick run"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=len(handles),
        fontsize=8,
        frameon=False,
    )
    ax.set_title(title)
    ax.set_xlim(0, 1.6 * max(ends) or 1)
    fig.tight_layout()
    _make_room_for(ax, labels)
    return fig


def _notebook_colours(notebooks: Sequence[str]) -> dict[str, str]:
    """Each notebook's colour in the results chart: its own in ``PALETTE.notebooks``, the same in
    every chart, and for a notebook the palette does not know, a series colour no other uses.

    >>> _notebook_colours(["02", "05"]) == {"02": PALETTE.notebooks["02"], "05": "#CC79A7"}
    True
    """
    colours = {nb: PALETTE.notebooks[nb] for nb in notebooks if nb in PALETTE.notebooks}
    spare = [c for c in PALETTE.series if c not in colours.values()] or list(PALETTE.series)
    unknown = [nb for nb in notebooks if nb not in colours]
    colours |= {nb: spare[k % len(spare)] for k, nb in enumerate(unknown)}
    return colours


def _make_room_for(ax: Axes, labels: list[tuple[float, Text]]) -> None:
    """Widen the x-axis (from 0) until every label, placed at its data x, ends inside the axes."""
    renderer = getattr(ax.figure.canvas, "get_renderer", lambda: None)()
    if renderer is None:  # a backend that cannot measure text: keep the rough guess
        return
    width = ax.get_window_extent(renderer).width
    gap = 8 * ax.figure.dpi / 72  # the labels' 4-point offset and as much again, in pixels
    right = max(x for x, _ in labels) * 1.05 or 1
    for x, text in labels:
        room = width - text.get_window_extent(renderer).width - gap
        if room > 0:
            right = max(right, x * width / room)
    ax.set_xlim(0, right)


def record_model(
    model_name: str,
    model: Any,
    history: Any,
    train_seconds: float,
    *,
    test: Sequence[float],
    notebook: str,
    quick: bool = False,
    val_accuracy: float | None = None,
    val_loss: float | None = None,
    seeds: Mapping[int, float] | None = None,
    path: str | Path | None = None,
) -> dict:
    """``record_result`` for a trained Keras model: its size, epochs and curves read off it.

    ``test`` is the ``(loss, accuracy)`` pair that ``model.evaluate`` returns; the parameter
    count comes from ``model.count_params()``, the number of epochs and the per-epoch curves from
    ``history`` (what ``model.fit`` returned).

    >>> record_model("CNN (classic recipe)", model, history, seconds,
    ...              test=model.evaluate(x_test, y_test, verbose=0), notebook="03")
    """
    logs = history_dict(history)  # a clear error now, not halfway through writing the ledger
    if isinstance(test, (str, bytes)) or not isinstance(test, Sequence) or len(test) != 2:
        raise ValueError(
            f"test should be (loss, accuracy), as model.evaluate returns them, got {test!r:.80}"
        )
    test_loss, test_accuracy = test
    return record_result(
        model_name,
        notebook=notebook,
        test_accuracy=float(test_accuracy),
        test_loss=float(test_loss),
        params=int(model.count_params()),
        epochs=len(logs["loss"]),
        train_seconds=train_seconds,
        quick=quick,
        val_accuracy=val_accuracy,
        val_loss=val_loss,
        history=logs,
        seeds=seeds,
        path=path,
    )
