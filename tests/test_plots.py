"""The data-set figures: right axes, right titles, and the right pixels in the right place."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from mnist_helpers import (
    plot_class_counts,
    plot_digits,
    plot_mean_digits,
    plot_pixel_histogram,
    plot_samples_per_class,
    plot_split_samples,
)
from mnist_helpers.plots import PALETTE


def labelled_digits(per_class=8):
    """Fake digits whose every pixel equals 10 * label + index-in-class, so plots can be checked."""
    y = np.repeat(np.arange(10), per_class)
    rank = np.tile(np.arange(per_class), 10)
    x = np.broadcast_to((10 * y + rank)[:, None, None], (len(y), 28, 28)).astype(np.uint8)
    return x.copy(), y


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images]


def shown(ax):
    return np.asarray(ax.images[0].get_array())


def test_plot_digits_grid_titles_and_pixels():
    x, y = labelled_digits()
    fig = plot_digits(x[:9], y[:9], ncols=3, title="First nine")
    assert isinstance(fig, Figure)
    axes = image_axes(fig)
    assert len(axes) == 9
    assert [ax.get_title() for ax in axes] == [str(v) for v in y[:9]]
    assert all(np.array_equal(shown(ax), img) for ax, img in zip(axes, x[:9], strict=True))
    assert fig._suptitle.get_text() == "First nine"


def test_plot_digits_marks_wrong_predictions_in_bold_colour_and_hides_spare_cells():
    x, y = labelled_digits()
    pred = y[:7].copy()
    pred[2] = 9
    fig = plot_digits(x[:7], y[:7], predictions=pred, ncols=4)
    assert len(fig.axes) == 8 and len(image_axes(fig)) == 7
    titles = [ax.title for ax in image_axes(fig)]
    assert titles[2].get_text() == "true 0 · pred 9"
    colours = [t.get_color() for t in titles]
    assert colours[2] == PALETTE.wrong and colours.count(PALETTE.wrong) == 1
    bold = [t.get_fontweight() for t in titles]  # a second cue, for a grey-scale print
    assert bold[2] == "bold" and bold.count("bold") == 1


def test_plot_digits_accepts_channel_axis_float_images_and_one_hot_labels():
    x, y = labelled_digits()
    xf = (x[:4, ..., None] / 255).astype(np.float32)
    fig = plot_digits(xf, np.eye(10)[y[:4]])
    assert [ax.get_title() for ax in image_axes(fig)] == ["0", "0", "0", "0"]
    assert image_axes(fig)[0].images[0].get_clim() == (0, 1.0)


def test_plot_digits_captions_replace_label_titles():
    x, y = labelled_digits()
    fig = plot_digits(x[:3], y[:3], captions=["original", "mirrored", "upside down"])
    assert [ax.get_title() for ax in image_axes(fig)] == ["original", "mirrored", "upside down"]
    with pytest.raises(ValueError, match="one caption per image: 3 images, 2 captions"):
        plot_digits(x[:3], captions=["a", "b"])


@pytest.mark.parametrize(
    "images, labels, message",
    [
        (np.zeros((3, 784)), None, r"\(n, 28, 28\) or \(n, 28, 28, 1\), got \(3, 784\)"),
        (np.zeros((3, 28, 28)), [1, 2], "got 3 images but 2 labels"),
        (np.zeros((0, 28, 28)), None, "no images"),
    ],
)
def test_plot_digits_rejects_bad_input(images, labels, message):
    with pytest.raises(ValueError, match=message):
        plot_digits(images, labels)


def test_plot_samples_per_class_puts_each_digit_in_its_own_row():
    x, y = labelled_digits()
    fig = plot_samples_per_class(x, y, per_class=5, seed=3)
    axes = np.array(fig.axes).reshape(10, 5)
    for digit in range(10):
        values = {int(shown(ax)[0, 0]) // 10 for ax in axes[digit]}
        assert values == {digit}
        ranks = [int(shown(ax)[0, 0]) % 10 for ax in axes[digit]]
        assert len(set(ranks)) == 5  # five different examples, not one repeated
        assert axes[digit, 0].get_ylabel() == str(digit)


def test_plot_samples_per_class_needs_enough_examples():
    x, y = labelled_digits(per_class=3)
    with pytest.raises(ValueError, match="digit 0 has 3 examples, fewer than 5"):
        plot_samples_per_class(x, y, per_class=5)


def test_plot_class_counts_bar_heights_are_the_counts():
    y = np.array([0, 1, 1, 2, 2, 2, 9])
    fig = plot_class_counts(y)
    (ax,) = fig.axes
    assert [p.get_height() for p in ax.patches] == [1, 2, 3, 0, 0, 0, 0, 0, 0, 1]
    assert ax.get_ylabel() == "number of images"


def test_plot_class_counts_normalised_splits_side_by_side():
    fig = plot_class_counts({"train": np.arange(100) % 10, "test": np.array([3, 3, 4, 4])}, True)
    (ax,) = fig.axes
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 20
    assert sum(heights[:10]) == pytest.approx(100) and sum(heights[10:]) == pytest.approx(100)
    assert heights[13] == pytest.approx(50)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "test"]


def test_plot_split_samples_one_labelled_row_per_split():
    x, y = labelled_digits()
    fig = plot_split_samples({"train": (x, y), "test": (x[:20], y[:20])}, n=6)
    axes = np.array(fig.axes).reshape(2, 6)
    assert axes[0, 0].get_ylabel() == "train\n80" and axes[1, 0].get_ylabel() == "test\n20"
    for ax in axes.flat:
        assert ax.get_title() == str(int(shown(ax)[0, 0]) // 10)  # the title is that digit's label
    assert {int(shown(ax)[0, 0]) // 10 for ax in axes[1]} <= set(y[:20].tolist())  # from its split


def test_plot_pixel_histogram_counts_every_pixel():
    x, _ = labelled_digits()
    fig = plot_pixel_histogram(x, bins=16)
    (ax,) = fig.axes
    assert sum(p.get_height() for p in ax.patches) == x.size
    assert ax.get_yscale() == "log"
    assert "80 images" in ax.get_title()


def test_plot_mean_digits_shows_each_class_mean():
    x, y = labelled_digits(per_class=4)
    fig = plot_mean_digits(x, y)
    assert [ax.get_title() for ax in fig.axes] == [str(d) for d in range(10)]
    for digit, ax in enumerate(fig.axes):
        assert shown(ax)[0, 0] == pytest.approx(10 * digit + 1.5)  # mean of ranks 0..3


def test_plot_mean_digits_needs_every_digit():
    x, y = labelled_digits()
    with pytest.raises(ValueError, match="no examples of digit 9"):
        plot_mean_digits(x[y != 9], y[y != 9])
