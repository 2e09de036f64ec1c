"""The results ledger records, replaces, lists and plots each notebook's models."""

from __future__ import annotations

import json

import pytest

from mnist_helpers import format_results, load_results, plot_results, record_result
from mnist_helpers.ledger import RESULTS_ENV, results_path


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
    assert saved["train_seconds"] == 12.3 and saved["quick"] is True
    assert load_results(path) == [saved]
    assert json.loads(path.read_text())[0]["model"] == "DNN"


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


def test_plot_results_one_point_per_model_on_both_panels(tmp_path):
    path = tmp_path / "results.json"
    record(path, "DNN", 0.975, notebook="02", params=109_386, train_seconds=30)
    record(path, "CNN", 0.991, notebook="03", params=130_890, train_seconds=55)
    fig = plot_results(load_results(path))
    params_ax, time_ax = fig.axes
    points = [c.get_offsets()[0] for c in params_ax.collections]
    assert [tuple(p) for p in points] == [(109_386, 97.5), (130_890, 99.1)]
    assert [tuple(c.get_offsets()[0]) for c in time_ax.collections[:2]] == [(30, 97.5), (55, 99.1)]
    assert [t.get_text() for t in params_ax.texts] == ["DNN", "CNN"]


def test_plot_results_needs_results():
    with pytest.raises(ValueError, match="no results to plot"):
        plot_results([])
