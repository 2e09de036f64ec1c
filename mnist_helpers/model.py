"""The course's trained model: notebook 05's best CNN, shipped so nothing has to train first.

Notebook 05 writes it (``MNIST_SHIP_MODEL=1``, set by ``make model`` and ``make notebooks``);
notebook 06, the command line (``python -m mnist_helpers predict``) and Binder read it.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

#: The ``.keras`` file notebook 05's committed run produced (layers, weights, compile settings).
COURSE_MODEL = Path(__file__).parent / "data" / "course_model.keras"
#: Set ``MNIST_MODEL`` to a ``.keras`` file to use another model everywhere (the tests use a
#: missing path to exercise notebook 06's train-a-quick-model fallback).
MODEL_ENV = "MNIST_MODEL"

MODEL_HINT = (
    "Restore it with `git checkout -- mnist_helpers/data/course_model.keras` (in a clone of the "
    "course), reinstall the course package, or re-create it by running notebook 05 with "
    "MNIST_SHIP_MODEL=1 (`make model`)."
)


def load_course_model(path: str | Path | None = None) -> Any:
    """Load the course's trained CNN (``path``, else ``$MNIST_MODEL``, else ``COURSE_MODEL``).

    It takes (n, 28, 28, 1) float32 images in [0, 1], white digit on black, the format of
    ``prepare_images``, and returns (n, 10) probabilities. A missing or damaged file raises
    ``FileNotFoundError`` saying how to get it back.

    >>> model = load_course_model()
    >>> probs = model.predict(prepare_images(x_test[:5]), verbose=0)
    """
    file = Path(path or os.environ.get(MODEL_ENV) or COURSE_MODEL)
    if not file.is_file():
        raise FileNotFoundError(f"the course's trained model {file} is missing. {MODEL_HINT}")
    if not zipfile.is_zipfile(file):
        raise FileNotFoundError(
            f"{file} is not a .keras model file (a git-lfs pointer or a broken download?). "
            f"{MODEL_HINT}"
        )
    import keras

    return keras.models.load_model(file)


def predict_digits(model: Any, digits: np.ndarray, top: int = 3) -> list[list[tuple[int, float]]]:
    """The ``top`` most likely digits and their probabilities for each (28, 28) image in ``digits``.

    ``digits`` holds MNIST-format images (``to_mnist`` makes them from photos), shape (n, 28, 28)
    or (n, 28, 28, 1), float in [0, 1]. Returns, per image, ``[(digit, probability), ...]``
    most likely first.

    >>> predict_digits(load_course_model(), to_mnist("seven.jpg")[None])
    [[(7, 0.998), (1, 0.001), (2, 0.0004)]]
    """
    x = np.asarray(digits, dtype=np.float32)
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[1:] != (28, 28, 1):
        raise ValueError(f"expected digits of shape (n, 28, 28) or (n, 28, 28, 1), got {x.shape}")
    if not 1 <= top <= 10:
        raise ValueError(f"top should be between 1 and 10, got {top}")
    probs = model.predict(x, verbose=0)
    order = np.argsort(-probs, axis=1)[:, :top]
    return [[(int(d), float(p[d])) for d in row] for row, p in zip(order, probs, strict=True)]
