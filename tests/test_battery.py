"""The course's battery of bad and awkward input: each case is read as the right digit, or
refused with a message that says what was expected and what arrived.

Every picture is drawn here, in code, from the hand-made digit skeletons of
``scripts/make_external_images.py``: 16-bit and floating-point scans, digits cropped tight
against the border or drawn inside a frame, broken strokes, noise, two digits side by side,
a click on the drawing pad, huge photos, and files that are not images at all. The same cases
go through ``to_mnist``, the upload button, the drawing pad, the command line and ``load_mnist``.
"""

from __future__ import annotations

import io
import os
import re
import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import load_script, shown_lines, to_mnist_peak_mib
from PIL import Image, ImageDraw

from mnist_helpers import MnistDataError, load_mnist
from mnist_helpers.__main__ import main
from mnist_helpers.data import DATA_FILE, RESTORE_HINT
from mnist_helpers.external import ImageError, load_gray, to_mnist
from mnist_helpers.files import file_sha256
from mnist_helpers.model import COURSE_MODEL, MODEL_HINT, check_model_file, load_course_model
from mnist_helpers.widgets import drawing_pad, upload_button

ROOT = Path(__file__).resolve().parents[1]


def _skeletons() -> dict[int, list[list[tuple[float, float]]]]:
    return load_script("make_external_images").SKELETONS


SKELETONS = _skeletons()


# ---- drawing the pictures ------------------------------------------------------------------


def ink(digit=None, *, strokes=None, canvas=(300, 300), at=(100, 50), height=200, pen=14):
    """A digit's strokes as ink in [0, 1]: its 1-unit skeleton box scaled to ``height``."""
    image = Image.new("L", canvas, 0)
    draw = ImageDraw.Draw(image)
    for stroke in SKELETONS[digit] if strokes is None else strokes:
        xy = [(at[0] + x * height, at[1] + y * height) for x, y in stroke]
        draw.line(xy, fill=255, width=pen, joint="curve")
        for x, y in (xy[0], xy[-1]):  # round pen ends
            draw.ellipse([x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2], fill=255)
    return np.asarray(image, dtype=np.float64) / 255


def on_paper(ink_, paper=230, pen=30) -> np.ndarray:
    """Dark ink on light paper, uint8."""
    return np.round(paper - (paper - pen) * ink_).astype(np.uint8)


def scaled(ink_, paper, pen, dtype) -> np.ndarray:
    return (paper - (paper - pen) * ink_).astype(dtype)


def tight(ink_) -> np.ndarray:
    """Cropped to the ink's box: the strokes lie along the image's edges."""
    rows, cols = np.flatnonzero(ink_.max(1) > 0.5), np.flatnonzero(ink_.max(0) > 0.5)
    return ink_[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def framed(ink_, thickness, inset) -> np.ndarray:
    """A rectangle of ink drawn around the digit, ``inset`` pixels in from the edge."""
    out = ink_.copy()
    h, w = out.shape
    lo, hi_r, hi_c = inset, h - inset, w - inset
    out[lo : lo + thickness, lo:hi_c] = out[hi_r - thickness : hi_r, lo:hi_c] = 1
    out[lo:hi_r, lo : lo + thickness] = out[lo:hi_r, hi_c - thickness : hi_c] = 1
    return out


def side_by_side(digits, gap=0.4, height=200) -> np.ndarray:
    """Several digits in a row, ``gap`` digit heights apart."""
    pieces = [tight(ink(d, canvas=(400, 320), at=(100, 60), height=height)) for d in digits]
    rows = max(p.shape[0] for p in pieces)
    row = []
    for piece in pieces:
        row += [
            np.pad(piece, ((0, rows - piece.shape[0]), (0, 0))),
            np.zeros((rows, int(gap * height))),
        ]
    return np.pad(np.hstack(row[:-1]), 60)


def file_of(image: Image.Image | np.ndarray, path: Path, **kw) -> Path:
    (image if isinstance(image, Image.Image) else Image.fromarray(image)).save(path, **kw)
    return path


def encoded(image: Image.Image | np.ndarray, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    (image if isinstance(image, Image.Image) else Image.fromarray(image)).save(buf, fmt, **kw)
    return buf.getvalue()


def scan16(digit=3, paper=50000, pen=8000) -> Image.Image:
    """A 16-bit grayscale scan: ink about 8000, paper about 50000 of 65535."""
    return Image.fromarray(scaled(ink(digit), paper, pen, np.uint16))


def png_header_only(width: int, height: int, colour_type: int = 2) -> bytes:
    """A PNG whose header announces ``width`` × ``height`` (RGB), its pixels cut short."""
    small = bytearray(encoded(np.zeros((8, 8, 3), np.uint8), "PNG"))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    small[16:29] = ihdr
    small[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(small)


#: What a clone whose data went through Git LFS without git-lfs installed holds instead of it.
GIT_LFS_POINTER = (
    b"version https://git-lfs.github.com/spec/v1\n"
    b"oid sha256:6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161\n"
    b"size 11490434\n"
)


def noise(kind: str) -> np.ndarray:
    rng = np.random.default_rng(7)
    if kind == "uniform":
        return (rng.random((300, 300)) * 255).astype(np.uint8)
    if kind == "gaussian":
        return np.clip(rng.normal(128, 40, (300, 400)), 0, 255).astype(np.uint8)
    if kind == "salt and pepper":
        return ((rng.random((300, 300)) > 0.8) * 255).astype(np.uint8)
    if kind == "checkerboard":
        return ((np.indices((300, 300)) // 30).sum(0) % 2 * 255).astype(np.uint8)
    stripes = np.full((300, 300), 230, np.uint8)
    stripes[:, ::20] = stripes[:, 1::20] = 30
    return stripes


def dots(*centres, pen=18, size=280) -> np.ndarray:
    out = np.zeros((size, size))
    yy, xx = np.mgrid[0:size, 0:size]
    for x, y in centres:
        out[np.hypot(xx - x, yy - y) <= pen / 2] = 1
    return on_paper(out)


def arc(cx, cy, rx, ry, start, stop, n=40):
    t = np.radians(np.linspace(start, stop, n))
    return list(zip(cx + rx * np.cos(t), cy + ry * np.sin(t), strict=True))


BROKEN = {
    "a 4 whose bar stops short of its stem": (
        4,
        [[(0.6, 0.93), (0.6, 0.07)], [(0.55, 0.12), (0.17, 0.66), (0.5, 0.66)]],
    ),
    "a 5 whose top bar is a separate stroke": (
        5,
        [
            [(0.76, 0.09), (0.38, 0.09)],
            [(0.33, 0.15), (0.29, 0.45)] + arc(0.5, 0.66, 0.27, 0.26, 225, 515),
        ],
    ),
    "a 7 with a separate crossbar": (
        7,
        [[(0.18, 0.1), (0.8, 0.1), (0.41, 0.93)], [(0.3, 0.52), (0.52, 0.52)]],
    ),
    "a 0 broken at the top and the bottom": (
        0,
        [arc(0.5, 0.5, 0.27, 0.42, -80, 80), arc(0.5, 0.5, 0.27, 0.42, 100, 260)],
    ),
    "a 1 with a separate foot": (
        1,
        [[(0.36, 0.24), (0.55, 0.07), (0.53, 0.93)], [(0.35, 0.97), (0.75, 0.97)]],
    ),
}


@pytest.fixture(scope="module")
def huge_gray_png(tmp_path_factory) -> Path:
    """12,000 × 8,000 pixels (96 megapixels) of paper with a 7 on it: 0.5 MB as a PNG."""
    image = Image.new("L", (12_000, 8_000), 235)
    ImageDraw.Draw(image).line(
        [(5000, 2000), (7000, 2000), (5800, 6000)], fill=30, width=300, joint="curve"
    )
    return file_of(image, tmp_path_factory.mktemp("huge") / "huge.png", compress_level=1)


# ---- to_mnist: read as the right digit -----------------------------------------------------

READ = {
    "16-bit PNG scan (ink 8000, paper 50000)": (3, lambda d: file_of(scan16(3), d / "s.png")),
    "16-bit PNG scan, low contrast": (7, lambda d: file_of(scan16(7, 40000, 20000), d / "s.png")),
    "16-bit big-endian TIFF": (
        5,
        lambda d: file_of(
            Image.frombytes("I;16B", (300, 300), scaled(ink(5), 52000, 9000, ">u2").tobytes()),
            d / "s.tif",
        ),
    ),
    "32-bit float TIFF in [0, 1]": (
        2,
        lambda d: file_of(scaled(ink(2), 0.8, 0.1, np.float32), d / "f.tif"),
    ),
    "32-bit float TIFF in [0, 65535]": (
        4,
        lambda d: file_of(scaled(ink(4), 50000, 8000, np.float32), d / "f.tif"),
    ),
    "32-bit float TIFF with negative values": (
        6,
        lambda d: file_of(scaled(ink(6), 3.0, -2.0, np.float32), d / "f.tif"),
    ),
    "32-bit integer TIFF": (
        8,
        lambda d: file_of(scaled(ink(8), 60000, 5000, np.int32), d / "i.tif"),
    ),
    "uint16 NumPy array": (9, lambda d: scaled(ink(9), 50000, 8000, np.uint16)),
    "a 0 cropped tight: its sides lie along the edges": (
        0,
        lambda d: on_paper(tight(ink(0, pen=24))),
    ),
    "a bold 5 cropped tight": (5, lambda d: on_paper(tight(ink(5, pen=30)))),
    "a bold 6 cropped tight": (6, lambda d: on_paper(tight(ink(6, pen=30)))),
    "a bold 8 cropped tight": (8, lambda d: on_paper(tight(ink(8, pen=30)))),
    "a 1 from the top edge to the bottom edge, chalk on a board": (
        1,
        lambda d: np.round(40 + 190 * tight(ink(1, pen=16))).astype(np.uint8),
    ),
    "a 4 inside a thick drawn frame": (
        4,
        lambda d: on_paper(framed(ink(4, at=(90, 60), height=180, pen=12), 30, 20)),
    ),
    "a 1 inside a thin drawn frame": (
        1,
        lambda d: on_paper(framed(ink(1, at=(90, 60), height=180, pen=12), 10, 20)),
    ),
    "a 5 inside a frame along the image's edge": (
        5,
        lambda d: on_paper(framed(ink(5, at=(80, 60), height=180, pen=12), 25, 0)),
    ),
    **{
        name: (label, lambda d, s=strokes: on_paper(ink(strokes=s, pen=4)))
        for name, (label, strokes) in BROKEN.items()
    },
    "palette GIF": (
        2,
        lambda d: file_of(Image.fromarray(on_paper(ink(2))).convert("P"), d / "p.gif"),
    ),
    "1-bit BMP": (
        3,
        lambda d: file_of(Image.fromarray(on_paper(ink(3))).convert("1"), d / "b.bmp"),
    ),
    "WebP": (6, lambda d: file_of(on_paper(ink(6)), d / "w.webp")),
    "JPEG turned sideways, EXIF orientation 8": (
        9,
        lambda d: file_of(
            Image.fromarray(on_paper(ink(9))).transpose(Image.Transpose.ROTATE_270),
            d / "r.jpg",
            exif=_exif_orientation(8),
        ),
    ),
}


def _exif_orientation(value: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif


@pytest.mark.parametrize("case", READ, ids=list(READ))
def test_to_mnist_reads_the_right_digit(tmp_path, predict, case):
    label, make = READ[case]
    digit = to_mnist(make(tmp_path))
    probs = predict(digit[None, ..., None])[0]
    assert probs.argmax() == label, f"{case}: read {probs.argmax()} ({probs.max():.0%})"


@pytest.mark.parametrize("case", READ)
def test_the_ink_is_taken_for_the_ink(tmp_path, case):
    """Dark ink on light paper is inverted, chalk on a board is not. A right answer alone does not
    show it: "a bold 5 cropped tight" was once taken for light ink on a dark board, its paper for
    the "ink", and the model still answered 5. Cropped tight, a bold digit's strokes lie along
    the border and cover about half the picture: neither polarity finds ink inside it, and the
    median grey may be the ink's; the edge, the page around the digit, says dark ink."""
    assert to_mnist(READ[case][1](tmp_path), steps=True).inverted == ("chalk" not in case)


def test_a_96_megapixel_png_is_read_without_a_decompression_bomb_warning(huge_gray_png, predict):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        digit = to_mnist(huge_gray_png)
    assert not [w for w in caught if w.category is Image.DecompressionBombWarning]
    assert predict(digit[None, ..., None])[0].argmax() == 7


def test_a_96_megapixel_jpeg_is_decoded_reduced(tmp_path, predict):
    image = Image.new("L", (12_000, 8_000), 235)
    ImageDraw.Draw(image).line([(6000, 1500), (6100, 6500)], fill=30, width=350)
    path = file_of(image, tmp_path / "huge.jpg", quality=80)
    del image
    assert load_gray(path, max_side=512).shape == (1000, 1500)  # decoded at 1/8
    assert predict(to_mnist(path)[None, ..., None])[0].argmax() == 1


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads Linux's VmHWM")
def test_an_accepted_96_megapixel_png_peaks_well_under_500_mb(huge_gray_png):
    """Measured in a fresh process: its peak resident memory (VmHWM) before and after reading."""
    before, after = to_mnist_peak_mib(huge_gray_png)
    assert after < 400 and after - before < 250, (
        f"peak {after} MB, {after - before} MB for the photo"
    )


def test_16_bit_and_float_scans_are_scaled_not_clipped(tmp_path):
    gray = load_gray(file_of(scan16(3), tmp_path / "s.png"))
    assert gray.dtype == np.float32
    assert gray.min() == pytest.approx(8000 / 65535) and gray.max() == pytest.approx(50000 / 65535)
    as_float = load_gray(file_of(scaled(ink(3), 50000, 8000, np.float32), tmp_path / "f.tif"))
    assert np.allclose(as_float, gray, atol=1e-4)


# ---- to_mnist: refused, saying what arrived -------------------------------------------------

NOT_ONE_DIGIT = r"^no single digit: the ink covers \d+% of the image in \d+ pieces \(expected"
REFUSED = {
    "uniform noise": (lambda d: noise("uniform"), NOT_ONE_DIGIT),
    "gaussian noise": (lambda d: noise("gaussian"), NOT_ONE_DIGIT),
    "salt and pepper": (lambda d: noise("salt and pepper"), NOT_ONE_DIGIT),
    "a checkerboard": (lambda d: noise("checkerboard"), NOT_ONE_DIGIT),
    "stripes": (lambda d: noise("stripes"), NOT_ONE_DIGIT),
    "12 side by side": (
        lambda d: on_paper(side_by_side([1, 2])),
        r"^2 separate marks side by side",
    ),
    "38 side by side, closer": (
        lambda d: on_paper(side_by_side([3, 8], gap=0.2)),
        r"^2 separate marks .*crop the image to one digit",
    ),
    "77 side by side": (lambda d: on_paper(side_by_side([7, 7])), r"^2 separate marks"),
    "123 in a row": (lambda d: on_paper(side_by_side([1, 2, 3])), r"^3 separate marks"),
    "one click of a pen: a dot": (
        lambda d: dots((100, 120)),
        r"^no digit found: the only ink is a dot or a blob \(\d+×\d+ pixels, about as long as",
    ),
    "two dots": (
        lambda d: dots((100, 100), (180, 200)),
        r"^no digit found: the only ink is 2 dots",
    ),
    "specks of dust": (lambda d: dots((100, 100), (200, 50), pen=3), "^no digit found: "),
    "a blank 16-bit scan": (
        lambda d: file_of(Image.fromarray(np.full((200, 200), 40000, np.uint16)), d / "b.png"),
        "no digit found: the image is blank or uniform",
    ),
    "a 96-megapixel RGB PNG": (
        lambda d: png_header_only(12_000, 8_000),
        r"^the data is 12000×8000 pixels in mode RGB: decoding it would take 366 MB, more than",
    ),
    "a directory": (
        lambda d: d,
        r"is a directory, not an image file \(PNG, JPEG, GIF, BMP, TIFF or WebP expected\)",
    ),
    "a named pipe": (
        lambda d: _fifo(d / "pipe.png"),
        r"is a named pipe \(FIFO\), not an image file",
    ),
    "an empty path": (
        lambda d: "",
        "^the image path is empty: expected the name of an image file$",
    ),
    "a path with a NUL byte": (
        lambda d: str(d / "seven\x00.png"),
        r"^the image path '.*seven\\x00\.png' contains a NUL byte \(\\x00\): expected the name "
        "of an image file$",
    ),
    "no bytes": (lambda d: b"", r"^the data is empty \(0 bytes\): expected a PNG, JPEG"),
    "text bytes": (
        lambda d: b"a digit, honest",
        "^the data is not an image Pillow can read: expected",
    ),
    "a float TIFF holding NaN": (
        lambda d: file_of(np.full((50, 50), np.nan, np.float32), d / "nan.tif"),
        "holds NaN or infinite values",
    ),
    "a truncated 16-bit PNG": (
        lambda d: (lambda data: data[: len(data) // 2])(encoded(scan16(3), "PNG")),
        r"^the data could not be decoded \(.*\); is the file complete\?",
    ),
    "a 5×5 picture": (
        lambda d: encoded(np.zeros((5, 5), np.uint8), "PNG"),
        r"5×5 pixels: too small",
    ),
}


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_to_mnist_refuses_with_a_clear_message(tmp_path, case):
    make, message = REFUSED[case]
    with pytest.raises(ImageError) as err:
        to_mnist(make(tmp_path))
    assert re.search(message, str(err.value)), str(err.value)
    assert isinstance(err.value, ValueError)


def test_a_broken_link_is_named_as_one(tmp_path):
    (tmp_path / "photo.png").symlink_to(tmp_path / "deleted.png")
    with pytest.raises(
        FileNotFoundError, match=r"photo\.png is a broken symbolic link \(its target"
    ):
        to_mnist(tmp_path / "photo.png")


def test_no_read_permission_is_a_clear_image_error(tmp_path, monkeypatch):
    """As root, chmod 000 does not stop reading, so opening the file is made to fail instead."""
    path = file_of(on_paper(ink(7)), tmp_path / "seven.png")
    real_open = open

    def no_access(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_access)
    with pytest.raises(
        ImageError, match=r"seven\.png cannot be read: permission denied \(expected"
    ):
        to_mnist(path)


# ---- the upload button ---------------------------------------------------------------------

UPLOADS = {
    "16-bit scan": (lambda: encoded(scan16(3), "PNG"), "3 ("),
    "float TIFF": (lambda: encoded(scaled(ink(2), 0.8, 0.1, np.float32), "TIFF"), "2 ("),
    "noise": (lambda: encoded(noise("uniform"), "PNG"), "no single digit: the ink covers"),
    "two digits": (lambda: encoded(on_paper(side_by_side([1, 2])), "PNG"), "2 separate marks"),
    "a dot": (lambda: encoded(dots((100, 120)), "PNG"), "the only ink is a dot or a blob"),
    "empty file": (lambda: b"", "the data is empty (0 bytes)"),
    "96-megapixel RGB": (lambda: png_header_only(12_000, 8_000), "decoding it would take 366 MB"),
}


@pytest.mark.parametrize("case", UPLOADS, ids=list(UPLOADS))
def test_the_upload_button_answers_each_file(predict, case):
    make, expected = UPLOADS[case]
    box = upload_button(predict)
    box.handlers["upload"]({"new": ({"name": "upload.png", "content": memoryview(make())},)})
    lines = shown_lines(box.handlers["result"].value)
    assert len(lines) == 1 and lines[0].startswith("upload.png: ") and expected in lines[0], lines


# ---- the drawing pad -----------------------------------------------------------------------


def _strokes(digit, left, top, height):
    return [[(left + x * height, top + y * height) for x, y in s] for s in SKELETONS[digit]]


PAD = {
    "one click": ([[(140, 140)]], "not a digit yet</b>: no digit found: the only ink is a dot"),
    "two clicks": ([[(80, 80)], [(200, 200)]], "the only ink is 2 dots"),
    "two digits side by side": (
        _strokes(1, 10, 40, 200) + _strokes(1, 150, 40, 200),
        "2 separate marks side by side",
    ),
    "a 7 whose bar runs along the top edge": ([[(40, 6), (250, 6), (120, 270)]], "<b>7 ("),
    "a 1 from the top edge to the bottom edge": ([[(140, 0), (140, 280)]], "<b>1 ("),
    "a 4 inside a drawn frame": (
        [[(8, 8), (272, 8), (272, 272), (8, 272), (8, 8)]] + _strokes(4, 70, 50, 180),
        "<b>4 (",
    ),
    "a small 3 in a corner": (_strokes(3, 200, 190, 80), "<b>3 ("),
    "a scribble all over the pad": (
        [
            [(x, 10 + (i % 2) * 260) for i, x in enumerate(range(0, 281, 14))],
            [(10 + (i % 2) * 260, y) for i, y in enumerate(range(0, 281, 14))],
        ],
        "no single digit",
    ),
}


@pytest.mark.parametrize("case", PAD, ids=list(PAD))
def test_the_drawing_pad_answers_each_drawing(predict, case):
    strokes, expected = PAD[case]
    box = drawing_pad(predict, size=280, pen=18)
    h = box.handlers
    for stroke in strokes:
        h["down"](*stroke[0])
        for point in stroke[1:]:
            h["move"](*point)
        h["up"](*stroke[-1])
    assert expected in h["result"].value, h["result"].value


def test_the_pad_is_usable_again_after_a_dot(predict):
    box = drawing_pad(predict, size=280, pen=18)
    h = box.handlers
    h["down"](140, 140)
    h["up"](140, 140)
    assert "not a digit yet" in h["result"].value
    h["clear"]()
    h["down"](140, 20)
    h["move"](140, 260)
    h["up"](140, 260)
    assert h["result"].value.startswith("<b>1 (")


# ---- the command line ----------------------------------------------------------------------

CLI = {
    "a directory": (lambda d: str(d), 1, "is a directory, not an image file"),
    "a named pipe": (lambda d: str(_fifo(d / "p.png")), 1, "is a named pipe (FIFO)"),
    "an empty argument": (lambda d: "", 1, "error: the image path is empty: expected the name"),
    "a NUL byte in the name": (
        lambda d: "seven\x00.png",
        1,
        r"error: the image path 'seven\x00.png' contains a NUL byte (\x00): expected the name",
    ),
    "noise": (lambda d: str(file_of(noise("gaussian"), d / "n.png")), 1, "no single digit"),
    "two digits": (
        lambda d: str(file_of(on_paper(side_by_side([3, 8])), d / "38.png")),
        1,
        "2 separate marks",
    ),
    "a 16-bit scan": (lambda d: str(file_of(scan16(3), d / "s.png")), 0, ": 3 ("),
}


@pytest.mark.parametrize("case", CLI, ids=list(CLI))
def test_the_command_line_gives_one_line_per_image(tmp_path, capsys, case):
    make, status, expected = CLI[case]
    assert main(["predict", make(tmp_path)]) == status
    out = capsys.readouterr()
    lines = (out.err if status else out.out).splitlines()
    assert len(lines) == 1 and expected in lines[0], lines
    assert "Traceback" not in out.err


NUL_BYTE = {  # each reader of a path: what it calls the path, what it expected
    "to_mnist": (to_mnist, "image", "the name of an image file"),
    "load_mnist": (load_mnist, "MNIST data", "the name of an .npz file"),
    "check_model_file": (check_model_file, "model", "the path of a .keras model file"),
    "load_course_model": (load_course_model, "model", "the path of a .keras model file"),
    "file_sha256": (file_sha256, "file", "the name of a file"),
}


@pytest.mark.parametrize("reader", NUL_BYTE, ids=list(NUL_BYTE))
def test_a_nul_byte_in_a_path_is_one_line_that_says_what_was_expected(tmp_path, reader):
    """Not ``ValueError: embedded null byte`` from inside pathlib: the path, shown with its
    ``\\x00``, and what was expected."""
    read, what, expected = NUL_BYTE[reader]
    path = str(tmp_path / "seven\x00.png")
    with pytest.raises(ValueError) as err:
        read(path)
    assert str(err.value) == (
        f"the {what} path {path!r} contains a NUL byte (\\x00): expected {expected}"
    )


def test_the_command_line_names_a_model_path_with_a_nul_byte_in_one_line(tmp_path, capsys):
    seven = str(file_of(on_paper(ink(7)), tmp_path / "7.png"))
    assert main(["predict", "--model", "m\x00.keras", seven]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err == (
        "error: the model path 'm\\x00.keras' contains a NUL byte (\\x00): expected the path of "
        "a .keras model file\n"
    )


def _flipped_model(path: Path) -> Path:
    data = bytearray(COURSE_MODEL.read_bytes())
    data[len(data) // 3] ^= 0x01
    return _write(path, bytes(data))


BAD_MODEL = {
    "one byte flipped": _flipped_model,
    "a git-lfs pointer in its place": lambda p: _write(p, GIT_LFS_POINTER),
}


@pytest.mark.parametrize("images", [["a.png"], []], ids=["bad image", "good image"])
@pytest.mark.parametrize("damage", BAD_MODEL, ids=list(BAD_MODEL))
def test_the_command_line_reports_a_damaged_model_with_status_2(tmp_path, capsys, images, damage):
    """One line, and it ends by saying how to get the course's model back."""
    model = BAD_MODEL[damage](tmp_path / "m.keras")
    seven = str(file_of(on_paper(ink(7)), tmp_path / "7.png"))
    assert main(["predict", "--model", str(model), *(images or [seven])]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [err[0]] and err[0].startswith(f"error: cannot load the model {model} (Keras ")
    assert err[0].endswith(MODEL_HINT)


# ---- load_mnist ----------------------------------------------------------------------------


def _damaged_npz(path: Path, offset: int) -> Path:
    data = bytearray(DATA_FILE.read_bytes())
    data[offset] ^= 0xFF
    return _write(path, bytes(data))


def _npy(path: Path) -> Path:
    with path.open("wb") as f:
        np.save(f, np.zeros((10, 28, 28), np.uint8))
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _zip_of_text(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no arrays here")
    return path


RESTORE = r"Restore it with `git checkout -- mnist_helpers/data/mnist\.npz`"
MNIST = {
    "a byte flipped early in the compressed data": (
        lambda p: _damaged_npz(p, 100),
        r"cannot be read \(zlib\.error: .*" + RESTORE,
    ),
    "a byte flipped in a member's name": (
        lambda p: _damaged_npz(p, 40),
        "cannot be read .*" + RESTORE,
    ),
    "a byte flipped in the middle": (
        lambda p: _damaged_npz(p, 5_000_000),
        r"Bad CRC-32 for file 'x_train\.npy'.*" + RESTORE,
    ),
    "truncated": (
        lambda p: _write(p, DATA_FILE.read_bytes()[:3_000_000]),
        "cannot be read .*" + RESTORE,
    ),
    "an .npy saved in its place": (_npy, r"holds one ndarray \(an \.npy file saved in its place"),
    "a text file in its place": (
        lambda p: _write(p, b"x_train, y_train, x_test, y_test\n"),
        r"is not an \.npz archive \(another kind of file in its place\?\)\. " + RESTORE,
    ),
    "a git-lfs pointer in its place": (
        lambda p: _write(p, GIT_LFS_POINTER),
        r"is not an \.npz archive \(another kind of file in its place\?\)\. " + RESTORE,
    ),
    "a directory": (_folder, r"is a directory, not an \.npz file\. " + RESTORE),
    "an empty file": (lambda p: _write(p, b""), "cannot be read .*" + RESTORE),
    "a zip without the arrays": (_zip_of_text, r"has no array 'x_train'\. " + RESTORE),
}


@pytest.mark.parametrize("case", MNIST, ids=list(MNIST))
def test_load_mnist_turns_every_damage_into_mnist_data_error(tmp_path, case):
    make, message = MNIST[case]
    with pytest.raises(MnistDataError) as err:
        load_mnist(make(tmp_path / "mnist.npz"))
    assert re.search(message, str(err.value)), str(err.value)
    assert "pickle" not in str(err.value)
    assert str(err.value).endswith(RESTORE_HINT) and "\n" not in str(err.value)
