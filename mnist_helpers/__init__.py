"""Shared plumbing for the handwritten-digit course: data, plots, evaluation, external images.

The lessons (models, training, interpretation) live in the notebooks; what every notebook
repeats lives here, tested in ``tests/``.
"""

from mnist_helpers.config import QUICK_ENV, quick_mode, quiet_startup, quiet_stderr, set_seed
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
from mnist_helpers.model import ModelLoadError
from mnist_helpers.narrate import (
    best_epoch,
    callback_story,
    lesson,
    measured_spread,
    points,
    reference,
    say,
    spread,
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
    "ImageError",
    "example_images",
    "load_gray",
    "naive_mnist",
    "plot_comparison",
    "plot_photos",
    "plot_steps",
    "to_mnist",
    "convolve2d",
    "max_pool",
    "plot_convolution",
    "plot_feature_maps",
    "plot_filters",
    "classification_report",
    "confusion_matrix",
    "course_results",
    "format_results",
    "load_results",
    "most_confused",
    "plot_confusion_matrix",
    "plot_history",
    "plot_learning_rate",
    "plot_mistakes",
    "plot_prediction",
    "plot_results",
    "record_model",
    "record_result",
    "with_course_results",
    "best_epoch",
    "callback_story",
    "lesson",
    "measured_spread",
    "points",
    "reference",
    "say",
    "spread",
    "QUICK_ENV",
    "REPOSITORY",
    "MnistDataError",
    "ModelLoadError",
    "load_mnist",
    "plot_class_counts",
    "plot_digits",
    "plot_mean_digits",
    "plot_pixel_histogram",
    "plot_samples_per_class",
    "plot_split_samples",
    "prepare_images",
    "quick_mode",
    "quiet_startup",
    "quiet_stderr",
    "set_seed",
    "take_subset",
    "train_val_split",
]
