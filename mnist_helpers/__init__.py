"""Shared plumbing for the handwritten-digit course: offline MNIST, seeding, quick mode, plots.

The lessons (models, training, interpretation) live in the notebooks; what every notebook
repeats lives here, tested in ``tests/``.
"""

from mnist_helpers.config import QUICK_ENV, quick_mode, set_seed
from mnist_helpers.course import REPOSITORY
from mnist_helpers.data import (
    MnistDataError,
    load_mnist,
    prepare_images,
    take_subset,
    train_val_split,
)
from mnist_helpers.plots import (
    plot_class_counts,
    plot_digits,
    plot_mean_digits,
    plot_pixel_histogram,
    plot_samples_per_class,
    plot_split_samples,
)

__all__ = [
    "QUICK_ENV",
    "REPOSITORY",
    "MnistDataError",
    "load_mnist",
    "plot_class_counts",
    "plot_digits",
    "plot_mean_digits",
    "plot_pixel_histogram",
    "plot_samples_per_class",
    "plot_split_samples",
    "prepare_images",
    "quick_mode",
    "set_seed",
    "take_subset",
    "train_val_split",
]
