"""Quick mode and seeding."""

from __future__ import annotations

import random

import numpy as np
import pytest

from mnist_helpers import QUICK_ENV, quick_mode, set_seed


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_quick_mode_on(monkeypatch, value):
    monkeypatch.setenv(QUICK_ENV, value)
    assert quick_mode() is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off", ""])
def test_quick_mode_off(monkeypatch, value):
    monkeypatch.setenv(QUICK_ENV, value)
    assert quick_mode() is False


def test_quick_mode_off_by_default(monkeypatch):
    monkeypatch.delenv(QUICK_ENV, raising=False)
    assert quick_mode() is False


def test_quick_mode_rejects_a_typo(monkeypatch):
    monkeypatch.setenv(QUICK_ENV, "quick")
    with pytest.raises(ValueError, match="MNIST_QUICK should be 1/true/yes/on.*'quick'"):
        quick_mode()


def _draws():
    import keras

    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    legacy_numpy = np.random.rand(3)  # noqa: NPY002 – the global state is what set_seed seeds
    return random.random(), legacy_numpy, keras.ops.convert_to_numpy(layer.kernel)


def test_set_seed_makes_python_numpy_and_keras_repeat():
    assert set_seed(123) == 123
    first = _draws()
    set_seed(123)
    again = _draws()
    set_seed(124)
    other = _draws()
    for a, b, c in zip(first, again, other, strict=True):
        assert np.array_equal(a, b)
        assert not np.array_equal(a, c)
