"""Quick mode, seeding and the quiet TensorFlow import."""

from __future__ import annotations

import random
import subprocess
import sys

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


def test_quiet_stderr_silences_c_level_and_python_writes():
    """What a C library writes to descriptor 2 (TensorFlow's notices) and what Python writes to
    sys.stderr both vanish inside the block; both come back after it."""
    script = (
        "import os, sys\n"
        "from mnist_helpers import quiet_stderr\n"
        "with quiet_stderr():\n"
        "    os.write(2, b'from C\\n')\n"
        "    print('from Python', file=sys.stderr)\n"
        "os.write(2, b'after C\\n')\n"
        "print('after Python', file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["after C", "after Python"]


def test_quiet_stderr_lets_exceptions_through_and_restores_stderr():
    script = (
        "import os\n"
        "from mnist_helpers import quiet_stderr\n"
        "try:\n"
        "    with quiet_stderr():\n"
        "        import no_such_module\n"
        "except ImportError as err:\n"
        "    print(err.name)\n"
        "os.write(2, b'after\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.stdout, done.stderr) == ("no_such_module\n", "after\n")
