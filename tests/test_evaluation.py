"""Curves, reports, confusion matrices and mistake galleries show what the predictions say."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from mnist_helpers import (
    classification_report,
    confusion_matrix,
    most_confused,
    plot_confusion_matrix,
    plot_history,
    plot_learning_rate,
    plot_mistakes,
    plot_prediction,
)
from mnist_helpers.plots import PALETTE

HISTORY = {
    "loss": [0.9, 0.5, 0.3, 0.2],
    "accuracy": [0.7, 0.85, 0.9, 0.95],
    "val_loss": [0.8, 0.4, 0.45, 0.6],
    "val_accuracy": [0.72, 0.86, 0.87, 0.86],
}


class FakeHistory:  # what model.fit returns: an object with a .history dict
    history = HISTORY


def one_hot_probs(pred, confidence):
    p = np.full((len(pred), 10), 0.0)
    p[np.arange(len(pred)), pred] = confidence
    rest = (1 - np.asarray(confidence, dtype=float)) / 9
    p += np.where(p == 0, np.broadcast_to(np.asarray(rest).reshape(-1, 1), p.shape), 0)
    return p


# --- training curves ---------------------------------------------------------------------


def test_plot_history_draws_train_and_validation_per_metric():
    fig = plot_history(FakeHistory(), title="run")
    loss_ax, acc_ax = fig.axes
    assert (loss_ax.get_title(), acc_ax.get_title()) == ("Loss", "Accuracy")
    curves = [line for line in loss_ax.lines if len(line.get_xdata()) > 2]
    assert [list(line.get_ydata()) for line in curves] == [HISTORY["loss"], HISTORY["val_loss"]]
    assert list(curves[0].get_xdata()) == [1, 2, 3, 4]  # epochs count from 1
    best = [line for line in loss_ax.lines if line.get_linestyle() == ":"]
    assert best[0].get_xdata()[0] == 2  # lowest validation loss at epoch 2
    assert [t.get_text() for t in acc_ax.get_legend().get_texts()] == [
        "training",
        "validation",
        "lowest validation loss (epoch 2)",
    ]


def test_plot_history_compares_named_runs():
    other = {k: [v * 0.5 for v in vals] for k, vals in HISTORY.items()}
    fig = plot_history({"dropout": HISTORY, "no dropout": other})
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == [
        "dropout: training",
        "dropout: validation",
        "no dropout: training",
        "no dropout: validation",
        "lowest validation loss (each run's colour)",
    ]


def test_plot_history_without_validation_data():
    fig = plot_history({"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]})
    assert len(fig.axes[0].lines) == 1
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["training"]


def test_plot_history_gives_the_dotted_lines_one_legend_entry_however_many_runs():
    runs = {
        f"run {k}": {key: [v * (1 + k / 10) for v in vals] for key, vals in HISTORY.items()}
        for k in range(3)
    }
    for ax in plot_history(runs).axes:
        legend = ax.get_legend()
        entries = [t.get_text() for t in legend.get_texts()]
        assert (
            len(entries) == 7 and entries.count("lowest validation loss (each run's colour)") == 1
        )
        (handle,) = [
            h for h, t in zip(legend.legend_handles, entries, strict=True) if "lowest" in t
        ]
        assert handle.get_linestyle() == ":"  # drawn like the lines it explains
        assert len([line for line in ax.lines if line.get_linestyle() == ":"]) == 3


def test_plot_history_skip_epochs_fits_the_y_axes_to_the_later_epochs():
    hist = {
        "loss": [0.5, 0.06, 0.05, 0.04],
        "val_loss": [0.1, 0.045, 0.04, 0.042],
        "accuracy": [0.85, 0.98, 0.985, 0.99],
        "val_accuracy": [0.97, 0.985, 0.99, 0.989],
    }
    loss_ax, acc_ax = plot_history(hist).axes
    assert loss_ax.get_ylim()[1] > 0.5 and loss_ax.get_title() == "Loss"  # default: every epoch
    loss_ax, acc_ax = plot_history(hist, skip_epochs=1).axes
    low, high = loss_ax.get_ylim()
    assert low < 0.04 and 0.06 < high < 0.07  # epochs 2-4 fill the axis; 0.003 gaps show
    low, high = acc_ax.get_ylim()
    assert 0.97 < low < 0.98 and 0.99 < high < 0.995
    assert loss_ax.get_title() == "Loss (y-axis fitted to epochs 2+)"
    assert list(loss_ax.lines[0].get_ydata()) == hist["loss"]  # epoch 1 is still drawn


@pytest.mark.parametrize("skip", [-1, 4, 1.5, True])
def test_plot_history_skip_epochs_must_leave_some_epochs(skip):
    with pytest.raises(ValueError, match=f"skip_epochs should be .*got {skip}"):
        plot_history(HISTORY, skip_epochs=skip)


def test_plot_learning_rate_per_epoch_on_a_log_scale_beside_validation_loss():
    hist = dict(HISTORY, learning_rate=[1e-3, 1e-3, 1e-4, 1e-4])
    fig = plot_learning_rate(hist, title="callbacks")
    lr_ax, loss_ax = fig.axes
    assert lr_ax.get_yscale() == "log"
    assert list(lr_ax.lines[0].get_ydata()) == hist["learning_rate"]
    assert list(lr_ax.lines[0].get_xdata()) == [1, 2, 3, 4]
    assert list(loss_ax.lines[0].get_ydata()) == HISTORY["val_loss"]
    two = plot_learning_rate({"plateau": hist, "cosine": dict(hist, learning_rate=[4, 3, 2, 1])})
    assert [t.get_text() for t in two.axes[0].get_legend().get_texts()] == ["plateau", "cosine"]


def test_plot_learning_rate_keeps_a_schedule_that_ends_at_zero_on_the_axis():
    hist = dict(HISTORY, learning_rate=[1.2e-3, 3e-3, 5.1e-5, 0.0])
    lr_ax = plot_learning_rate(
        {"one-cycle": hist, "plateau": dict(HISTORY, learning_rate=[1e-3] * 4)}
    ).axes[0]
    assert lr_ax.get_yscale() == "symlog"  # a log axis has no 0: the point would vanish
    line = lr_ax.lines[0]
    assert list(line.get_ydata()) == hist["learning_rate"]
    bottom, top = lr_ax.get_ylim()
    assert bottom < 0 < 5.1e-5 < 3e-3 < top
    x, y = lr_ax.transData.transform((4, 0.0))  # where the final zero lands on screen
    box = lr_ax.get_window_extent()
    assert np.isfinite(y) and box.y0 < y < box.y0 + 0.1 * box.height  # inside, at the bottom
    assert "linear below 1e-5" in lr_ax.get_title()


def test_plot_learning_rate_rejects_negative_rates():
    with pytest.raises(ValueError, match=r"finite and >= 0, got \[0.001, -0.001"):
        plot_learning_rate(dict(HISTORY, learning_rate=[1e-3, -1e-3, 1e-3, 1e-3]))


def test_plot_learning_rate_says_which_callback_records_it():
    with pytest.raises(ValueError, match="no 'learning_rate'.*ReduceLROnPlateau"):
        plot_learning_rate(HISTORY)
    with pytest.raises(ValueError, match="history 'b' has no 'learning_rate'"):
        plot_learning_rate({"a": dict(HISTORY, learning_rate=[1, 1, 1, 1]), "b": HISTORY})


def test_plot_history_rejects_something_else():
    with pytest.raises(ValueError, match="expected a Keras History"):
        plot_history([0.5, 0.4])


# --- reports and confusion -----------------------------------------------------------------


def test_classification_report_scores_each_digit():
    y_true = np.array([3, 3, 3, 3, 5, 5, 7, 7])
    y_pred = np.array([3, 3, 5, 5, 5, 5, 7, 7])
    report = classification_report(y_true, y_pred)
    rows = {line.split()[1]: line.split()[2:] for line in report.splitlines() if "digit" in line}
    assert set(rows) == {str(d) for d in range(10)}
    precision, recall, _, support = rows["3"]
    assert (float(precision), float(recall), int(support)) == (1.0, 0.5, 4)
    assert float(rows["5"][0]) == 0.5  # half of the predicted 5s are 5s


def test_classification_report_accepts_probabilities():
    y_true = np.array([1, 2, 2])
    assert classification_report(y_true, np.eye(10)[[1, 2, 2]]) == classification_report(
        y_true, [1, 2, 2]
    )


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    cm = confusion_matrix([4, 4, 4, 9, 9], [4, 9, 9, 9, 4])
    assert cm.shape == (10, 10) and cm.sum() == 5
    assert (cm[4, 4], cm[4, 9], cm[9, 9], cm[9, 4]) == (1, 2, 1, 1)


@pytest.mark.parametrize(
    "y_true, y_pred, message",
    [([1, 2], [1], "got 2 images but 1 labels"), ([1, 10], [1, 2], r"digits 0\.\.9")],
)
def test_confusion_matrix_rejects_bad_labels(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(y_true, y_pred)


def test_most_confused_lists_mistakes_by_frequency_and_skips_correct_answers():
    y_true = [4, 4, 4, 9, 7, 7, 2]
    y_pred = [9, 9, 9, 4, 1, 7, 2]
    assert most_confused(y_true, y_pred) == [(4, 9, 3), (7, 1, 1), (9, 4, 1)]
    assert most_confused(y_true, y_pred, top=1) == [(4, 9, 3)]
    assert most_confused([1, 2], [1, 2]) == []


def test_plot_confusion_matrix_annotates_counts_and_colours_only_mistakes():
    y_true = np.array([0] * 5 + [1] * 5)
    y_pred = np.array([0] * 4 + [1] + [1] * 5)
    fig = plot_confusion_matrix(y_true, y_pred)
    ax = fig.axes[0]
    texts = [int(t.get_text()) for t in ax.texts]
    assert np.array_equal(np.array(texts).reshape(10, 10), confusion_matrix(y_true, y_pred))
    colours = ax.collections[0].get_array().reshape(10, 10)
    assert colours[0, 0] == 0 and colours[0, 1] == 1  # the diagonal is not coloured
    assert "1 mistakes, accuracy 90.00%" in ax.get_title()


def test_plot_mistakes_shows_the_most_confident_mistakes_first():
    images = np.arange(6, dtype=np.uint8)[:, None, None].repeat(28, 1).repeat(28, 2)
    y_true = np.array([1, 2, 3, 4, 5, 6])
    pred = np.array([1, 7, 8, 9, 5, 0])
    probs = one_hot_probs(pred, [0.9, 0.6, 0.99, 0.8, 0.9, 0.7])
    fig = plot_mistakes(images, y_true, probs, n=3, ncols=3)
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == [
        "true 3 · pred 8\n99.0% sure",
        "true 4 · pred 9\n80.0% sure",
        "true 6 · pred 0\n70.0% sure",
    ]
    shown = [int(ax.images[0].get_array()[0, 0]) for ax in fig.axes if ax.images]
    assert shown == [2, 3, 5]  # the images of those mistakes, not others
    assert "3 most confident of 4 mistakes" in fig._suptitle.get_text()


def test_plot_mistakes_when_there_are_none():
    images = np.zeros((2, 28, 28), np.uint8)
    fig = plot_mistakes(images, [1, 2], one_hot_probs([1, 2], [0.9, 0.9]))
    assert fig.axes[0].texts[0].get_text() == "no mistakes"


def test_plot_mistakes_rejects_labels_instead_of_probabilities():
    with pytest.raises(ValueError, match=r"probabilities shaped \(n, 10\), got \(2,\)"):
        plot_mistakes(np.zeros((2, 28, 28)), [1, 2], np.array([1, 2]))


@pytest.mark.parametrize(
    "label, colour, hatched",
    [(3, PALETTE.right, False), (5, PALETTE.wrong, True), (None, PALETTE.right, False)],
)
def test_plot_prediction_bars_are_the_probabilities(label, colour, hatched):
    probs = one_hot_probs([3], [0.8])[0]
    fig = plot_prediction(np.zeros((28, 28, 1), np.float32), probs, label=label)
    bars = fig.axes[1].patches
    assert [b.get_height() for b in bars] == pytest.approx(probs)
    assert bars[3].get_facecolor() == to_rgba(colour)
    assert bool(bars[3].get_hatch()) is hatched  # wrong reads as wrong in grey scale too
    assert fig.axes[1].get_title() == "predicted 3 (80.0%)"


def test_every_helper_that_reads_curves_unwraps_a_history_the_same_way(tmp_path):
    """One ``history_dict`` behind plots, the ledger and the narration: one message for all."""
    from mnist_helpers import best_epoch, history_dict, record_model

    class History:  # what model.fit returns, as far as the helpers look
        history = {"loss": [0.5, 0.3], "val_loss": [0.4, 0.35]}

    assert history_dict(History()) == {"loss": [0.5, 0.3], "val_loss": [0.4, 0.35]}
    assert best_epoch(History()) == 2
    with pytest.raises(ValueError, match="'loss' curve is empty: was the model trained"):
        history_dict({"loss": []})
    no_val = r"expected a Keras History .*with a 'val_loss' curve, got \['loss'\]"
    with pytest.raises(ValueError, match=no_val):
        best_epoch({"loss": [0.5]})
    not_history = r"expected a Keras History .*with a 'loss' curve, got list"
    with pytest.raises(ValueError, match=not_history):
        plot_history([0.5])
    with pytest.raises(ValueError, match=not_history):
        record_model(
            "m", None, [0.5], 1.0, test=(0.1, 0.9), notebook="02", path=tmp_path / "r.json"
        )
