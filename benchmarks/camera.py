"""A phone camera over a desk: real handwriting (an MNIST digit) written on paper and photographed.

The digit is ink on a page: white, cream or grey paper with its texture, plain, ruled or squared,
in black, blue or pencil-grey ink (or chalk on a board). The page is lit unevenly (a gradient, a
vignette, a lamp's hot spot, the shadow of a hand or a phone, soft or hard, across the page or
across the digit) and photographed: tilted (perspective, a strip of desk at the edge), slightly
out of focus, with sensor noise, saved as JPEG, at up to 12 megapixels. Light multiplies: the
picture is reflectance × illumination, encoded with the camera's gamma.

    rng = np.random.default_rng(0)
    rgb = photograph(digit, rng, Shot(shadow="hard", lines="ruled"))   # uint8 (H, W, 3)
    jpeg = jpeg_bytes(rgb, quality=85)

``benchmarks/robustness.py`` measures the course's pipeline on these photos, condition by
condition; ``scripts/make_external_images.py`` draws notebook 06's shadowed example with it.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image
from scipy import ndimage

PAPERS = {"white": (0.93, 0.93, 0.91), "cream": (0.95, 0.91, 0.78), "grey": (0.78, 0.78, 0.76)}
INKS = {"black": (0.07, 0.07, 0.09), "blue": (0.10, 0.16, 0.52), "pencil": (0.38, 0.38, 0.41)}
LINE_COLOURS = [(0.55, 0.72, 0.92), (0.62, 0.66, 0.70), (0.45, 0.70, 0.60)]  # blue, grey, green
DESKS = [(0.42, 0.28, 0.17), (0.22, 0.22, 0.23), (0.70, 0.62, 0.50)]  # wood, dark, light wood
BOARD, CHALK = (0.12, 0.17, 0.15), (0.88, 0.88, 0.85)


@dataclass(frozen=True)
class Shot:
    """How one photo is taken. Each field names a condition; random draws fill in the details."""

    size: tuple[int, int] = (600, 800)  # (height, width) of the photo in pixels
    digit_height: tuple[float, float] = (0.25, 0.45)  # the digit's height / the photo's
    paper: str = "white"  # white, cream or grey; "board" for chalk on a blackboard
    ink: str = "black"  # black, blue or pencil
    lines: str = ""  # "", "ruled" or "squared"
    gradient: float = 0.0  # light falls by up to this share across the page
    vignette: float = 0.0  # ... and by up to this share in the corners
    hot_spot: float = 0.0  # a lamp's reflection adds up to this much light (clipped at white)
    shadow: str = ""  # "", "soft", "hard", "deep" or "phone" (a rectangle's sharp corner)
    shadow_over_digit: bool = True  # the shadow's edge crosses the digit (else anywhere)
    perspective: float = 0.0  # corners move by up to this share of the side; desk may show
    blur: tuple[float, float] = (0.3, 0.9)  # the lens's Gaussian blur, in pixels of the photo
    noise: tuple[float, float] = (0.004, 0.012)  # sensor noise, standard deviation
    jpeg: tuple[int, int] = (80, 92)  # JPEG quality
    upscale: int = 1  # drawn at size, then enlarged by this factor (a 12-megapixel photo)


def _ink_alpha(digit: np.ndarray, height: int, rng: np.random.Generator) -> np.ndarray:
    """The digit's ink coverage, MNIST's 20-pixel box at ``height`` pixels: a pen's crisp edge."""
    side = max(8, round(28 * height / 20))
    big = Image.fromarray(digit.astype(np.uint8)).resize((side, side), Image.Resampling.BICUBIC)
    a = np.asarray(big, dtype=np.float32) / 255.0
    cut = rng.uniform(0.3, 0.55)  # where the pen's edge lies: the stroke's width varies
    return np.clip((a - cut) * rng.uniform(5, 9) + 0.5, 0.0, 1.0)


def _paste(canvas: np.ndarray, patch: np.ndarray, top: int, left: int) -> None:
    h, w = patch.shape
    window = canvas[top : top + h, left : left + w]
    window[...] = np.maximum(window, patch)


def _lines(h: int, w: int, spacing: float, width: float, squared: bool, phase: float) -> np.ndarray:
    """Coverage of printed ruled (horizontal) or squared (both ways) lines, anti-aliased."""

    def along(n: int) -> np.ndarray:
        d = np.abs(((np.arange(n) + phase) % spacing) - spacing / 2)  # distance to the line
        return np.clip(width / 2 + 0.5 - np.abs(d - spacing / 2), 0.0, 1.0)

    cover = np.broadcast_to(along(h)[:, None], (h, w)).copy()
    if squared:
        cover = np.maximum(cover, along(w)[None, :])
    return cover.astype(np.float32)


def _page(digit: np.ndarray, shot: Shot, rng: np.random.Generator) -> tuple[np.ndarray, tuple]:
    """The page's reflectance (H, W, 3) in [0, 1] with the digit on it, and the digit's box."""
    h, w = shot.size
    height = int(round(rng.uniform(*shot.digit_height) * h))
    alpha_digit = _ink_alpha(digit, height, rng)
    side = alpha_digit.shape[0]
    # the digit somewhere near the middle (a person writes, then aims the phone at it)
    top = int(np.clip(h / 2 - side / 2 + rng.uniform(-0.18, 0.18) * h, 0, h - side))
    left = int(np.clip(w / 2 - side / 2 + rng.uniform(-0.2, 0.2) * w, 0, w - side))
    alpha = np.zeros((h, w), np.float32)
    _paste(alpha, alpha_digit, top, left)
    inset, outset = side * 4 // 28, side * 24 // 28  # MNIST's 20-pixel box in its 28
    box = (top + inset, left + inset, top + outset, left + outset)
    if shot.paper == "board":
        base = np.array(BOARD, np.float32) * rng.uniform(0.8, 1.2)
        smudge = ndimage.gaussian_filter(rng.standard_normal((h, w)).astype(np.float32), h / 12)
        board = base + 0.05 * np.clip(smudge / (smudge.std() + 1e-6), 0, None)[..., None] * 0.6
        grain = rng.uniform(0.55, 1.0, size=(h, w)).astype(np.float32)  # chalk leaves gaps
        a = (alpha * ndimage.gaussian_filter(grain, 0.7))[..., None]
        return board * (1 - a) + np.array(CHALK, np.float32) * a, box
    paper = np.array(PAPERS[shot.paper], np.float32) * rng.uniform(0.97, 1.03)
    texture = ndimage.gaussian_filter(rng.standard_normal((h, w)).astype(np.float32), h / 30)
    fibre = rng.standard_normal((h, w)).astype(np.float32)
    page = paper * (1 + 0.015 * texture / (texture.std() + 1e-6) + 0.01 * fibre)[..., None]
    if shot.lines:
        ruled = shot.lines == "ruled"
        spacing = height * (rng.uniform(0.95, 1.35) if ruled else rng.uniform(0.45, 0.7))
        width = max(1.0, height * rng.uniform(0.012, 0.025))
        cover = _lines(h, w, spacing, width, shot.lines == "squared", rng.uniform(0, spacing))
        colour = np.array(LINE_COLOURS[rng.integers(len(LINE_COLOURS))], np.float32)
        page = page * (1 - cover[..., None]) + paper * colour * cover[..., None]
    ink = np.array(INKS[shot.ink], np.float32)
    if shot.ink == "pencil":  # graphite is patchy and greyer where pressed lightly
        alpha = alpha * rng.uniform(0.7, 1.0, size=(h, w)).astype(np.float32)
    a = alpha[..., None]
    return page * (1 - a) + ink * a, box


def _perspective(rgb: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    """Tilt the page: each corner moves up to ``amount`` of the side; desk shows where it left."""
    h, w = rgb.shape[:2]
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    moved = corners + rng.uniform(-amount, amount, size=(4, 2)) * [w, h]
    coeffs = _homography(moved, corners)  # output pixel -> page pixel, as PIL wants it
    desk = tuple(int(255 * c) for c in DESKS[rng.integers(len(DESKS))])
    image = Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8))
    warped = image.transform(
        (w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC, fillcolor=desk
    )
    return np.asarray(warped, np.float32) / 255.0


def _homography(src: np.ndarray, dst: np.ndarray) -> list[float]:
    """The 8 coefficients mapping points ``src`` (output) to ``dst`` (input), PIL's convention."""
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    return list(np.linalg.solve(np.array(rows), dst.reshape(8)))


def _light(shot: Shot, rng: np.random.Generator, box: tuple) -> np.ndarray:
    """The illumination (H, W): exposure × gradient × vignette × shadow, plus a hot spot."""
    h, w = shot.size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = np.full((h, w), rng.uniform(0.85, 1.0), np.float32)
    if shot.gradient:
        angle = rng.uniform(0, 2 * math.pi)
        t = (np.cos(angle) * (xx / w - 0.5) + np.sin(angle) * (yy / h - 0.5)) + 0.5
        light *= 1 - shot.gradient * rng.uniform(0.6, 1.0) * np.clip(t, 0, 1)
    if shot.vignette:
        r2 = ((xx / w - 0.5) ** 2 + (yy / h - 0.5) ** 2) / 0.5
        light *= 1 - shot.vignette * rng.uniform(0.6, 1.0) * r2
    if shot.shadow:
        light *= _shadow(shot, rng, box, xx, yy)
    if shot.hot_spot:
        cy, cx = rng.uniform(0.2, 0.8) * h, rng.uniform(0.2, 0.8) * w
        sigma = rng.uniform(0.08, 0.25) * max(h, w)
        spot = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * sigma**2))
        light += shot.hot_spot * rng.uniform(0.6, 1.0) * spot
    return light


def _shadow(shot: Shot, rng, box, xx, yy) -> np.ndarray:
    """A shadow's multiplier: 1 in the light, ``depth`` inside, its edge soft or hard."""
    h, w = xx.shape
    depth = {"deep": rng.uniform(0.2, 0.3)}.get(shot.shadow, rng.uniform(0.35, 0.65))
    sharpness = (
        {
            "soft": rng.uniform(8, 30),
            "hard": rng.uniform(0.5, 2.0),
            "deep": rng.uniform(0.5, 12),
            "phone": rng.uniform(0.5, 3),
        }[shot.shadow]
        * h
        / 600
    )
    top, left, bottom, right = box
    if shot.shadow_over_digit:  # the edge passes through the digit's box
        py, px = rng.uniform(top, bottom), rng.uniform(left, right)
    else:
        py, px = rng.uniform(0, h), rng.uniform(0, w)
    angle = rng.uniform(0, 2 * math.pi)
    # signed distance to the edge (positive inside the shadow)
    inside = np.cos(angle) * (xx - px) + np.sin(angle) * (yy - py)
    if shot.shadow == "phone":  # a second edge at an angle: a corner of a phone's shadow
        turn = angle + rng.uniform(0.4, 0.6) * math.pi * rng.choice([-1, 1])
        other = np.cos(turn) * (xx - px) + np.sin(turn) * (yy - py)
        inside = np.minimum(inside, other)
    elif rng.uniform() < 0.5:  # a hand or a head: a big curved edge rather than a straight one
        radius = rng.uniform(0.6, 1.5) * max(h, w)
        cx, cy = px + np.cos(angle) * radius, py + np.sin(angle) * radius
        inside = radius - np.hypot(xx - cx, yy - cy)
    cover = 1 / (1 + np.exp(-np.clip(inside / sharpness, -30, 30)))
    return 1 - (1 - depth) * cover


def photograph(digit: np.ndarray, rng: np.random.Generator, shot: Shot = Shot()) -> np.ndarray:
    """An MNIST digit (28 × 28, white on black, 0–255) photographed as ``shot`` says: uint8 RGB."""
    reflectance, box = _page(digit, shot, rng)
    if shot.perspective:
        reflectance = _perspective(reflectance, shot.perspective, rng)
    linear = reflectance**2.2 * _light(shot, rng, box)[..., None] ** 2.2  # in linear light
    linear = ndimage.gaussian_filter(linear, sigma=(*[rng.uniform(*shot.blur)] * 2, 0))
    encoded = np.clip(linear, 0, 1) ** (1 / 2.2)  # the camera's gamma; light beyond white clips
    encoded = encoded + rng.normal(0, rng.uniform(*shot.noise), size=encoded.shape)
    rgb = (np.clip(encoded, 0, 1) * 255).round().astype(np.uint8)
    if shot.upscale > 1:
        h, w = shot.size
        big = (w * shot.upscale, h * shot.upscale)
        rgb = np.asarray(Image.fromarray(rgb).resize(big, Image.Resampling.BICUBIC))
    return rgb


def jpeg_bytes(rgb: np.ndarray, quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=int(quality))
    return buffer.getvalue()


def snap(digit: np.ndarray, rng: np.random.Generator, shot: Shot = Shot()) -> bytes:
    """``photograph``, saved as a JPEG file's bytes, the way a phone hands it over."""
    return jpeg_bytes(photograph(digit, rng, shot), rng.integers(shot.jpeg[0], shot.jpeg[1] + 1))


#: The evenly lit photo's name (below).
EVEN_LIGHT = "photo: even light"
#: The photo conditions: each changes one thing about an evenly lit photo of a digit on white
#: paper in black ink, except "everything", which draws each at random as a phone user would.
PHOTO_CONDITIONS: dict[str, Shot] = {
    EVEN_LIGHT: Shot(),
    "photo: gradient": Shot(gradient=0.6),
    "photo: vignette": Shot(vignette=0.5),
    "photo: lamp's hot spot": Shot(hot_spot=0.8),
    "photo: soft shadow": Shot(shadow="soft"),
    "photo: hard shadow": Shot(shadow="hard"),
    "photo: deep shadow": Shot(shadow="deep"),
    "photo: phone's shadow": Shot(shadow="phone"),
    "photo: shadow beside the digit": Shot(shadow="hard", shadow_over_digit=False),
    "photo: ruled paper": Shot(lines="ruled"),
    "photo: squared paper": Shot(lines="squared"),
    "photo: cream paper, blue ink": Shot(paper="cream", ink="blue"),
    "photo: grey paper, pencil": Shot(paper="grey", ink="pencil"),
    "photo: perspective": Shot(perspective=0.12),
    "photo: JPEG quality 40": Shot(jpeg=(35, 45)),
    "photo: chalk on a board": Shot(paper="board", gradient=0.3),
    "photo: 12 megapixels": Shot(size=(756, 1008), upscale=4, digit_height=(0.1, 0.25)),
}


def everything(rng: np.random.Generator) -> Shot:
    """A photo as people take them: every condition drawn at random, a shadow half the time."""
    chalk = rng.uniform() < 0.1
    paper = "board" if chalk else str(rng.choice(list(PAPERS), p=[0.6, 0.25, 0.15]))
    return replace(
        Shot(),
        paper=paper,
        ink=str(rng.choice(list(INKS))),
        lines="" if chalk else str(rng.choice(["", "ruled", "squared"], p=[0.5, 0.3, 0.2])),
        gradient=float(rng.uniform(0, 0.6)),
        vignette=float(rng.uniform(0, 0.5)),
        hot_spot=float(rng.uniform(0, 0.8) if rng.uniform() < 0.3 else 0.0),
        shadow=str(rng.choice(["soft", "hard", "deep", "phone"])) if rng.uniform() < 0.5 else "",
        shadow_over_digit=bool(rng.uniform() < 0.7),
        perspective=float(rng.uniform(0, 0.12)),
    )
