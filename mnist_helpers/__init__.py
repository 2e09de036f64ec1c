"""Shared plumbing for the handwritten-digit course: data, plots, evaluation, external images.

The lessons (models, training, interpretation) live in the notebooks; what every notebook
repeats lives here, tested in ``tests/``. The notebooks import it as one name, so a reader can
tell the course's helpers from Keras at a glance::

    import mnist_helpers as mh

    QUICK = mh.setup(needs_mib=1_500)  # quiet start-up, quick mode, seed 42
    (x_train, y_train), (x_test, y_test) = mh.load_mnist()

Every name below is the one way to reach it (``mh.NAME``); the modules behind them are named for
what they hold: ``config``, ``data``, ``plots``, ``convolution``, ``evaluation``, ``ledger``,
``narrate``, ``external`` (photos to MNIST), ``model`` (the shipped model), ``widgets``.
"""

# First: under `python -m mnist_helpers`, a package that the imports below miss is told in one line
from mnist_helpers import check as _check  # noqa: F401
from mnist_helpers.config import QUICK_ENV, quick_mode, quiet_startup, quiet_stderr, set_seed, setup
from mnist_helpers.convolution import (
    convolve2d,
    max_pool,
    plot_convolution,
    plot_feature_maps,
    plot_filters,
)
from mnist_helpers.course import REPOSITORY
from mnist_helpers.data import (
    MnistDataError,
    load_mnist,
    prepare_images,
    take_subset,
    train_val_split,
)
from mnist_helpers.evaluation import (
    classification_report,
    confusion_matrix,
    history_dict,
    most_confused,
    plot_confusion_matrix,
    plot_history,
    plot_learning_rate,
    plot_mistakes,
    plot_prediction,
)
from mnist_helpers.external import (
    ImageError,
    example_images,
    load_gray,
    naive_mnist,
    plot_comparison,
    plot_photos,
    plot_steps,
    to_mnist,
)
from mnist_helpers.ledger import (
    course_results,
    format_results,
    load_results,
    plot_results,
    record_model,
    record_result,
    with_course_results,
)
from mnist_helpers.model import COURSE_MODEL, ModelLoadError, load_course_model
from mnist_helpers.narrate import (
    best_epoch,
    callback_story,
    lesson,
    measured_spread,
    points,
    reference,
    spread,
)
from mnist_helpers.plots import (
    PALETTE,
    plot_class_counts,
    plot_digits,
    plot_mean_digits,
    plot_pixel_histogram,
    plot_samples_per_class,
    plot_split_samples,
)
from mnist_helpers.selfcheck import self_check
from mnist_helpers.timing import time_estimate
from mnist_helpers.widgets import drawing_pad, probabilities_text, upload_button

__all__ = [
    "COURSE_MODEL",
    "ImageError",
    "MnistDataError",
    "ModelLoadError",
    "PALETTE",
    "QUICK_ENV",
    "REPOSITORY",
    "best_epoch",
    "callback_story",
    "classification_report",
    "confusion_matrix",
    "convolve2d",
    "course_results",
    "drawing_pad",
    "example_images",
    "format_results",
    "history_dict",
    "lesson",
    "load_course_model",
    "load_gray",
    "load_mnist",
    "load_results",
    "max_pool",
    "measured_spread",
    "most_confused",
    "naive_mnist",
    "plot_class_counts",
    "plot_comparison",
    "plot_confusion_matrix",
    "plot_convolution",
    "plot_digits",
    "plot_feature_maps",
    "plot_filters",
    "plot_history",
    "plot_learning_rate",
    "plot_mean_digits",
    "plot_mistakes",
    "plot_photos",
    "plot_pixel_histogram",
    "plot_prediction",
    "plot_results",
    "plot_samples_per_class",
    "plot_split_samples",
    "plot_steps",
    "points",
    "prepare_images",
    "probabilities_text",
    "quick_mode",
    "quiet_startup",
    "quiet_stderr",
    "record_model",
    "record_result",
    "reference",
    "self_check",
    "set_seed",
    "setup",
    "spread",
    "take_subset",
    "time_estimate",
    "to_mnist",
    "train_val_split",
    "upload_button",
    "with_course_results",
]
