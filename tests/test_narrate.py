"""Sentences about this run: lesson, points, best_epoch, spread, reference."""

from __future__ import annotations

import pytest

from mnist_helpers import course_results
from mnist_helpers.narrate import (
    LESSON_KEY,
    best_epoch,
    callback_story,
    lesson,
    measured_spread,
    points,
    reference,
    spread,
)


@pytest.fixture
def shown(monkeypatch):
    """What lesson would display in Jupyter: (text, metadata) pairs."""
    calls = []
    monkeypatch.setattr(
        "mnist_helpers.narrate._show", lambda text, metadata=None: calls.append((text, metadata))
    )
    return calls


def test_a_lesson_outside_jupyter_prints_plain_text(capsys):
    lesson("dropout helps", True, "0.20 against 0.30")
    assert capsys.readouterr().out.startswith("**As expected: dropout helps**")


def test_a_lesson_in_a_kernel_publishes_markdown_with_its_record(monkeypatch):
    published = []
    monkeypatch.setattr("IPython.get_ipython", lambda: object())
    monkeypatch.setattr(
        "IPython.display.display",
        lambda data, raw, metadata: published.append((data, raw, metadata)),
    )
    lesson("dropout helps", False, "0.30 against 0.20")
    ((data, raw, metadata),) = published
    assert raw and data["text/markdown"] == data["text/plain"]
    assert data["text/markdown"].startswith("**Not this time: usually dropout helps")
    assert metadata == {LESSON_KEY: {"claim": "dropout helps", "held": False}}


def test_a_lesson_that_held_says_so_and_records_it(shown):
    assert lesson("the CNN beats the dense network", 0.99 > 0.97, "99.00% against 97.00%") is None
    text, meta = shown[0]
    assert text.startswith("**As expected: the CNN beats the dense network**")
    assert "99.00% against 97.00%" in text
    assert meta == {LESSON_KEY: {"claim": "the CNN beats the dense network", "held": True}}


def test_a_lesson_that_failed_says_what_happened_instead(shown):
    lesson("dropout helps", False, "it lost by 0.1 points", otherwise="Within the noise.")
    text, meta = shown[0]
    assert text.startswith("**Not this time: usually dropout helps, but in this run it lost")
    assert text.endswith("Within the noise.") and meta[LESSON_KEY]["held"] is False
    with pytest.raises(ValueError, match="claim and the evidence"):
        lesson("", True, "")


@pytest.mark.parametrize(
    "difference, text",
    [(0.9923 - 0.9902, "0.21 points"), (-0.0184, "1.84 points"), (0.01, "1.00 point")],
)
def test_points(difference, text):
    assert points(difference) == text


def test_best_epoch_reads_a_history_or_its_dict():
    class History:
        history = {"val_loss": [0.3, 0.2, 0.25], "val_accuracy": [0.9, 0.91, 0.95]}

    assert best_epoch(History()) == 2
    assert best_epoch(History.history) == 2
    with pytest.raises(ValueError, match="'val_accuracy'"):
        best_epoch({"loss": [1.0]}, key="val_accuracy")
    with pytest.raises(ValueError, match="empty"):
        best_epoch({"val_loss": []})


def test_spread_of_several_seeds():
    s = spread({"1": 0.9875, "2": 0.9861, "3": 0.9890})
    assert (s["n"], s["min"], s["max"], s["range"]) == (3, 0.9861, 0.989, 0.0029)
    assert s["mean"] == pytest.approx(0.98753, abs=1e-5) and s["std"] > 0
    with pytest.raises(ValueError, match="at least two"):
        spread([0.98])
    with pytest.raises(ValueError, match="fractions"):
        spread([98.1, 98.3])


def test_measured_spread_prefers_your_own_runs():
    mine = [{"model": "m", "seeds": {"1": 0.98, "2": 0.99}, "quick": True}]
    s, row = measured_spread(mine)
    assert row is mine[0] and s["range"] == 0.01
    assert s["where"] == "your run of notebook 04 in quick mode"
    if any(r.get("seeds") for r in course_results()):  # else: the course's own
        s, row = measured_spread([{"model": "no seeds"}])
        assert row in course_results() and "the course's reference run" in s["where"]


def test_reference_names_what_the_course_has():
    first = course_results()[0]
    assert reference(first["model"]) == first
    with pytest.raises(ValueError, match="has no model 'nothing'"):
        reference("nothing")


def test_callback_story_of_a_plateau_and_a_cut():
    """The course's reference run of the tutorial CNN (notebook 05): a plateau at epochs 8-9, the
    rate cut for epoch 10."""
    h = {
        "val_loss": [0.087, 0.094, 0.074, 0.087, 0.072, 0.043, 0.042, 0.052, 0.052, 0.035],
        "learning_rate": [1e-3] * 9 + [1e-4],
    }
    story = "\n".join(callback_story(h, epochs=10))
    assert "lowest at epoch 10 of 10 (0.0350)" in story
    assert (
        "`EarlyStopping` never fired: the longest stretch without a new best was 2 epochs" in story
    )
    assert "from 1e-03 to 1e-04 for epoch 10" in story and "from 0.0520 to 0.0350" in story
    assert "after epochs 1, 3, 5, 6, 7, 10" in story


def test_callback_story_of_an_early_stop_and_of_a_short_run():
    h = {"val_loss": [0.5, 0.4, 0.45, 0.46, 0.47], "learning_rate": [1e-3] * 5}
    story = "\n".join(callback_story(h, epochs=20))
    assert "stopped training after epoch 5 of 20" in story and "epoch 2's weights" in story
    assert "never cut the learning rate" in story
    short = "\n".join(callback_story({"val_loss": [0.5, 0.4]}, epochs=2))
    assert "2 epochs leave no room for 3 without a new best" in short
    assert "ReduceLROnPlateau" not in short  # no learning rate recorded: nothing to say
    with pytest.raises(ValueError, match="fewer than the 2 epochs"):
        callback_story({"val_loss": [0.5, 0.4]}, epochs=1)
