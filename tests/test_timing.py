"""The training-time estimate: said once, early, from the steps' own pace, with the way to quick."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_helpers import time_estimate
from mnist_helpers.timing import minutes_text


@pytest.mark.parametrize(
    ("seconds", "text"), [(40, "40 s"), (89.6, "90 s"), (212, "3.5 min"), (725, "12 min")]
)
def test_minutes_text(seconds, text):
    assert minutes_text(seconds) == text


def fit_with_estimate(capsys, *, quick, long_minutes, steps_per_execution=1):
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    model.compile("sgd", "sparse_categorical_crossentropy", steps_per_execution=steps_per_execution)
    rng = np.random.default_rng(0)
    x, y = rng.random((256, 8), dtype="float32"), rng.integers(0, 2, 256)
    callback = time_estimate(quick=quick, long_minutes=long_minutes)
    model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[callback])
    return capsys.readouterr().out.splitlines()


def test_the_estimate_is_said_early_from_the_pace_of_the_steps(capsys):
    import keras

    lines = []
    callback = time_estimate(quick=True, measure_seconds=0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)])
    model.compile("sgd", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x, y = rng.random((256, 8), dtype="float32"), rng.integers(0, 2, 256)

    class Marker(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            lines.append(capsys.readouterr().out)

    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[callback, Marker()])
    said = [i for i, out in enumerate(lines) if out.startswith("estimated training time")]
    assert said == [1], "said once, at the second step reported (the first one traces)"


def test_the_estimate_is_said_once_with_the_fits_epochs_and_steps(capsys):
    lines = fit_with_estimate(capsys, quick=False, long_minutes=1e9)
    (line,) = lines
    assert line.startswith("estimated training time here: about ")
    assert "(3 epochs of 32 steps, " in line and line.endswith(" s a step)")
    per_step = float(line.rsplit("steps, ", 1)[1].split(" s a step")[0])
    assert per_step > 0


def test_a_long_training_says_how_to_switch_quick_mode_on_unless_it_is_on(capsys):
    lines = fit_with_estimate(capsys, quick=False, long_minutes=0)
    assert len(lines) == 2 and "set quick=True in mh.setup" in lines[1]
    assert len(fit_with_estimate(capsys, quick=True, long_minutes=0)) == 1


def test_epochs_keras_reports_once_are_timed_from_the_second(capsys):
    """With steps_per_execution above the steps of an epoch, only the epochs' ends report: the
    estimate waits for the second epoch, since the first one also traces the graph."""
    (line,) = fit_with_estimate(capsys, quick=True, long_minutes=1e9, steps_per_execution=50)
    assert "(3 epochs of 32 steps, " in line


def test_the_epoch_estimate_counts_the_first_epoch_as_it_was_and_the_rest_as_the_second(
    capsys, monkeypatch
):
    """First epoch 10 s (tracing), second 2 s, 5 epochs: 10 + 4 × 2 = 18 s, not 5 × 10."""
    clock = iter([0.0, 10.0, 10.0, 12.0])
    monkeypatch.setattr("mnist_helpers.timing.time.perf_counter", lambda: next(clock))
    callback = time_estimate(quick=False)
    callback.set_params({"epochs": 5, "steps": 40})
    callback.on_train_begin()
    for epoch in (0, 1):
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch)
    assert capsys.readouterr().out == (
        "estimated training time here: about 18 s (5 epochs of 40 steps, 0.050 s a step)\n"
    )
