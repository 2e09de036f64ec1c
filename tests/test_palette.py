"""One colour-blind-safe palette: every figure draws from it, and right/wrong survive any eyes.

The simulations use the matrices of Machado, Oliveira & Fernandes, "A Physiologically-based
Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6), 1291-1298 (2009), for
severity 1.0 (dichromacy), as the authors publish them
(https://www.inf.ufrgs.br/~oliveira/pubs_files/CVD_Simulation/CVD_Simulation.html); they act on
linear RGB. Distances are CIE76 ΔE in CIELAB (sRGB, D65 white).
"""

from __future__ import annotations

import itertools

import matplotlib
import numpy as np
import pytest
from matplotlib.collections import Collection
from matplotlib.colors import to_hex, to_rgb, to_rgba
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

import mnist_helpers as mh
from mnist_helpers.plots import OKABE_ITO, PALETTE, prediction_bars

MACHADO = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}
VISIONS = ["normal", *MACHADO]
SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
#: Right and wrong must be told apart at a glance, each on its own bar, not side by side as in a
#: colour-matching test (where 2.3 is just noticeable). The palette's pair measures 92 (protan),
#: 108 (deutan) and 102 (tritan); the old green/red pair measured 38, 7 and 124.
RIGHT_WRONG_MIN = 40.0
#: Notebook colours are backed by their tick labels ("03 · CNN"), so they need only stay distinct;
#: the closest Okabe-Ito pairs measure about 16 under the simulations, by that set's design.
NOTEBOOKS_MIN = 15.0


def lab(colour, vision: str = "normal") -> np.ndarray:
    """CIELAB of ``colour`` as a reader with ``vision`` sees it."""
    c = np.asarray(to_rgb(colour))
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    if vision != "normal":
        linear = np.clip(np.asarray(MACHADO[vision]) @ linear, 0.0, 1.0)
    xyz = SRGB_TO_XYZ @ linear / SRGB_TO_XYZ.sum(axis=1)  # relative to the D65 white
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b, vision: str = "normal") -> float:
    return float(np.linalg.norm(lab(a, vision) - lab(b, vision)))


def test_the_simulation_matches_known_values():
    """Anchors: white stays white for every vision, and a deuteranope sees pure red and pure
    green as nearly the same colour (the confusion that Machado's matrix is built to model)."""
    for vision in VISIONS:
        assert lab("white", vision) == pytest.approx([100, 0, 0], abs=0.2)
    assert lab("#808080")[0] == pytest.approx(53.6, abs=0.1)  # CIELAB's L* of sRGB mid-grey
    assert delta_e("red", "green") > 80 > 30 > delta_e("red", "green", "deuteranopia")


@pytest.mark.parametrize("vision", VISIONS)
def test_right_and_wrong_stay_apart_for_every_colour_vision(vision):
    distance = delta_e(PALETTE.right, PALETTE.wrong, vision)
    assert distance >= RIGHT_WRONG_MIN, f"{vision}: right/wrong only ΔE {distance:.1f} apart"
    for answer in (PALETTE.right, PALETTE.wrong):  # the answer's bar stands out of the grey ones
        distance = delta_e(answer, PALETTE.other, vision)
        assert distance >= RIGHT_WRONG_MIN, f"{vision}: {answer} only ΔE {distance:.1f} from grey"


def test_the_old_green_and_red_would_fail():
    """What the threshold is for: deuteranopes (and protanopes) lose the old pair."""
    old = [delta_e("tab:green", "tab:red", vision) for vision in MACHADO]
    assert min(old) < RIGHT_WRONG_MIN
    assert delta_e("tab:green", "tab:red", "deuteranopia") < 10


@pytest.mark.parametrize("vision", list(MACHADO))
def test_notebook_colours_stay_distinct(vision):
    for a, b in itertools.combinations(PALETTE.notebooks.values(), 2):
        assert delta_e(a, b, vision) >= NOTEBOOKS_MIN, (vision, a, b)


def test_the_palette_is_okabe_ito_plus_greys():
    roles = [PALETTE.right, PALETTE.wrong, PALETTE.highlight, *PALETTE.series]
    assert set(roles + list(PALETTE.notebooks.values())) <= set(OKABE_ITO.values())
    assert is_grey(to_rgba(PALETTE.other))
    assert len(set(PALETTE.series)) == len(PALETTE.series)


@pytest.mark.parametrize("vision", VISIONS)
def test_the_counts_map_grows_darker_from_white_for_every_colour_vision(vision):
    """The confusion matrix: zero mistakes white, every further mistake darker, for everyone."""
    cmap = matplotlib.colormaps[PALETTE.counts]
    lightness = [lab(cmap(t), vision)[0] for t in np.linspace(0, 1, 21)]
    assert lightness[0] > 95
    assert all(np.diff(lightness) < -1), np.round(lightness)
    assert lightness[0] - lightness[-1] > 60


@pytest.mark.parametrize("vision", VISIONS)
def test_the_signed_map_keeps_its_two_ends_apart(vision):
    """Kernels and feature maps: negative and positive weights differ for every reader."""
    cmap = matplotlib.colormaps[PALETTE.signed]
    assert delta_e(cmap(0.0), cmap(1.0), vision) >= RIGHT_WRONG_MIN
    middle = lab(cmap(0.5), vision)[0]
    assert middle > lab(cmap(0.0), vision)[0] and middle > lab(cmap(1.0), vision)[0]


def test_prediction_bars_mark_a_wrong_answer_without_colour_too():
    import matplotlib.pyplot as plt

    p = np.full(10, 0.02)
    p[3] = 0.82
    for label, colour, hatched in [(3, PALETTE.right, False), (5, PALETTE.wrong, True)]:
        _, ax = plt.subplots()
        assert prediction_bars(ax, p, label) == 3
        bars = ax.patches
        assert bars[3].get_facecolor() == to_rgba(colour)
        assert bool(bars[3].get_hatch()) is hatched
        assert all(
            b.get_facecolor() == to_rgba(PALETTE.other) for i, b in enumerate(bars) if i != 3
        )
        assert not any(b.get_hatch() for i, b in enumerate(bars) if i != 3)


# --- every figure of the package, drawn from small fake data -------------------------------


def fake_digits(n=20):
    rng = np.random.default_rng(0)
    y = np.arange(n) % 10
    x = (rng.random((n, 28, 28)) * 255).astype(np.uint8)
    return x, y


def fake_probs(y, wrong=(1, 4)):
    pred = y.copy()
    pred[list(wrong)] = (pred[list(wrong)] + 1) % 10
    p = np.full((len(y), 10), 0.01)
    p[np.arange(len(y)), pred] = 0.91
    return p


def history(n=4, shift=0.0, rates=False):
    h = {
        "loss": list(np.linspace(1, 0.2, n) + shift),
        "val_loss": list(np.linspace(1.1, 0.3, n) + shift),
        "accuracy": list(np.linspace(0.7, 0.95, n)),
        "val_accuracy": list(np.linspace(0.68, 0.93, n)),
    }
    if rates:
        h["learning_rate"] = [1e-3 / 2**k for k in range(n)]
    return h


def photo():
    """A dark 7 on light, unevenly lit paper: enough of a photo for the external pipeline."""
    img = np.full((120, 100), 220.0) - np.linspace(0, 30, 100)[None, :]
    img[30:38, 25:75] = 30
    for k in range(60):
        img[38 + k, 70 - k // 2 : 76 - k // 2] = 30
    return img.astype(np.uint8)


def results():
    """The course's own results (notebooks 02 to 05), and rows for 06, a quick run, seeds, and a
    notebook the palette does not know."""
    rows = mh.course_results()
    last, accuracy = rows[-1], rows[-1]["test_accuracy"]
    return rows + [
        dict(last, notebook="06"),
        dict(last, quick=True),
        dict(last, seeds={"1": accuracy - 0.001, "2": accuracy + 0.001}),
        dict(last, notebook="07"),
    ]


def comparison():
    page = photo()
    digit = mh.to_mnist(page)
    right, wrong = np.eye(10)[7] * 0.9 + 0.01, np.eye(10)[1] * 0.6 + 0.04
    return mh.plot_comparison(
        page, {"naive": digit, "MNIST-style": digit}, {"naive": wrong, "MNIST-style": right}, 7
    )


X, Y = fake_digits()
P = fake_probs(Y)
PRED = P.argmax(axis=1)
RNG = np.random.default_rng(0)
#: Each public plotting function (``mh.plot_*``), called with small fake data.
FIGURES = {
    "plot_digits": lambda: mh.plot_digits(X[:6], Y[:6], predictions=PRED[:6]),
    "plot_samples_per_class": lambda: mh.plot_samples_per_class(X, Y, per_class=2),
    "plot_class_counts": lambda: mh.plot_class_counts({"train": Y, "test": Y[:10]}),
    "plot_split_samples": lambda: mh.plot_split_samples({"a": (X, Y), "b": (X, Y)}, n=3),
    "plot_pixel_histogram": lambda: mh.plot_pixel_histogram(X),
    "plot_mean_digits": lambda: mh.plot_mean_digits(X, Y),
    "plot_history": lambda: mh.plot_history({"a": history(), "b": history(shift=0.1)}),
    "plot_learning_rate": lambda: mh.plot_learning_rate(
        {"a": history(rates=True), "b": history(shift=0.1, rates=True)}
    ),
    "plot_confusion_matrix": lambda: mh.plot_confusion_matrix(Y, PRED),
    "plot_mistakes": lambda: mh.plot_mistakes(X, Y, P),
    "plot_prediction": lambda: mh.plot_prediction(X[1], P[1], label=int(Y[1])),
    "plot_results": lambda: mh.plot_results(results()),
    "plot_convolution": lambda: mh.plot_convolution(X[0], np.array([[-1.0, 0, 1]] * 3), (5, 5)),
    "plot_filters": lambda: mh.plot_filters(RNG.normal(size=(3, 3, 1, 4))),
    "plot_feature_maps": lambda: mh.plot_feature_maps(RNG.random((6, 6, 4))),
    "plot_steps": lambda: mh.plot_steps(mh.to_mnist(photo(), steps=True)),
    "plot_comparison": comparison,
    "plot_photos": lambda: mh.plot_photos([photo(), np.stack([photo()] * 3, axis=-1)], ["a", "b"]),
}


def is_grey(rgba) -> bool:
    r, g, b, a = rgba
    return a == 0 or max(r, g, b) - min(r, g, b) < 0.02


def drawn_colours(fig) -> tuple[set[tuple], set[str]]:
    """The solid colours the figure's artists draw (RGB) and the names of its colour maps."""
    colours, maps = set(), set()

    def add(*values):
        for value in values:
            if isinstance(value, str) and value in ("none", "None"):
                continue
            for rgba in np.atleast_2d(matplotlib.colors.to_rgba_array(value)):
                if rgba[3] > 0:
                    colours.add(tuple(np.round(rgba[:3], 3)))

    for artist in fig.findobj():
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            add(artist.get_color(), artist.get_markerfacecolor(), artist.get_markeredgecolor())
        elif isinstance(artist, Patch):
            add(artist.get_edgecolor())
            if artist.get_fill():
                add(artist.get_facecolor())
            if artist.get_hatch():
                add(artist.get_hatchcolor())
        elif isinstance(artist, Text) and artist.get_text():
            add(artist.get_color())
        elif isinstance(artist, AxesImage):
            if np.ndim(artist.get_array()) == 2:  # an RGB photo has no colour map
                maps.add(artist.get_cmap().name)
        elif isinstance(artist, Collection):
            if artist.get_array() is not None:  # coloured through a colour map
                maps.add(artist.get_cmap().name)
            else:
                add(artist.get_facecolor(), artist.get_edgecolor())
    return colours, maps


def test_every_plotting_function_is_checked_here():
    plotting = {name for name in mh.__all__ if name.startswith("plot_")}
    assert plotting == set(FIGURES)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_colour_a_figure_draws_comes_from_the_palette(name):
    fig = FIGURES[name]()
    colours, maps = drawn_colours(fig)
    roles = [PALETTE.right, PALETTE.wrong, PALETTE.highlight, PALETTE.other, *PALETTE.series]
    allowed = {tuple(np.round(to_rgb(c), 3)) for c in roles + list(PALETTE.notebooks.values())}
    strays = sorted(to_hex(c) for c in colours if c not in allowed and not is_grey((*c, 1.0)))
    assert not strays, f"{name} draws colours outside the palette: {strays}"
    palette_maps = {PALETTE.digits, PALETTE.counts, PALETTE.intensity, PALETTE.signed}
    assert maps <= palette_maps, f"{name} uses colour maps outside the palette: {maps}"
