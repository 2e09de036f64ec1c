"""The course's trained model: notebook 05's best CNN, shipped so nothing has to train first.

Notebook 05 writes it (``MNIST_SHIP_MODEL=1``, set by ``make model`` and ``make notebooks``);
notebook 06, the command line (``python -m mnist_helpers predict``) and Binder read it.

A ``.keras`` file records every layer's configuration as the Keras that saved it wrote it, and an
older Keras may not understand a newer one's (Keras 3.10, Colab's in mid-2025, cannot rebuild a
model saved by 3.15.1: its ``GlorotUniform`` knows no ``input_axes``). The weights themselves read
fine in either. So when ``keras.models.load_model`` cannot rebuild the course's model, it is built
in code (``course_cnn``: notebook 05's ``best_cnn``, which ``mnist_helpers.network`` holds as
generated from the notebook) and the file's weights are loaded into it. ``make compat`` checks
Keras 3.10 and the pinned Keras (``benchmarks/compat.json`` records it).

The model holds one layer Keras does not have, notebook 05's ``RandomStrokeWidth`` (an
augmentation, idle outside training). Keras rebuilds it only once its class is registered, so
``load_course_model`` imports ``mnist_helpers.network`` first; outside the course, do the same
before ``keras.models.load_model``.
"""

from __future__ import annotations

import json
import os
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from mnist_helpers.files import checked_path, first_line, path_problem, restore_hint

#: The ``.keras`` file notebook 05's committed run produced (layers, weights, compile settings).
COURSE_MODEL = Path(__file__).parent / "data" / "course_model.keras"
#: Set ``MNIST_MODEL`` to a ``.keras`` file to use another model everywhere (the tests use a
#: missing path to exercise notebook 06's train-a-quick-model fallback).
MODEL_ENV = "MNIST_MODEL"
#: What a Keras 3 ``.keras`` file holds: a zip archive with these members (and metadata.json).
KERAS_MEMBERS = ("config.json", "model.weights.h5")

#: How to get the course's model back: the sentence that ends each message about a bad model file.
MODEL_HINT = restore_hint(
    COURSE_MODEL, "re-create it by running notebook 05 with MNIST_SHIP_MODEL=1 (`make model`)"
)


class ModelLoadError(RuntimeError):
    """A model file that is there but cannot be loaded: damaged, unreadable, not a Keras model,
    or saved by a Keras that the installed one cannot read. The message names the file, what
    went wrong, the installed Keras version and what to do."""


def keras_version() -> str:
    """The installed Keras version, read without importing Keras (which would start TensorFlow).

    >>> keras_version()
    '3.15.1'
    """
    try:
        return metadata.version("keras")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _model_path(path: str | Path | None) -> Path:
    if path is not None:
        return checked_path(path, "model", "the path of a .keras model file")
    return Path(os.environ.get(MODEL_ENV) or COURSE_MODEL)


def _error(file: Path, what: str, todo: str = MODEL_HINT) -> ModelLoadError:
    return ModelLoadError(f"cannot load the model {file} (Keras {keras_version()}): {what}. {todo}")


def check_model_file(path: str | Path | None = None) -> Path:
    """The model file ``load_course_model`` would read, checked without starting Keras.

    Looks at ``path``, else ``$MNIST_MODEL``, else ``COURSE_MODEL``, and returns it once it is a
    readable ``.keras`` zip archive whose every member passes its checksum and which holds
    ``config.json`` and the weights. A missing file raises ``FileNotFoundError``; anything else
    wrong (a folder, no read permission, an empty file, a truncated download,
    one flipped byte, another kind of file) raises ``ModelLoadError``; both say what to do. A
    path that is empty or holds a NUL byte raises ``ValueError``. The command line runs it
    first, so a bad ``--model`` is reported before any image is read.

    >>> check_model_file()
    PosixPath('.../mnist_helpers/data/course_model.keras')
    """
    file = _model_path(path)
    problem = path_problem(file)
    if problem == "does not exist":
        raise FileNotFoundError(f"the course's trained model {file} is missing. {MODEL_HINT}")
    if problem and problem.startswith("is a broken symbolic link"):
        raise FileNotFoundError(f"the course's trained model {file} {problem}. {MODEL_HINT}")
    if problem:
        raise _error(file, f"it {problem}, not a .keras file")
    if file.suffix != ".keras":
        raise _error(file, f"expected a .keras file (what notebook 05 saves), got {file.name!r}")
    try:
        with open(file, "rb") as f:
            head = f.read(1)
        if not head:
            raise _error(file, "the file is empty (0 bytes)")
        if not zipfile.is_zipfile(file):
            raise _error(
                file,
                "it is not a complete zip archive, which a .keras file is (a truncated "
                "download, or another kind of file renamed?)",
            )
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            broken = archive.testzip()  # reads every member and checks its CRC-32
    except ModelLoadError:
        raise
    except PermissionError as err:
        raise _error(
            file, "permission denied: the file cannot be read", "Check its permissions."
        ) from err
    except Exception as err:  # BadZipFile, zlib.error, EOFError, OSError… from a damaged file
        raise _error(file, f"the file is damaged ({first_line(err)})") from err
    if broken is not None:
        raise _error(file, f"the file is damaged: {broken!r} fails its checksum (CRC-32)")
    missing = [name for name in KERAS_MEMBERS if name not in names]
    if missing:
        raise _error(
            file,
            f"it is a zip archive but not a Keras model: it has no {' or '.join(missing)} "
            f"(it holds {', '.join(names[:5]) or 'nothing'})",
        )
    return file


def saved_keras_version(path: str | Path) -> str | None:
    """The Keras version that saved a ``.keras`` file (its metadata.json), or None if unknown.

    >>> saved_keras_version(COURSE_MODEL)
    '3.15.1'
    """
    return _archive_entry(path, "metadata.json", "keras_version")


def _archive_entry(path: str | Path, member: str, *keys: str) -> str | None:
    """``member``'s JSON in a ``.keras`` zip, down ``keys``; None if anything is missing."""
    try:
        with zipfile.ZipFile(path) as archive:
            value = json.loads(archive.read(member))
        for key in keys:
            value = value[key]
        return str(value)
    except Exception:  # damaged, not a zip, no such member or key: unknown
        return None


def load_course_model(path: str | Path | None = None) -> Any:
    """Load the course's trained CNN (``path``, else ``$MNIST_MODEL``, else ``COURSE_MODEL``).

    It takes (n, 28, 28, 1) float32 images in [0, 1], white digit on black, the format of
    ``prepare_images``, and returns (n, 10) probabilities. If this Keras cannot rebuild a model
    named ``best_cnn`` from its file (one saved by a newer Keras), the network is built in code
    by ``course_cnn`` and the file's weights are loaded into it. A missing file raises
    ``FileNotFoundError``; every other failure (see ``check_model_file``, and a Keras that
    cannot rebuild the model from the file) raises ``ModelLoadError``. Both name the file and
    say how to get a working model back; notebook 06 catches both and trains a small model.

    >>> model = load_course_model()
    >>> probs = model.predict(prepare_images(x_test[:5]), verbose=0)
    """
    file = check_model_file(path)
    try:
        import keras

        import mnist_helpers.network  # noqa: F401 – registers the layer the course's model holds
    except ImportError as err:
        raise _error(
            file, f"Keras cannot be imported ({err})", "Install the course's packages first."
        ) from err
    try:
        return keras.models.load_model(file)
    except Exception as err:  # TypeError, ValueError, KeyError… while rebuilding the model
        if saved_model_name(file) == COURSE_ARCHITECTURE:
            try:  # the course's network, saved by another Keras: build it here, load the weights
                return _weights_into_course_cnn(file)
            except Exception:  # not the same network after all (a learner's variant): say so below
                pass
        saved, installed = saved_keras_version(file), keras_version()
        detail = first_line(err)
        if saved and saved != installed:
            raise _error(
                file,
                f"it was saved by Keras {saved}, and Keras {installed} cannot rebuild it "
                f"({detail})",
                f"Install the Keras it was saved with (`pip install keras=={saved}`), or "
                "re-create it with this Keras by running notebook 05 (`make model`).",
            ) from err
        raise _error(file, f"Keras cannot rebuild the model from it ({detail})") from err


#: The name notebook 05 gives its best model; a file of that name can be rebuilt by ``course_cnn``.
COURSE_ARCHITECTURE = "best_cnn"


def course_cnn() -> Any:
    """Notebook 05's best CNN, built in code, untrained: the notebook's own ``best_cnn()``.

    Lets an older Keras read the shipped weights (see the module's docstring). The code is
    notebook 05's, copied into ``mnist_helpers/network.py`` by ``scripts/sync_network.py``.

    >>> course_cnn().count_params()
    198442
    """
    from mnist_helpers.network import best_cnn

    return best_cnn()


def saved_model_name(path: str | Path) -> str | None:
    """The name of the model a ``.keras`` file holds (its config.json), or None if unknown."""
    return _archive_entry(path, "config.json", "config", "name")


def _weights_into_course_cnn(file: Path) -> Any:
    """``course_cnn()`` with the weights of ``file``: how an older Keras reads the course model."""
    model = course_cnn()
    model.load_weights(file)
    return model


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
