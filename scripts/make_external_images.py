"""Draw the course's external digit images (``images/digits/``) and list them in images/README.md.

Nothing is downloaded and nothing comes from MNIST: every digit is a pen stroke drawn here from a
hand-made skeleton (arcs and lines per digit), bent by a random slant, tilt, stretch and wobble,
then "photographed": placed off-centre on paper of a random size, with uneven lighting, noise,
blur and JPEG compression, or written in chalk on a dark board. A few files carry the awkward
parts of real photos: an EXIF orientation tag, a transparent background, 1000+ pixel sides.

    python scripts/make_external_images.py     # rewrites images/digits/ and images/README.md

The same seed draws the same images. They are the learners' examples, not a tuning set: the
preprocessing in ``mnist_helpers.external`` was written without looking at them.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "images" / "digits"
SEED = 2026
#: Notebook 06's photo with a shadow across the digit, beside the 30 (not one of them).
SHADOWED = "shadowed_4.jpg"
SHADOW_SEED = 10


def arc(cx, cy, rx, ry, start, stop, n=40):
    """Points on an ellipse, angles in degrees, y pointing down (so angles turn clockwise)."""
    t = np.radians(np.linspace(start, stop, n))
    return list(zip(cx + rx * np.cos(t), cy + ry * np.sin(t), strict=True))


# Each digit: strokes (lists of (x, y) points) in a box 1 unit tall, x from 0 to 1.
SKELETONS = {
    0: [arc(0.5, 0.5, 0.27, 0.42, -100, 265)],
    1: [[(0.36, 0.24), (0.55, 0.07)], [(0.55, 0.07), (0.53, 0.93)]],
    2: [arc(0.5, 0.31, 0.25, 0.22, 195, 395) + [(0.22, 0.92), (0.8, 0.91)]],
    3: [arc(0.47, 0.29, 0.24, 0.2, 200, 450), arc(0.47, 0.7, 0.28, 0.22, 270, 520)],
    4: [[(0.6, 0.93), (0.6, 0.07), (0.17, 0.66), (0.84, 0.66)]],
    5: [[(0.76, 0.09), (0.33, 0.09), (0.29, 0.45)], arc(0.5, 0.66, 0.27, 0.26, 225, 515)],
    6: [[(0.7, 0.07), (0.46, 0.24), (0.31, 0.47)] + arc(0.51, 0.7, 0.24, 0.22, 190, 540)],
    7: [[(0.18, 0.1), (0.8, 0.1), (0.41, 0.93)]],
    8: [arc(0.5, 0.28, 0.21, 0.19, 90, 450), arc(0.5, 0.7, 0.26, 0.23, -90, 270)],
    9: [arc(0.5, 0.31, 0.24, 0.22, 0, 360), [(0.74, 0.31), (0.68, 0.62), (0.6, 0.93)]],
}


def hand_drawn(digit: int, rng: np.random.Generator, height: float) -> list[np.ndarray]:
    """The digit's strokes, scaled to ``height`` pixels and bent like a person's handwriting."""
    slant = rng.uniform(-0.3, 0.15)
    stretch = rng.uniform(0.75, 1.15)
    tilt = math.radians(rng.uniform(-8, 8))
    rot = np.array([[math.cos(tilt), -math.sin(tilt)], [math.sin(tilt), math.cos(tilt)]])
    phase = rng.uniform(0, 2 * math.pi, size=2)
    strokes = []
    for stroke in SKELETONS[digit]:
        p = np.array(stroke, dtype=float)
        # a gentle wobble along the stroke, then slant, stretch and tilt about the box centre
        p = p + 0.025 * np.sin(3.0 * p[:, ::-1] + phase) + rng.normal(0, 0.006, p.shape)
        p[:, 0] = (p[:, 0] - 0.5) * stretch + slant * (0.5 - p[:, 1])
        p[:, 1] -= 0.5
        strokes.append((p @ rot.T) * height)
    return strokes


@dataclass(frozen=True)
class Style:
    name: str
    how: str
    size: tuple[int, int]  # (width, height) range of the longer side is drawn from this
    digit_frac: tuple[float, float]  # digit height as a fraction of the image height
    width_frac: tuple[float, float]  # pen width as a fraction of the digit height
    chalk: bool = False
    fmt: str = "PNG"


STYLES = [
    Style("scan", "flat scan, dark pen on white", (400, 560), (0.45, 0.7), (0.06, 0.1)),
    Style(
        "phone",
        "phone photo: 1200+ px, uneven light, noise, blur, JPEG",
        (1200, 1600),
        (0.2, 0.45),
        (0.05, 0.09),
        fmt="JPEG",
    ),
    Style(
        "small-offcentre", "small photo, digit far off-centre", (160, 240), (0.3, 0.5), (0.07, 0.12)
    ),
    Style(
        "marker",
        "thick marker on grey paper, JPEG",
        (500, 700),
        (0.4, 0.65),
        (0.12, 0.17),
        fmt="JPEG",
    ),
    Style(
        "thin-pen",
        "thin pen, faint ink, shadow across the page",
        (600, 900),
        (0.3, 0.55),
        (0.025, 0.045),
    ),
    Style(
        "chalkboard",
        "chalk on a dark board, light digit on dark, JPEG",
        (600, 900),
        (0.35, 0.6),
        (0.06, 0.1),
        chalk=True,
        fmt="JPEG",
    ),
]


def photograph(digit: int, style: Style, rng: np.random.Generator) -> Image.Image:
    """Render one digit in ``style``: paper or board, lighting, pen, noise, blur (grayscale L)."""
    long_side = int(rng.uniform(*style.size))
    w, h = (long_side, int(long_side * rng.uniform(0.7, 0.9)))
    if rng.random() < 0.5:
        w, h = h, w
    height = h * rng.uniform(*style.digit_frac)
    strokes = hand_drawn(digit, rng, height)
    pts = np.concatenate(strokes)
    # anywhere on the page that keeps the whole digit inside a small margin
    lo = -pts.min(0) + 0.05 * np.array([w, h])
    hi = np.array([w, h]) - pts.max(0) - 0.05 * np.array([w, h])
    offset = rng.uniform(lo, np.maximum(hi, lo + 1))
    if style.name == "small-offcentre":  # push it into a corner region
        offset = np.where(rng.random(2) < 0.5, lo, np.maximum(hi, lo + 1))
    ink = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(ink)
    pen = max(2, int(round(height * rng.uniform(*style.width_frac))))
    for stroke in strokes:
        xy = [tuple(q) for q in stroke + offset]
        draw.line(xy, fill=255, width=pen, joint="curve")
        for q in (xy[0], xy[-1]):  # round pen ends
            draw.ellipse([q[0] - pen / 2, q[1] - pen / 2, q[0] + pen / 2, q[1] + pen / 2], 255)
    mask = np.asarray(ink.filter(ImageFilter.GaussianBlur(pen * 0.12)), dtype=float) / 255

    yy, xx = np.mgrid[0:h, 0:w] / max(w, h)
    gx, gy = rng.normal(0, 1, 2)
    vignette = (xx - 0.5) ** 2 + (yy - 0.5) ** 2
    light = 1 - 0.18 * (gx * (xx - 0.5) + gy * (yy - 0.5)) - 0.25 * vignette
    if style.name == "thin-pen":  # a soft shadow across one side of the page
        light = light - 0.22 / (1 + np.exp(-(xx - rng.uniform(0.3, 0.7)) * 25))
    if style.chalk:
        board, chalk = rng.uniform(35, 70), rng.uniform(190, 235)
        texture = rng.uniform(0.6, 1.0, mask.shape)  # chalk leaves gaps
        img = board * light + (chalk - board) * mask * texture
    else:
        paper = rng.uniform(215, 245) if style.name != "marker" else rng.uniform(170, 195)
        pen_ink = rng.uniform(20, 60) if style.name != "thin-pen" else rng.uniform(70, 110)
        img = paper * light - (paper - pen_ink) * mask * light
    img = img + rng.normal(0, rng.uniform(2, 7), img.shape)
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "L")
    return out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))


def shadowed_photo(digit: int, rng: np.random.Generator) -> bytes:
    """A phone photo of a hand-drawn digit with a hard shadow across it, as JPEG bytes.

    The camera is the robustness benchmark's (``benchmarks/camera.py``): light multiplies the
    page, so the shadow darkens paper and ink alike.
    """
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import camera

    side = 112  # an MNIST-style picture, white ink on black, the digit in the middle 20/28
    ink = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(ink)
    height = side * 20 / 28
    for stroke in hand_drawn(digit, rng, height):
        xy = [tuple(q) for q in stroke + side / 2]
        draw.line(xy, fill=255, width=round(0.11 * height), joint="curve")
    shot = camera.Shot(shadow="hard", digit_height=(0.35, 0.4), jpeg=(85, 85))
    return camera.snap(np.asarray(ink), rng, shot)


def to_rgb(gray: Image.Image, rng: np.random.Generator, chalk: bool) -> Image.Image:
    """A colour photo: warm paper and blue-black ink, or a greenish board."""
    g = np.asarray(gray, dtype=float)
    tint = np.array([0.95, 1.02, 0.97]) if chalk else np.array([1.0, 0.98, 0.93])
    tint = tint * rng.uniform(0.97, 1.03, 3)
    rgb = np.clip(g[..., None] * tint, 0, 255).astype(np.uint8)
    return Image.fromarray(rgb, "RGB")


def save(image: Image.Image, path: Path, fmt: str, **kw) -> None:
    buf = io.BytesIO()
    image.save(buf, fmt, **kw)
    path.write_bytes(buf.getvalue())


def main(out: Path = OUT, readme: Path | None = ROOT / "images" / "README.md") -> int:
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    rows = []
    for digit in range(10):
        for k in range(3):
            style = STYLES[(3 * digit + k) % len(STYLES)]
            gray = photograph(digit, style, rng)
            ext = "jpg" if style.fmt == "JPEG" else "png"
            name = f"{digit}_{style.name}.{ext}"
            how = style.how
            if digit == 3 and k == 0:  # one photo stored sideways with an EXIF orientation tag
                name, how = f"{digit}_exif-rotated.jpg", "phone photo stored sideways (pixels "
                how += "turned 90° anticlockwise) with EXIF Orientation=6 to turn it upright"
                exif = Image.Exif()
                exif[0x0112] = 6
                stored = to_rgb(gray, rng, False).transpose(Image.Transpose.ROTATE_90)
                save(stored, out / name, "JPEG", quality=85, exif=exif)
            elif digit == 6 and k == 0:  # one transparent PNG: ink only, no paper
                name, how = f"{digit}_transparent.png", "RGBA PNG: dark ink, transparent background"
                alpha = np.clip((190 - np.asarray(gray, dtype=float)) * 2.5, 0, 255)
                alpha = alpha.astype(np.uint8)
                rgba = np.zeros((*alpha.shape, 4), np.uint8)
                rgba[..., :3] = 25
                rgba[..., 3] = alpha
                save(Image.fromarray(rgba, "RGBA"), out / name, "PNG")
            elif style.fmt == "JPEG":
                quality = int(rng.integers(55, 90))
                save(to_rgb(gray, rng, style.chalk), out / name, "JPEG", quality=quality)
                how += f" (quality {quality})"
            else:
                save(gray if rng.random() < 0.5 else to_rgb(gray, rng, False), out / name, "PNG")
            with Image.open(out / name) as im:
                size = f"{im.width}×{im.height} {im.mode}"
            rows.append((name, digit, size, how))
    with (out / "labels.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "label"])
        writer.writerows((name, digit) for name, digit, _, _ in rows)
    if readme is not None:
        write_readme(rows, readme)
    (out.parent / SHADOWED).write_bytes(shadowed_photo(4, np.random.default_rng(SHADOW_SEED)))
    print(f"wrote {len(rows)} images to {out}/ and {SHADOWED} beside it")
    return 0


def write_readme(rows, path: Path) -> None:
    lines = [
        "# External digits",
        "",
        "Handwritten-looking digits for notebook 06 and `python -m mnist_helpers predict`: "
        "dark ink on light paper the way a phone photo or a scan looks, a few in chalk on a "
        "dark board. None comes from MNIST and nothing was downloaded: "
        "[`scripts/make_external_images.py`](../scripts/make_external_images.py) draws each "
        "digit as pen strokes from a hand-made skeleton (arcs and lines), bends it with a "
        'random slant, tilt, stretch and wobble, and "photographs" it: placed off-centre on a '
        "page of random size, with uneven lighting, noise, blur and, for some, JPEG "
        "compression. Run the script again to get the same files (seed "
        f"{SEED}).",
        "",
        "The true labels are also in [`digits/labels.csv`](digits/labels.csv). The course's "
        "preprocessing was not tuned on these images; they are examples, not a test set to "
        "optimise.",
        "",
        f"[`{SHADOWED}`]({SHADOWED}), not one of the 30, is notebook 06's photo of a 4 with a "
        "hard shadow across it, photographed by the robustness benchmark's camera "
        "([`benchmarks/camera.py`](../benchmarks/camera.py)).",
        "",
        "| file | label | size and mode | how it was made |",
        "|---|---|---|---|",
    ]
    lines += [f"| [{n}](digits/{n}) | {d} | {s} | {h} |" for n, d, s, h in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
