"""The results ledger records, replaces, lists and plots each notebook's models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mnist_helpers import (
    course_results,
    format_results,
    load_results,
    plot_results,
    record_model,
    record_result,
    with_course_results,
)
from mnist_helpers.ledger import FIELDS, RESULTS_ENV, results_path


def record(path, model="CNN", accuracy=0.99, **extra):
    values = dict(
        notebook="03",
        test_accuracy=accuracy,
        test_loss=0.03,
        params=1000,
        epochs=5,
        train_seconds=12.34,
        path=path,
    )
    values.update(extra)
    return record_result(model, **values)


def test_record_and_load_round_trip(tmp_path):
    path = tmp_path / "runs" / "results.json"
    assert load_results(path) == []
    saved = record(path, "DNN", 0.975, notebook="02", quick=True)
    assert saved["train_seconds"] == 12.34 and saved["quick"] is True
    assert load_results(path) == [saved]
    assert json.loads(path.read_text())[0]["model"] == "DNN"


def test_tables_print_the_seconds_the_notebook_printed(tmp_path):
    """A notebook prints ``f"{seconds:.0f}"`` of its own timer; the ledger's table and plot must
    say the same whole seconds, so the ledger may not round first (16.54 s to 16.5 s, which
    prints as 16 under Python's round-half-to-even)."""
    path = tmp_path / "results.json"
    seconds = 16.54
    record(path, "DNN", 0.975, train_seconds=seconds)
    [row] = load_results(path)
    said = f"{seconds:.0f}"
    assert format_results([row]).splitlines()[1].split()[-1] == said
    fig = plot_results([row])
    assert f"· {said} s" in fig.axes[0].texts[0].get_text()


def test_a_write_cut_short_leaves_the_ledger_as_it_was(tmp_path, monkeypatch):
    """A write that fails halfway (a full disk, say) leaves the ledger whole and readable, as
    it was, and no partial file beside it."""
    path = tmp_path / "results.json"
    record(path, "DNN", 0.97)
    before = path.read_text()
    real_write = Path.write_text

    def cut_short(self, text, *args, **kwargs):
        real_write(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", cut_short)
    with pytest.raises(OSError):
        record(path, "CNN", 0.99)
    monkeypatch.undo()
    assert path.read_text() == before
    assert [r["model"] for r in load_results(path)] == ["DNN"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]  # nothing left behind


def test_recording_a_model_again_replaces_its_row(tmp_path):
    path = tmp_path / "results.json"
    record(path, "DNN", 0.97)
    record(path, "CNN", 0.99)
    record(path, "DNN", 0.98)
    rows = load_results(path)
    assert [(r["model"], r["test_accuracy"]) for r in rows] == [("CNN", 0.99), ("DNN", 0.98)]


def test_default_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(RESULTS_ENV, str(tmp_path / "elsewhere.json"))
    assert results_path() == tmp_path / "elsewhere.json"
    monkeypatch.delenv(RESULTS_ENV)
    monkeypatch.chdir(tmp_path)
    assert results_path() == tmp_path / "runs" / "results.json"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"test_accuracy": 99.2}, "fraction between 0 and 1, got 99.2"),
        ({"test_loss": float("nan")}, "finite number"),
        ({"params": 0}, "should be positive"),
        ({"train_seconds": -1}, "cannot be negative"),
    ],
)
def test_record_rejects_impossible_values(tmp_path, changes, message):
    with pytest.raises(ValueError, match=message):
        record(tmp_path / "r.json", **changes)
    assert not (tmp_path / "r.json").exists()


def test_a_damaged_ledger_says_what_to_do(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON.*delete it"):
        load_results(path)


def test_format_results_sorts_by_accuracy(tmp_path):
    path = tmp_path / "results.json"
    record(path, "DNN", 0.975, notebook="02", params=109_386)
    record(path, "CNN", 0.991, notebook="03", quick=True)
    lines = format_results(load_results(path)).splitlines()
    assert lines[1].startswith("CNN (quick)") and "99.10%" in lines[1]
    assert lines[2].startswith("DNN") and "97.50%" in lines[2] and "109,386" in lines[2]
    assert format_results([]) == "(no results recorded yet)"


def test_plot_results_one_bar_per_model_best_on_top(tmp_path):
    path = tmp_path / "results.json"
    record(path, "CNN", 0.991, notebook="03", params=130_890, train_seconds=55)
    record(path, "DNN", 0.975, notebook="02", params=109_386, train_seconds=30, quick=True)
    fig = plot_results(load_results(path))
    [ax] = fig.axes
    widths = [bar.get_width() for bar in ax.patches]
    assert widths == pytest.approx([250, 90])  # mistakes per 10,000; the fewest at the top (last)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["02 · DNN", "03 · CNN"]
    labels = [t.get_text() for t in ax.texts]
    assert labels == [
        "97.50% · 250 mistakes · 109,386 params · 30 s · quick",
        "99.10% · 90 mistakes · 130,890 params · 55 s",
    ]
    assert ax.get_xlim()[0] == 0  # from zero: bar lengths compare honestly
    assert "starts at 0" in ax.get_xlabel() and "mistakes per 10,000" in ax.get_xlabel()


def test_plot_results_labels_fit_inside_the_axes_and_quick_runs_are_hatched(tmp_path):
    path = tmp_path / "results.json"
    seeds = {1: 0.9401, 2: 0.9423}  # the worst model carries the longest label
    record(path, "a long name", 0.9412, params=669_706, quick=True, seeds=seeds)
    record(path, "best", 0.9955)
    fig = plot_results(load_results(path))
    [ax] = fig.axes
    fig.canvas.draw()
    right = ax.get_window_extent().x1
    assert all(t.get_window_extent().x1 < right for t in ax.texts)  # no label runs off
    quick, best = ax.patches
    assert quick.get_hatch() and not best.get_hatch()
    assert "quick run" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_results_rejects_rows_that_are_not_results():
    with pytest.raises(ValueError, match="needs the fields model, notebook, test_accuracy.*got"):
        plot_results([{"model": "CNN", "accuracy": 0.99}])


def test_plot_results_needs_results():
    with pytest.raises(ValueError, match="no results to plot"):
        plot_results([])


def test_course_results_ship_with_the_package():
    rows = course_results()
    assert rows, "mnist_helpers/data/course_results.json is missing or empty"
    assert {"02", "03", "04", "05"} <= {r["notebook"] for r in rows}
    assert not any(r["quick"] for r in rows)
    assert set(FIELDS) <= set(rows[0])


def test_with_course_results_fills_only_the_missing_notebooks(tmp_path):
    path = tmp_path / "results.json"
    mine = record(path, "my CNN", 0.99, notebook="03")
    combined, borrowed = with_course_results(load_results(path), ["02", "03"])
    assert borrowed == ["02"]
    assert mine in combined
    assert [r for r in combined if r["notebook"] == "03"] == [mine]
    assert [r for r in combined if r["notebook"] == "02"] == [
        r for r in course_results() if r["notebook"] == "02"
    ]
    assert with_course_results([mine], ["03"]) == ([mine], [])


def test_optional_curves_seeds_and_validation_accuracy_are_kept(tmp_path):
    path = tmp_path / "results.json"

    class History:  # what keras.Model.fit returns: the curves in .history
        history = {"loss": [0.5, 0.25], "val_loss": [0.4, 0.3333333333], "other": [1, 2]}

    saved = record(
        path, val_accuracy=0.98, val_loss=0.0412, history=History(), seeds={1: 0.981, 2: 0.9865}
    )
    assert saved["val_loss"] == 0.0412
    assert saved["history"] == {"loss": [0.5, 0.25], "val_loss": [0.4, 0.333333]}
    assert saved["seeds"] == {"1": 0.981, "2": 0.9865} and saved["val_accuracy"] == 0.98
    assert load_results(path) == [saved]
    assert "history" not in record(path, "plain")  # optional: absent unless given


@pytest.mark.parametrize(
    "extra, message",
    [
        (dict(val_accuracy=98.0), "val_accuracy is a fraction"),
        (dict(val_loss=float("nan")), "val_loss should be a finite number"),
        (dict(history=[0.1, 0.2]), "Keras History"),
        (dict(history={"val_loss": [0.1]}), "'loss' curve"),
        (dict(seeds={1: 0.98}), "2 or more"),
        (dict(seeds={1: 0.98, 2: 98.1}), "test accuracy"),
    ],
)
def test_optional_fields_reject_wrong_values(tmp_path, extra, message):
    with pytest.raises(ValueError, match=message):
        record(tmp_path / "results.json", **extra)


def test_plot_results_draws_the_range_of_a_several_seed_recipe(tmp_path):
    path = tmp_path / "results.json"
    record(path, "one run", 0.99)
    record(path, "five seeds", 0.985, seeds={1: 0.98, 2: 0.99, 3: 0.985})
    fig = plot_results(load_results(path))
    ax = fig.axes[0]
    (bar,) = [c for c in ax.containers if type(c).__name__ == "ErrorbarContainer"]
    segments = bar.lines[2][0].get_segments()
    assert [round(x, 6) for x in segments[0][:, 0]] == [100.0, 200.0]  # best to worst seed
    assert any("mean of 3 seeds" in t.get_text() for t in ax.texts)


def test_record_model_reads_size_epochs_and_curves_off_the_model(tmp_path):
    class Model:
        def count_params(self):
            return 4321

    class History:
        history = {"loss": [0.5, 0.3, 0.2], "val_loss": [0.4, 0.35, 0.36]}

    path = tmp_path / "results.json"
    saved = record_model(
        "tiny", Model(), History(), 7.25, test=[0.031, 0.991], notebook="03", path=path
    )
    assert (saved["params"], saved["epochs"], saved["test_accuracy"]) == (4321, 3, 0.991)
    assert saved["test_loss"] == 0.031 and saved["history"]["val_loss"] == [0.4, 0.35, 0.36]
    assert load_results(path) == [saved]
    again = record_model(
        "tiny", Model(), History(), 1.0, test=(0.1, 0.9), notebook="03", val_loss=0.05, path=path
    )
    assert again["val_loss"] == 0.05
    with pytest.raises(ValueError, match=r"\(loss, accuracy\)"):
        record_model("x", Model(), History(), 1.0, test=0.99, notebook="03", path=path)
    with pytest.raises(ValueError, match="what model.fit returns"):
        record_model(
            "x", Model(), {"val_loss": [1]}, 1.0, test=(0.1, 0.9), notebook="03", path=path
        )


def test_snapshot_ships_the_full_runs_in_notebook_order(tmp_path, monkeypatch):
    """After `make notebooks`, the snapshot takes every full run of its ledger (a quick run
    left out), ordered by notebook."""
    from conftest import load_script

    module = load_script("snapshot_results")
    monkeypatch.setattr(module, "COURSE_RESULTS", tmp_path / "course_results.json")
    ledger = tmp_path / "results.json"
    record(ledger, "LeNet", 0.99, notebook="04")
    record(ledger, "DNN", 0.97, notebook="02")
    record(ledger, "DNN quick", 0.90, notebook="02", quick=True)
    assert module.main(ledger) == 0
    rows = json.loads((tmp_path / "course_results.json").read_text())
    assert [(r["model"], r["test_accuracy"]) for r in rows] == [("DNN", 0.97), ("LeNet", 0.99)]


def test_format_results_keeps_long_names_whole_and_columns_aligned(tmp_path):
    """'LeNet, dropout, lr 0.01 (tutorial recipe) (quick)' was cut to '... (qui'."""
    path = tmp_path / "results.json"
    name = "LeNet, dropout, lr 0.01 (tutorial recipe)"
    record(path, name, 0.97, notebook="04", quick=True)
    record(path, "DNN", 0.975, notebook="02")
    lines = format_results(load_results(path)).splitlines()
    assert any(line.startswith(name + " (quick) ") for line in lines)
    assert len({line.index(" nb ") if i == 0 else None for i, line in enumerate(lines)}) == 2
    assert len({len(line) for line in lines}) == 1, "columns out of line"
