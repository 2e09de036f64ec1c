"""Evaluating a trained classifier the way practitioners do: curves, per-digit scores, mistakes.

Predictions may be given as labels ``(n,)`` or as the model's probabilities ``(n, 10)``; the
functions take the arg-max where they need labels. Figures are returned, not shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from mnist_helpers.plots import (
    DIGITS,
    PALETTE,
    as_images,
    as_labels,
    ink_max,
    prediction_bars,
    series_colour,
    show_digit,
)


def history_dict(history: Any, key: str = "loss") -> dict[str, list[float]]:
    """The per-epoch curves of a Keras ``History`` (what ``fit`` returns), or of its dict.

    The course's one way to unwrap a ``History``: every helper that reads curves calls it, so a
    wrong argument gets the same clear message everywhere. ``key`` is the curve that must be
    there, and hold at least one epoch.

    >>> history_dict(history)["val_loss"]
    [0.21, 0.15, 0.13]
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping) or key not in logs:
        got = sorted(logs) if isinstance(logs, Mapping) else type(history).__name__
        raise ValueError(
            "expected a Keras History (what model.fit returns) or its .history dict with a "
            f"{key!r} curve, got {got}"
        )
    curves = {k: [float(v) for v in values] for k, values in logs.items()}
    if not curves[key]:
        raise ValueError(f"the history's {key!r} curve is empty: was the model trained?")
    return curves


def _probabilities(probs: np.ndarray, n: int | None = None) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    if p.ndim != 2 or p.shape[1] != 10:
        raise ValueError(f"expected probabilities shaped (n, 10), got {p.shape}")
    if n is not None and len(p) != n:
        raise ValueError(f"got {n} labels but {len(p)} rows of probabilities")
    return p


def _runs(history: Any) -> dict[str, dict[str, list[float]]]:
    """One history or a mapping of named ones, as {name: history dict} ("" for a single run)."""
    runs = (
        {name: history_dict(h) for name, h in history.items()}
        if isinstance(history, Mapping) and "loss" not in history
        else {"": history_dict(history)}
    )
    if not runs:
        raise ValueError("no histories to plot")
    return runs


def plot_history(history: Any, title: str | None = None, skip_epochs: int = 0) -> Figure:
    """Loss and accuracy per epoch, training (solid) against validation (dashed).

    Pass one ``History`` or several as ``{"name": history, ...}`` to compare runs on the same
    axes. A dotted line in each run's colour marks its epoch of lowest validation loss: where
    the validation curve turns up while the training curve keeps falling, the model has started
    to overfit. The first epoch's loss is often several times the rest and stretches the y-axis
    until later differences of 0.01 vanish; ``skip_epochs=1`` fits both y-axes to the epochs
    after the first (the skipped points are still drawn, running off the edge, and the panel
    titles say so). The default, 0, fits every epoch.

    >>> fig = plot_history(model.fit(x, y, validation_split=0.2, epochs=10))
    >>> fig = plot_history({"lr 0.01": history_a, "lr 0.001": history_b}, skip_epochs=1)
    """
    runs = _runs(history)
    longest = max(len(hist["loss"]) for hist in runs.values())
    if isinstance(skip_epochs, bool) or not isinstance(skip_epochs, (int, np.integer)):
        raise ValueError(f"skip_epochs should be a whole number of epochs, got {skip_epochs!r}")
    if not 0 <= skip_epochs < longest:
        raise ValueError(
            f"skip_epochs should be at least 0 and less than the {longest} epochs of the longest "
            f"run, so some are left to fit the y-axis to; got {skip_epochs}"
        )
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    best_epochs = []
    for k, (name, hist) in enumerate(runs.items()):
        colour = series_colour(k)
        prefix = f"{name}: " if name else ""
        if "val_loss" in hist:
            best_epochs.append(1 + int(np.argmin(hist["val_loss"])))
        for ax, metric in zip(axes, ("loss", "accuracy"), strict=True):
            if metric not in hist:
                continue
            epochs = np.arange(1, len(hist[metric]) + 1)
            ax.plot(epochs, hist[metric], "-o", ms=3, color=colour, label=f"{prefix}training")
            if f"val_{metric}" in hist:
                ax.plot(
                    epochs,
                    hist[f"val_{metric}"],
                    "--s",
                    ms=3,
                    color=colour,
                    label=f"{prefix}validation",
                )
            if "val_loss" in hist:
                ax.axvline(best_epochs[-1], color=colour, ls=":", lw=1)
    # one legend entry for all the dotted lines: each run's is drawn in that run's colour
    if len(runs) == 1 and best_epochs:
        best = Line2D([], [], color="0.3", ls=":", lw=1)
        best.set_label(f"lowest validation loss (epoch {best_epochs[0]})")
    elif best_epochs:
        best = Line2D([], [], color="0.3", ls=":", lw=1)
        best.set_label("lowest validation loss (each run's colour)")
    else:
        best = None
    for ax, metric in zip(axes, ("Loss", "Accuracy"), strict=True):
        ax.set_title(metric)
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        if skip_epochs and _zoom_y(ax, skip_epochs):
            ax.set_title(f"{metric} (y-axis fitted to epochs {skip_epochs + 1}+)")
        if ax.lines:
            handles, _ = ax.get_legend_handles_labels()
            ax.legend(handles=handles + ([best] if best else []), fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _zoom_y(ax: Any, skip_epochs: int) -> bool:
    """Fit the y-axis to the curves' points after epoch ``skip_epochs``; False if none are left."""
    later = [
        np.asarray(line.get_ydata(), dtype=float)[np.asarray(line.get_xdata()) > skip_epochs]
        for line in ax.lines
        if line.get_linestyle() != ":"
    ]
    values = np.concatenate(later) if later else np.array([])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return False
    low, high = float(values.min()), float(values.max())
    margin = 0.08 * (high - low) or 0.05 * abs(high) or 0.01
    ax.set_ylim(low - margin, high + margin)
    return True


def plot_learning_rate(history: Any, title: str | None = None) -> Figure:
    """The learning rate at the end of each epoch (log scale), with the validation loss beside it.

    Keras records ``learning_rate`` in the history when ``ReduceLROnPlateau`` or
    ``LearningRateScheduler`` is among the callbacks; with a schedule object, record it with a
    ``LambdaCallback`` (notebook 05 shows how). Pass one ``History`` or
    several as ``{"name": history, ...}``. Seeing both curves together shows *why* the rate
    changed: ``ReduceLROnPlateau`` cuts it after the validation loss has stalled. A schedule
    that ends at exactly 0 (a cosine decay) cannot sit on a log axis; then the axis is
    "symlog": logarithmic down to the smallest decade used, linear from there to 0, which
    becomes the bottom tick, so the last epoch stays on the plot.

    >>> fig = plot_learning_rate(model.fit(..., callbacks=[keras.callbacks.ReduceLROnPlateau()]))
    """
    runs = _runs(history)
    for name, hist in runs.items():
        which = f"history {name!r}" if name else "the history"
        if "learning_rate" not in hist:
            raise ValueError(
                f"{which} has no 'learning_rate': train with ReduceLROnPlateau or "
                "LearningRateScheduler among the callbacks, or record it with a LambdaCallback"
            )
        rates = np.asarray(hist["learning_rate"])
        if not np.all(np.isfinite(rates) & (rates >= 0)):
            raise ValueError(
                f"{which}: learning rates should be finite and >= 0, got {hist['learning_rate']}"
            )
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for k, (name, hist) in enumerate(runs.items()):
        colour = series_colour(k)
        epochs = np.arange(1, len(hist["learning_rate"]) + 1)
        axes[0].plot(epochs, hist["learning_rate"], "-o", ms=3, color=colour, label=name or None)
        if "val_loss" in hist:
            axes[1].plot(epochs, hist["val_loss"], "--s", ms=3, color=colour, label=name or None)
    rates = np.concatenate([hist["learning_rate"] for hist in runs.values()])
    if np.any(rates == 0):  # log(0) does not exist: a linear stretch near 0 keeps the point
        positive = rates[rates > 0]
        decade = 10.0 ** np.floor(np.log10(positive.min())) if positive.size else 1e-3
        axes[0].set_yscale("symlog", linthresh=decade, linscale=0.5)
        axes[0].set_ylim(bottom=-0.15 * decade)  # a little room, so the 0 markers show whole
        axes[0].set_title(f"Learning rate (log scale, linear below 1e{np.log10(decade):.0f})")
    else:
        axes[0].set_yscale("log")
        axes[0].set_title("Learning rate (log scale)")
    if axes[1].lines:
        axes[1].set_yscale("log")
    axes[1].set_title("Validation loss (log scale)")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        if any(line.get_label() and not line.get_label().startswith("_") for line in ax.lines):
            ax.legend(fontsize=8)
    if not axes[1].lines:
        axes[1].text(0.5, 0.5, "no validation data", ha="center", transform=axes[1].transAxes)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def classification_report(y_true: np.ndarray, y_pred: np.ndarray, digits: int = 4) -> str:
    """Precision, recall and F1 for each digit (scikit-learn's report), as printable text.

    *Precision* of digit d: of the images the model called d, the share that are d.
    *Recall*: of the true d's, the share the model found. *F1*: their harmonic mean.

    >>> print(classification_report(y_test, model.predict(x_test)))
    """
    from sklearn.metrics import classification_report as sk_report

    y_true = as_labels(y_true)
    y_pred = as_labels(y_pred, len(y_true))
    names = [f"digit {d}" for d in DIGITS]
    return sk_report(
        y_true, y_pred, labels=DIGITS, target_names=names, digits=digits, zero_division=0
    )


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """10x10 counts: row = true digit, column = predicted digit.

    >>> confusion_matrix([3, 3, 5], [3, 5, 5])[3, 5]
    1
    """
    y_true = as_labels(y_true)
    y_pred = as_labels(y_pred, len(y_true))
    if y_true.size and (min(y_true.min(), y_pred.min()) < 0 or max(y_true.max(), y_pred.max()) > 9):
        raise ValueError("labels must be digits 0..9")
    cm = np.zeros((10, 10), dtype=int)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def most_confused(
    y_true: np.ndarray, y_pred: np.ndarray, top: int = 5
) -> list[tuple[int, int, int]]:
    """The ``top`` most frequent mistakes as ``(true digit, predicted digit, count)``.

    >>> most_confused([4, 4, 9, 7], [9, 9, 4, 7])
    [(4, 9, 2), (9, 4, 1)]
    """
    errors = confusion_matrix(y_true, y_pred)
    np.fill_diagonal(errors, 0)
    order = np.argsort(-errors, axis=None, kind="stable")[:top]
    pairs = [
        (int(t), int(p), int(errors[t, p]))
        for t, p in zip(*np.unravel_index(order, (10, 10)), strict=True)
    ]
    return [pair for pair in pairs if pair[2] > 0]


def plot_confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, title: str | None = None
) -> Figure:
    """Heatmap of the confusion matrix. Every cell shows its count; colour shows mistakes only.

    Colouring the diagonal (about 1,000 correct answers per digit) would wash out the handful
    of mistakes that matter, so the diagonal stays white and the mistakes are shaded.

    >>> fig = plot_confusion_matrix(y_test, model.predict(x_test))
    """
    import seaborn as sns

    cm = confusion_matrix(y_true, y_pred)
    errors = cm.copy()
    np.fill_diagonal(errors, 0)
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    sns.heatmap(
        errors,
        annot=cm,
        fmt="d",
        cmap=PALETTE.counts,
        vmin=0,
        cbar_kws={"label": "mistakes"},
        linewidths=0.5,
        linecolor="0.9",
        annot_kws={"fontsize": 8},
        ax=ax,
    )
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    accuracy = np.trace(cm) / max(cm.sum(), 1)
    ax.set_title(
        title or f"Confusion matrix · {cm.sum() - np.trace(cm)} mistakes, accuracy {accuracy:.2%}"
    )
    fig.tight_layout()
    return fig


def plot_mistakes(
    images: np.ndarray, y_true: np.ndarray, probabilities: np.ndarray, n: int = 12, ncols: int = 6
) -> Figure:
    """The model's ``n`` most confident mistakes, with the confidence it gave its wrong answer.

    Confident mistakes are the interesting ones: some are the model's fault, some are digits a
    person would misread too, and a few are labelling errors in MNIST itself.

    >>> fig = plot_mistakes(x_test, y_test, model.predict(x_test))
    """
    x = as_images(images)
    y_true = as_labels(y_true, len(x))
    p = _probabilities(probabilities, len(x))
    y_pred = p.argmax(axis=1)
    wrong = np.flatnonzero(y_pred != y_true)
    wrong = wrong[np.argsort(-p[wrong, y_pred[wrong]], kind="stable")][:n]
    if len(wrong) == 0:
        fig, ax = plt.subplots(figsize=(4, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "no mistakes", ha="center", va="center")
        return fig
    ncols = min(ncols, len(wrong))
    nrows = -(-len(wrong) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.7 * ncols, 2.2 * nrows + 0.4), squeeze=False)
    for ax in axes.flat[len(wrong) :]:
        ax.axis("off")
    for ax, i in zip(axes.flat, wrong, strict=False):
        show_digit(ax, x[i], ink_max(x))
        ax.set_title(
            f"true {y_true[i]} · pred {y_pred[i]}\n{p[i, y_pred[i]]:.1%} sure",
            fontsize=9,
            color=PALETTE.wrong,
            fontweight="bold",  # all wrong: bold as plot_digits marks a wrong title
        )
    total = int((y_pred != y_true).sum())
    fig.suptitle(f"The {len(wrong)} most confident of {total} mistakes")
    fig.tight_layout()
    return fig


def plot_prediction(
    image: np.ndarray, probabilities: np.ndarray, label: int | None = None
) -> Figure:
    """One digit beside the model's ten probabilities; the predicted bar is blue if right.

    A wrong prediction's bar is vermillion and hatched, so it reads without colour too.

    >>> fig = plot_prediction(x_test[0], model.predict(x_test[:1])[0], label=y_test[0])
    """
    img = as_images(np.asarray(image)[np.newaxis])[0]
    p = _probabilities(np.asarray(probabilities).reshape(1, -1))[0]
    fig, (ax_img, ax_bar) = plt.subplots(
        1, 2, figsize=(7, 2.6), gridspec_kw={"width_ratios": [1, 2.2]}
    )
    show_digit(ax_img, img, ink_max(img))
    ax_img.set_title("input" if label is None else f"true label {label}")
    pred = prediction_bars(ax_bar, p, label)
    ax_bar.set_ylim(0, 1.05)
    ax_bar.set_xlabel("digit")
    ax_bar.set_ylabel("probability")
    ax_bar.set_title(f"predicted {pred} ({p[pred]:.1%})")
    fig.tight_layout()
    return fig
