"""Figures of digits and of the data set: grids, class counts, pixel statistics.

Every function takes arrays and returns a ``matplotlib.figure.Figure``; call ``plt.show()``
after it in a notebook. Images may be uint8 (0..255) or float (0..1), shaped ``(n, 28, 28)``
or ``(n, 28, 28, 1)``; they are drawn light digit on dark background, exactly as the network
sees them.

Every figure of the package takes its colours from ``PALETTE``, one colour-blind-safe set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

DIGITS = np.arange(10)

#: The eight colours of Okabe & Ito, "Color Universal Design (CUD): how to make figures and
#: presentations that are friendly to colorblind people" (2008, https://jfly.uni-koeln.de/color/),
#: made the usual choice by B. Wong, "Points of view: Color blindness", Nature Methods 8, 441
#: (2011): each stays distinct from the others for protan, deutan and tritan readers.
OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky blue": "#56B4E9",
        "bluish green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish purple": "#CC79A7",
    }
)


@dataclass(frozen=True)
class Palette:
    """The package's colours by role; every plotting function takes its colours from here.

    Right and wrong are blue and vermillion, which no colour-vision deficiency merges (the old
    green and red are the pair deuteranopes confuse most), and a wrong answer also carries a
    second cue that survives a grey-scale print: hatching or bold text. Training and validation
    curves share their run's colour and differ by line style (solid, dashed), so colour is free
    to tell runs apart. Digits stay grey. ``tests/test_palette.py`` checks all of it.

    >>> PALETTE.wrong
    '#D55E00'
    """

    right: str  #: a right answer, or the prediction when the true label is unknown
    wrong: str  #: a wrong answer (always with a second cue: hatching or bold text)
    highlight: str  #: a window, a box or a point traced on a picture
    other: str  #: bars that are not the answer: light grey
    series: tuple[str, ...]  #: one colour per run or split, in order
    notebooks: Mapping[str, str]  #: one colour per notebook in the results chart
    counts: str  #: colour map of counts from 0 (white) up: the confusion matrix
    intensity: str  #: colour map of values >= 0 on a picture: mean digits, feature maps
    signed: str  #: colour map centred on 0: blue negative, red positive (kernels, filters)
    digits: str = "gray"  #: colour map of the digits themselves


PALETTE = Palette(
    right=OKABE_ITO["blue"],
    wrong=OKABE_ITO["vermillion"],
    highlight=OKABE_ITO["orange"],
    other="#BFBFBF",
    series=tuple(
        OKABE_ITO[name]
        for name in ("blue", "orange", "bluish green", "reddish purple", "sky blue", "vermillion")
    ),
    notebooks=MappingProxyType(
        {
            "01": OKABE_ITO["sky blue"],
            "02": OKABE_ITO["blue"],
            "03": OKABE_ITO["orange"],
            "04": OKABE_ITO["bluish green"],
            "05": OKABE_ITO["reddish purple"],
            "06": OKABE_ITO["vermillion"],
        }
    ),
    # ColorBrewer's single-hue "Oranges" (C. Brewer, colorbrewer2.org, listed colour-blind
    # safe): lightness falls steadily from white, so zero stays white, more mistakes darker
    counts="Oranges",
    intensity="magma",  # perceptually uniform (Smith & van der Walt, matplotlib 1.5), black at 0
    # K. Moreland, "Diverging Color Maps for Scientific Visualization" (2009): blue and red ends
    # through a light grey middle, ends that stay apart for protan, deutan and tritan readers
    signed="coolwarm",
)


def series_colour(k: int) -> str:
    """The colour of the ``k``-th run or split of a figure (the palette's series, cycled).

    >>> series_colour(0) == PALETTE.right
    True
    """
    return PALETTE.series[k % len(PALETTE.series)]


def prediction_bars(ax: Axes, probabilities: np.ndarray, label: int | None = None) -> int:
    """Draw the ten probabilities on ``ax`` as bars and return the predicted digit.

    The predicted bar is ``PALETTE.right``; when ``label`` says it is wrong it is
    ``PALETTE.wrong`` and hatched, so it reads as wrong in grey scale too. The rest are grey.

    >>> pred = prediction_bars(ax, model.predict(x_test[:1])[0], label=y_test[0])
    """
    p = np.asarray(probabilities, dtype=float).ravel()
    pred = int(p.argmax())
    wrong = label is not None and pred != label
    bars = ax.bar(DIGITS, p, color=PALETTE.other)
    bars[pred].set_facecolor(PALETTE.wrong if wrong else PALETTE.right)
    if wrong:
        bars[pred].set_edgecolor("white")  # the hatch takes the edge's colour
        bars[pred].set_hatch("///")
    ax.set_xticks(DIGITS)
    return pred


def as_images(x: np.ndarray) -> np.ndarray:
    """A batch of digits as an ``(n, 28, 28)`` view; a trailing channel axis of 1 is dropped.

    >>> as_images(np.zeros((5, 28, 28, 1))).shape
    (5, 28, 28)
    """
    x = np.asarray(x)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(f"expected images shaped (n, 28, 28) or (n, 28, 28, 1), got {x.shape}")
    return x


def as_labels(y: np.ndarray, n: int | None = None) -> np.ndarray:
    """Integer labels shaped ``(n,)`` from integers or one-hot rows, checked against ``n`` images.

    >>> as_labels(np.eye(10)[[3, 1]])
    array([3, 1])
    """
    y = np.asarray(y)
    if y.ndim == 2:  # one-hot rows
        y = y.argmax(axis=1)
    if y.ndim != 1:
        raise ValueError(f"expected integer labels shaped (n,) or one-hot (n, 10), got {y.shape}")
    if n is not None and len(y) != n:
        raise ValueError(f"got {n} images but {len(y)} labels")
    return y.astype(int)


def ink_max(x: np.ndarray) -> float:
    """The value of full ink: 255 for uint8 digits, 1 for scaled ones."""
    return 255.0 if x.dtype == np.uint8 else 1.0


def show_digit(ax, img: np.ndarray, vmax: float) -> None:
    """Draw one 28x28 digit on ``ax`` in grey, without ticks."""
    ax.imshow(img, cmap=PALETTE.digits, vmin=0, vmax=vmax)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_digits(
    images: np.ndarray,
    labels: Sequence[int] | np.ndarray | None = None,
    predictions: Sequence[int] | np.ndarray | None = None,
    *,
    ncols: int = 5,
    title: str | None = None,
    size: float = 1.5,
    captions: Sequence[str] | None = None,
) -> Figure:
    """A grid of digits, titled with their labels (and predictions, wrong ones in bold colour).

    ``captions`` gives each digit a title of your own instead (one string per image).

    >>> fig = plot_digits(x_train[:9], y_train[:9], ncols=3, title="The first nine")
    >>> fig = plot_digits(x_test[:10], y_test[:10], predictions=pred[:10])
    >>> fig = plot_digits([two, two[:, ::-1]], captions=["a 2", "mirrored: not a 2"])
    """
    x = as_images(images)
    n = len(x)
    if n == 0:
        raise ValueError("no images to plot")
    if captions is not None and len(captions) != n:
        raise ValueError(f"one caption per image: {n} images, {len(captions)} captions")
    y = None if labels is None else as_labels(labels, n)
    p = None if predictions is None else as_labels(predictions, n)
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * nrows + (0.4 if title else 0)), squeeze=False
    )
    vmax = ink_max(x)
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.axis("off")
            continue
        show_digit(ax, x[i], vmax)
        if captions is not None:
            ax.set_title(str(captions[i]), fontsize=9)
        elif p is not None:
            wrong = y is not None and p[i] != y[i]
            text = f"true {y[i]} · pred {p[i]}" if y is not None else f"pred {p[i]}"
            ax.set_title(
                text,
                fontsize=9,
                color=PALETTE.wrong if wrong else "black",
                fontweight="bold" if wrong else "normal",
            )
        elif y is not None:
            ax.set_title(str(y[i]), fontsize=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_samples_per_class(
    images: np.ndarray, labels: np.ndarray, per_class: int = 5, seed: int = 0
) -> Figure:
    """One row per digit 0-9, ``per_class`` random examples in each: how varied handwriting is.

    >>> fig = plot_samples_per_class(x_train, y_train, per_class=5)
    """
    x = as_images(images)
    y = as_labels(labels, len(x))
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(10, per_class, figsize=(1.0 * per_class, 10.4), squeeze=False)
    vmax = ink_max(x)
    for digit in DIGITS:
        pool = np.flatnonzero(y == digit)
        if len(pool) < per_class:
            raise ValueError(f"digit {digit} has {len(pool)} examples, fewer than {per_class}")
        for ax, i in zip(axes[digit], rng.choice(pool, per_class, replace=False), strict=True):
            show_digit(ax, x[i], vmax)
        axes[digit, 0].set_ylabel(str(digit), rotation=0, labelpad=12, fontsize=12, va="center")
    fig.suptitle(f"{per_class} random examples of each digit")
    fig.tight_layout()
    return fig


def plot_class_counts(
    labels: np.ndarray | Mapping[str, np.ndarray], normalize: bool = False
) -> Figure:
    """Bar chart of how many examples each digit has; several splits side by side.

    Pass one label array, or ``{"train": y_train, "test": y_test}``. With ``normalize=True``
    the bars are percentages of each split, which makes splits of different size comparable.

    >>> fig = plot_class_counts({"train": y_train, "test": y_test}, normalize=True)
    """
    splits = dict(labels) if isinstance(labels, Mapping) else {"": labels}
    if not splits:
        raise ValueError("no labels to count")
    width = 0.8 / len(splits)
    fig, ax = plt.subplots(figsize=(8, 3.5))
    for k, (name, y) in enumerate(splits.items()):
        counts = np.bincount(as_labels(y), minlength=10)[:10]
        heights = 100 * counts / counts.sum() if normalize else counts
        offset = (k - (len(splits) - 1) / 2) * width
        bars = ax.bar(DIGITS + offset, heights, width, color=series_colour(k), label=name or None)
        if len(splits) == 1:
            ax.bar_label(bars, fmt="%.1f%%" if normalize else "%d", fontsize=8)
    ax.set_xticks(DIGITS)
    ax.set_xlabel("digit")
    ax.set_ylabel("share of the split (%)" if normalize else "number of images")
    ax.set_title("Examples per digit" + (" (share of each split)" if normalize else ""))
    if len(splits) > 1:
        ax.set_ylim(top=ax.get_ylim()[1] * 1.15)  # headroom so the legend covers no bar
        ax.legend(ncols=len(splits), loc="upper right")
    fig.tight_layout()
    return fig


def plot_split_samples(
    splits: Mapping[str, tuple[np.ndarray, np.ndarray]], n: int = 10, seed: int = 0
) -> Figure:
    """A row of ``n`` random labelled digits from each split (train, validation, test, ...).

    >>> fig = plot_split_samples({"train": (x_tr, y_tr), "validation": (x_val, y_val)})
    """
    if not splits:
        raise ValueError("no splits to plot")
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(len(splits), n, figsize=(1.1 * n, 1.45 * len(splits)), squeeze=False)
    for row, (name, (x, y)) in zip(axes, splits.items(), strict=True):
        x = as_images(x)
        y = as_labels(y, len(x))
        for ax, i in zip(row, rng.choice(len(x), n, replace=False), strict=True):
            show_digit(ax, x[i], ink_max(x))
            ax.set_title(str(y[i]), fontsize=9)
        row[0].set_ylabel(f"{name}\n{len(x):,}", rotation=0, ha="right", va="center", fontsize=9)
    fig.tight_layout()
    return fig


def plot_pixel_histogram(images: np.ndarray, bins: int = 32) -> Figure:
    """Histogram of all pixel intensities, on a log scale: most pixels are background (0).

    >>> fig = plot_pixel_histogram(x_train)
    """
    x = as_images(images)
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist(x.ravel(), bins=bins, range=(0, ink_max(x)), color=series_colour(0), log=True)
    ax.set_xlabel("pixel intensity" + (" (0-255)" if x.dtype == np.uint8 else " (0-1)"))
    ax.set_ylabel("number of pixels (log scale)")
    ax.set_title(f"Pixel intensities of {len(x):,} images")
    fig.tight_layout()
    return fig


def plot_mean_digits(images: np.ndarray, labels: np.ndarray) -> Figure:
    """The average image of each digit 0-9: where the ink usually is.

    >>> fig = plot_mean_digits(x_train, y_train)
    """
    x = as_images(images)
    y = as_labels(labels, len(x))
    fig, axes = plt.subplots(1, 10, figsize=(12, 1.7))
    for digit, ax in zip(DIGITS, axes, strict=True):
        members = x[y == digit]
        if len(members) == 0:
            raise ValueError(f"no examples of digit {digit}")
        ax.imshow(members.mean(axis=0), cmap=PALETTE.intensity)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(str(digit))
    fig.suptitle("Mean image of each digit")
    fig.tight_layout()
    return fig
