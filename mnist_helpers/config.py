"""Course-wide switches: quick mode and seeding, read by every notebook's Setup."""

from __future__ import annotations

import os

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
