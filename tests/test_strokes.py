"""The stroke-width augmentation: a random blend towards a 3×3 dilation or erosion, per digit."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import keras
import numpy as np
import pytest
from conftest import notebook_definitions
from scipy import ndimage

from mnist_helpers import load_mnist, prepare_images
from mnist_helpers.strokes import RandomStrokeWidth

NOTEBOOK_05 = next((Path(__file__).resolve().parents[1] / "notebooks").glob("05_*.ipynb"))


@pytest.fixture(scope="module")
def digits():
    (x, _), _ = load_mnist()
    return prepare_images(x[:64])


def blend_amounts(before, after, towards):
    """Each digit's ``a`` in ``after = before + a * (towards - before)``, checked to fit exactly."""
    amounts = []
    for b, a, t in zip(before, after, towards, strict=True):
        moved = t - b
        mask = np.abs(moved) > 0.05
        assert mask.any()
        share = (a - b)[mask] / moved[mask]
        np.testing.assert_allclose(share, share.mean(), atol=1e-4)  # one amount per digit
        np.testing.assert_allclose(a, b + share.mean() * moved, atol=1e-5)
        amounts.append(share.mean())
    return np.array(amounts)


def test_outside_training_the_digits_pass_untouched(digits):
    layer = RandomStrokeWidth(seed=1)
    np.testing.assert_array_equal(np.asarray(layer(digits, training=False)), digits)


def test_thicker_is_a_random_share_of_a_3x3_dilation_per_digit(digits):
    out = np.asarray(RandomStrokeWidth(thicker=1.0, thinner=0.0, seed=1)(digits, training=True))
    dilated = ndimage.grey_dilation(digits, size=(1, 3, 3, 1), mode="constant", cval=0.0)
    amounts = blend_amounts(digits, out, dilated)
    assert (amounts >= 0).all() and (amounts <= 1).all()
    assert amounts.std() > 0.1  # each digit its own amount, not one for the batch
    assert (out.sum(axis=(1, 2, 3)) > digits.sum(axis=(1, 2, 3))).all()  # more ink


def test_thinner_is_a_random_share_of_a_3x3_erosion_per_digit(digits):
    out = np.asarray(RandomStrokeWidth(thicker=0.0, thinner=0.5, seed=2)(digits, training=True))
    eroded = ndimage.grey_erosion(digits, size=(1, 3, 3, 1), mode="constant", cval=0.0)
    amounts = blend_amounts(digits, out, eroded)
    assert (amounts >= 0).all() and (amounts <= 0.5).all() and amounts.std() > 0.05
    assert (out.sum(axis=(1, 2, 3)) < digits.sum(axis=(1, 2, 3))).all()  # less ink


def test_the_default_mixes_both_ways_and_keeps_the_image_range(digits):
    out = np.asarray(RandomStrokeWidth(seed=3)(digits, training=True))
    ink = out.sum(axis=(1, 2, 3)) - digits.sum(axis=(1, 2, 3))
    assert (ink > 0).sum() > 20 and (ink < 0).sum() > 5
    assert out.min() >= 0.0 and out.max() <= 1.0 and out.shape == digits.shape


def test_a_model_holding_it_saves_and_loads(tmp_path, digits):
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            RandomStrokeWidth(thicker=0.7, thinner=0.3, seed=5),
            keras.layers.Flatten(),
        ]
    )
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    layer = loaded.layers[0]
    assert isinstance(layer, RandomStrokeWidth)
    assert (layer.thicker, layer.thinner, layer.seed) == (0.7, 0.3, 5)
    np.testing.assert_array_equal(loaded.predict(digits, verbose=0), digits.reshape(64, -1))


def test_the_package_copy_is_the_notebooks_layer():
    """The shipped model holds this layer; notebook 05 teaches it: the two must not drift apart."""
    (lesson,) = notebook_definitions(NOTEBOOK_05, {"RandomStrokeWidth"})
    (copy,) = ast.parse(inspect.getsource(RandomStrokeWidth)).body

    def without_docstring(node):
        node.body = [n for n in node.body if not isinstance(n, ast.Expr)]
        return ast.dump(node)

    assert without_docstring(lesson) == without_docstring(copy)
