"""The NumPy convolution and pooling agree with Keras's layers; their pictures show them."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_helpers import convolve2d, max_pool, plot_convolution, plot_feature_maps, plot_filters

RNG = np.random.default_rng(0)


def test_convolve2d_matches_keras_conv2d():
    import keras

    image = RNG.random((12, 10)).astype(np.float32)
    kernel = RNG.normal(size=(3, 3)).astype(np.float32)
    layer = keras.layers.Conv2D(1, 3, use_bias=False)
    layer.build((None, 12, 10, 1))
    layer.set_weights([kernel[:, :, None, None]])
    expected = keras.ops.convert_to_numpy(layer(image[None, :, :, None]))[0, :, :, 0]
    assert np.allclose(convolve2d(image, kernel), expected, atol=1e-5)


def test_max_pool_matches_keras_and_drops_the_ragged_edge():
    import keras

    fmap = RNG.random((7, 7)).astype(np.float32)
    expected = keras.ops.convert_to_numpy(keras.layers.MaxPooling2D()(fmap[None, :, :, None]))
    assert max_pool(fmap).shape == (3, 3)
    assert np.array_equal(max_pool(fmap), expected[0, :, :, 0])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: convolve2d(np.ones((2, 2)), np.ones((3, 3))), "larger than the image"),
        (lambda: convolve2d(np.ones((2, 2, 3)), np.ones((3, 3))), r"one 2-D image.*\(2, 2, 3\)"),
        (lambda: max_pool(np.ones((3, 3)), size=4), "does not fit"),
    ],
)
def test_shape_errors_say_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_plot_convolution_shows_the_four_stages_and_traces_one_window():
    image = np.zeros((28, 28), np.float32)
    image[5:20, 12] = 1.0  # a vertical stroke
    kernel = np.array([[-1, 0, 1]] * 3, np.float32)
    fig = plot_convolution(image, kernel, at=(8, 10))
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["input 28×28", "kernel 3×3", "feature map 26×26", "max-pooled 13×13"]
    shown = np.asarray(fig.axes[2].images[0].get_array())
    assert np.array_equal(shown, convolve2d(image, kernel))
    patch = fig.axes[0].patches[0]
    assert (patch.get_x(), patch.get_y(), patch.get_width()) == (9.5, 7.5, 3)
    assert f"{convolve2d(image, kernel)[8, 10]:.2f}" in fig.axes[2].get_xlabel()
    assert len(fig.axes[1].texts) == 9


def test_plot_convolution_rejects_a_position_off_the_map():
    with pytest.raises(ValueError, match="outside the"):
        plot_convolution(np.zeros((28, 28)), np.ones((3, 3)), at=(26, 0))


def test_plot_filters_one_panel_per_filter():
    kernels = RNG.normal(size=(3, 3, 1, 10))
    fig = plot_filters(kernels, ncols=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 10 and len(fig.axes) == 12
    assert np.array_equal(shown[7].images[0].get_array(), kernels[:, :, 0, 7])
    with pytest.raises(ValueError, match=r"\(h, w, 1, n\)"):
        plot_filters(RNG.normal(size=(3, 3, 32, 64)))


def test_plot_feature_maps_accepts_a_batch_of_one():
    maps = RNG.random((1, 26, 26, 5))
    fig = plot_feature_maps(maps, title="maps")
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 5
    assert np.array_equal(shown[4].images[0].get_array(), maps[0, :, :, 4])
    with pytest.raises(ValueError, match="one image's feature maps"):
        plot_feature_maps(RNG.random((2, 26, 26, 5)))
