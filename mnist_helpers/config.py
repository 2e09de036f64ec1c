"""Course-wide switches: quick mode and seeding, read by every notebook's Setup."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator

#: Set ``MNIST_QUICK=1`` (``make lab-quick``, Binder, a short workshop) for smaller, faster runs.
QUICK_ENV = "MNIST_QUICK"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def quick_mode() -> bool:
    """True when the ``MNIST_QUICK`` environment variable asks for quick mode.

    Quick mode trains on a subset for fewer epochs so a notebook finishes in well under a minute;
    the full data is the default. Accepts 1/true/yes/on and 0/false/no/off (any case).

    >>> QUICK = quick_mode()  # in a notebook's Setup
    >>> N_TRAIN, EPOCHS = (6_000, 2) if QUICK else (60_000, 10)
    """
    value = os.environ.get(QUICK_ENV, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{QUICK_ENV} should be 1/true/yes/on or 0/false/no/off, got {value!r}")


def set_seed(seed: int = 42) -> int:
    """Seed Python, NumPy and the Keras backend in one call, so a re-run reproduces the figures.

    A thin wrapper over ``keras.utils.set_random_seed`` that also returns the seed, for printing.
    (On a CPU the same seed gives the same run; multi-threaded kernels may still differ in the
    last digits.)

    >>> set_seed(7)
    7
    """
    import keras

    keras.utils.set_random_seed(seed)
    return seed


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence standard error inside the block, Python's and C++'s alike.

    TensorFlow announces its oneDNN kernels from C++ while it is imported, straight to file
    descriptor 2, before ``TF_CPP_MIN_LOG_LEVEL`` is read, so neither that variable nor a warnings
    filter can hide it. Notebook 05 imports Keras inside this block to keep the notice out of its
    stored outputs. Exceptions still propagate, with their messages, once the block has closed.

    >>> with quiet_stderr():
    ...     import keras
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        with contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
