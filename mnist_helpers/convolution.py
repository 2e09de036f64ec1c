"""Pictures of what convolution and pooling layers do: a filter sliding, pooling, learned filters.

``convolve2d`` and ``max_pool`` are plain NumPy versions of what ``Conv2D`` and
``MaxPooling2D`` compute for one channel (no padding, stride 1; pool windows side by side), so a
notebook can show the arithmetic on a real digit before a network learns its own filters.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from mnist_helpers.plots import PALETTE


def _as_image(image: np.ndarray) -> np.ndarray:
    img = np.asarray(image, dtype=np.float32)
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.ndim != 2:
        raise ValueError(f"expected one 2-D image (h, w) or (h, w, 1), got shape {np.shape(image)}")
    return img


def convolve2d(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image`` ("valid": no padding, stride 1), as ``Conv2D`` does.

    Each output pixel is the sum of the kernel times the image patch under it (strictly a
    cross-correlation, which is what deep-learning libraries call convolution).

    >>> convolve2d(np.ones((4, 4)), np.ones((3, 3)))
    array([[9., 9.],
           [9., 9.]], dtype=float32)
    """
    img, k = _as_image(image), _as_image(kernel)
    kh, kw = k.shape
    if kh > img.shape[0] or kw > img.shape[1]:
        raise ValueError(f"kernel {k.shape} is larger than the image {img.shape}")
    windows = np.lib.stride_tricks.sliding_window_view(img, (kh, kw))
    return np.einsum("ijkl,kl->ij", windows, k).astype(np.float32)


def max_pool(feature_map: np.ndarray, size: int = 2) -> np.ndarray:
    """Keep the largest value of each ``size`` x ``size`` block, as ``MaxPooling2D`` does.

    Rows and columns that do not fill a whole block are dropped (Keras's default "valid").

    >>> max_pool(np.array([[1, 9, 2, 0], [3, 4, 7, 1], [0, 8, 6, 5], [2, 1, 3, 4]]))
    array([[9., 7.],
           [8., 6.]], dtype=float32)
    """
    fm = _as_image(feature_map)
    if size < 1 or size > min(fm.shape):
        raise ValueError(f"pool size {size} does not fit a feature map of shape {fm.shape}")
    h, w = (fm.shape[0] // size) * size, (fm.shape[1] // size) * size
    return fm[:h, :w].reshape(h // size, size, w // size, size).max(axis=(1, 3))


def plot_convolution(
    image: np.ndarray, kernel: np.ndarray, at: tuple[int, int] = (10, 10)
) -> Figure:
    """Input, kernel, feature map and pooled map side by side, one window traced through.

    The square on the input is the patch under the kernel when it sits at ``at`` (row, column of
    the output); the matching output pixel is marked on the feature map, and the pooling block
    that contains it on the pooled map.

    >>> fig = plot_convolution(x_train[0], np.array([[-1, 0, 1]] * 3), at=(10, 10))
    """
    img, k = _as_image(image), _as_image(kernel)
    fmap = convolve2d(img, k)
    pooled = max_pool(fmap)
    r, c = at
    if not (0 <= r < fmap.shape[0] and 0 <= c < fmap.shape[1]):
        raise ValueError(f"position {at} is outside the {fmap.shape} feature map")
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.6), gridspec_kw={"width_ratios": [3, 1.4, 3, 3]})
    panels = [
        (img, f"input {img.shape[0]}×{img.shape[1]}", PALETTE.digits),
        (k, f"kernel {k.shape[0]}×{k.shape[1]}", PALETTE.signed),
        (fmap, f"feature map {fmap.shape[0]}×{fmap.shape[1]}", PALETTE.signed),
        (pooled, f"max-pooled {pooled.shape[0]}×{pooled.shape[1]}", PALETTE.signed),
    ]
    for ax, (data, title, cmap) in zip(axes, panels, strict=True):
        lim = np.abs(data).max() or 1.0
        vmin = 0 if cmap == PALETTE.digits else -lim
        ax.imshow(data, cmap=cmap, vmin=vmin, vmax=lim)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
    for (i, j), value in np.ndenumerate(k):
        axes[1].text(j, i, f"{value:g}", ha="center", va="center", fontsize=9)
    kh, kw = k.shape
    for ax, (x, y), (w, h) in [
        (axes[0], (c, r), (kw, kh)),
        (axes[2], (c, r), (1, 1)),
        (axes[3], (c // 2, r // 2), (1, 1)),
    ]:  # the window, its output pixel, and the pooling block that holds it: orange
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), w, h, fill=False, ec=PALETTE.highlight, lw=2))
    axes[2].set_xlabel(f"orange pixel = sum(kernel × orange patch) = {fmap[r, c]:.2f}", fontsize=8)
    fig.tight_layout()
    return fig


def _channel_grid(stack: np.ndarray, cell: tuple[float, float], ncols: int, **imshow) -> Figure:
    """One small numbered image per channel of ``stack`` (h, w, n), ``ncols`` to a row."""
    n = stack.shape[-1]
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    size = (cell[0] * ncols, cell[1] * nrows + 0.4)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= n:
            ax.axis("off")
            continue
        ax.imshow(stack[:, :, i], **imshow)
        ax.set_title(str(i), fontsize=8)
    return fig


def plot_filters(kernels: np.ndarray, ncols: int = 8) -> Figure:
    """The learned kernels of a first ``Conv2D`` layer, one small image each.

    ``kernels`` is the layer's weight array shaped (h, w, 1, n_filters), as
    ``model.layers[0].get_weights()[0]`` returns it. Blue is negative, red positive.

    >>> fig = plot_filters(model.layers[0].get_weights()[0])
    """
    w = np.asarray(kernels)
    if w.ndim != 4 or w.shape[2] != 1:
        raise ValueError(f"expected first-layer kernels shaped (h, w, 1, n), got {w.shape}")
    lim = np.abs(w).max() or 1.0
    fig = _channel_grid(w[:, :, 0, :], (1.1, 1.2), ncols, cmap=PALETTE.signed, vmin=-lim, vmax=lim)
    fig.suptitle(f"The {w.shape[-1]} learned {w.shape[0]}×{w.shape[1]} filters of the first layer")
    fig.tight_layout()
    return fig


def plot_feature_maps(maps: np.ndarray, ncols: int = 8, title: str | None = None) -> Figure:
    """What each filter of a layer responds to in one image: its output channels as images.

    ``maps`` is one image's layer output shaped (h, w, channels) or (1, h, w, channels).

    >>> fig = plot_feature_maps(first_layer.predict(x_test[:1]))
    """
    m = np.asarray(maps)
    if m.ndim == 4 and m.shape[0] == 1:
        m = m[0]
    if m.ndim != 3:
        raise ValueError(
            f"expected one image's feature maps shaped (h, w, channels), got {m.shape}"
        )
    fig = _channel_grid(m, (1.3, 1.35), ncols, cmap=PALETTE.intensity)
    fig.suptitle(title or f"{m.shape[-1]} feature maps, {m.shape[0]}×{m.shape[1]} each")
    fig.tight_layout()
    return fig
