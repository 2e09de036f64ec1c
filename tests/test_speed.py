"""Speed settings the notebooks use must not change what they compute."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from mnist_helpers import load_mnist, prepare_images, set_seed


def train(steps_per_execution: int) -> tuple[list[np.ndarray], dict]:
    """A small model with everything random the course trains with (augmentation, dropout, batch
    norm), trained on 2,400 digits: 60 steps per epoch, one full execution of 50 and a short one."""
    (x, y), _ = load_mnist()
    x, y = prepare_images(x[:2_400]), y[:2_400]
    set_seed(42)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.RandomRotation(10 / 360, fill_mode="constant"),
            layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
            layers.Conv2D(8, (3, 3), activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    history = model.fit(x, y, batch_size=32, epochs=2, validation_split=0.2, verbose=0)
    return model.get_weights(), history.history


def test_steps_per_execution_trains_exactly_the_same_weights():
    """Notebooks 02 and 03 say ``steps_per_execution=50`` is for speed only: each step computes
    what it computed before. Same seed, same data: the same weights and history, bit for bit."""
    weights_1, history_1 = train(1)
    weights_50, history_50 = train(50)
    assert history_1 == history_50
    assert len(weights_1) == len(weights_50)
    for one, fifty in zip(weights_1, weights_50, strict=True):
        np.testing.assert_array_equal(one, fifty)
