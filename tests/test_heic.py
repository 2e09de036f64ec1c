"""iPhones' HEIC photos: read where pillow-heif is installed, refused in one line where it is not.

Every HEIC here is written at run time by pillow-heif itself (its x265 encoder), from a digit drawn
in code; nothing is downloaded. "Not installed" is ``sys.modules["pillow_heif"] = None`` in this
process, and a ``pillow_heif`` that raises ``ImportError`` first on the path of a fresh one.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from conftest import run_course_cli, shown_lines, to_mnist_peak_mib
from PIL import Image, ImageDraw

from mnist_helpers.__main__ import main
from mnist_helpers.external import ImageError, load_gray, to_mnist
from mnist_helpers.photos import heif_kind
from mnist_helpers.widgets import UPLOAD_ACCEPT, upload_button

ROOT = Path(__file__).resolve().parents[1]
REFUSED = (
    "is a HEIC photo (an iPhone's format), which needs the pillow-heif package: `pip install "
    "pillow-heif` to read it, or save it as JPEG (iPhone: Settings ▸ Camera ▸ Formats ▸ Most "
    "Compatible)"
)


def photo(size=(400, 300), scale=1.0) -> Image.Image:
    """A 7 in dark ink on slightly warm paper, as a phone sees it, ``size`` = (width, height)."""
    w, h = size
    image = Image.new("RGB", size, (232, 228, 220))
    s = scale * min(w, h)
    top, left = h / 2 - 0.4 * s, w / 2 - 0.3 * s
    ImageDraw.Draw(image).line(
        [(left, top), (left + 0.55 * s, top), (left + 0.2 * s, top + 0.8 * s)],
        fill=(35, 35, 45),
        width=max(3, round(0.06 * s)),
        joint="curve",
    )
    return image


def encoded(image: Image.Image, fmt: str, **kw) -> bytes:
    if fmt == "HEIF":
        pillow_heif.register_heif_opener()  # Pillow writes HEIC once the plugin is registered
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kw)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def heic_12mp(tmp_path_factory) -> Path:
    """A 4032 × 3024 HEIC, an iPhone's 12 megapixels (a few seconds to encode)."""
    path = tmp_path_factory.mktemp("heic") / "IMG_0007.HEIC"
    path.write_bytes(encoded(photo((4032, 3024), scale=0.5), "HEIF", quality=50))
    return path


@pytest.fixture
def no_pillow_heif(monkeypatch):
    """pillow-heif not installed, as on Colab (``import pillow_heif`` raises ImportError)."""
    monkeypatch.setitem(sys.modules, "pillow_heif", None)


def test_the_first_bytes_say_heic_heif_or_neither():
    def ftyp(major: bytes, *compatible: bytes) -> bytes:
        return (
            (16 + 4 * len(compatible)).to_bytes(4, "big")
            + b"ftyp"
            + major
            + bytes(4)
            + (b"".join(compatible))
        )

    iphone = "a HEIC photo (an iPhone's format)"
    assert heif_kind(encoded(photo(), "HEIF")[:64]) == iphone
    assert heif_kind(ftyp(b"mif1", b"mif1", b"heic")) == iphone
    assert heif_kind(ftyp(b"mif1", b"mif1", b"miaf")) == "a HEIF image"
    assert heif_kind(ftyp(b"avif", b"avif", b"mif1")) is None  # AVIF: Pillow reads it itself
    assert heif_kind(ftyp(b"mif1", b"mif1", b"avif")) is None
    assert heif_kind(ftyp(b"isom", b"mp41")) is None  # an MP4 video
    assert heif_kind(encoded(photo(), "PNG")[:64]) is None and heif_kind(b"") is None


def test_a_heic_reads_as_the_same_digit_as_the_png_of_the_same_photo(tmp_path, predict):
    image = photo()
    png = to_mnist(encoded(image, "PNG"))
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(encoded(image, "HEIF", quality=85))
    for source in (path, str(path), path.read_bytes()):
        digit = to_mnist(source)
        assert np.abs(digit - png).mean() < 0.01, np.abs(digit - png).mean()
    probs = predict(np.stack([png, to_mnist(path)])[..., None])
    assert probs.argmax(1).tolist() == [7, 7]


def test_a_heic_turned_by_the_phone_reads_upright(tmp_path):
    """A phone stores the pixels as the sensor saw them and says how to turn them; HEIF says it
    in the file (libheif turns them) and pillow-heif sets the EXIF orientation back to 1, so the
    photo is turned exactly once."""
    upright = photo()
    sideways = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # show it turned 90° clockwise, which undoes ROTATE_90
    heic = encoded(sideways, "HEIF", quality=85, exif=exif.tobytes())
    expected = load_gray(encoded(upright, "PNG"))
    gray = load_gray(heic)
    assert gray.shape == expected.shape == (300, 400)
    assert np.abs(gray - expected).mean() < 0.01


def test_a_12_megapixel_heic_is_decoded_then_reduced(heic_12mp):
    assert Image.open(heic_12mp).size == (4032, 3024)
    assert load_gray(heic_12mp, max_side=512).shape == (1008, 1344)  # a third of each side
    assert to_mnist(heic_12mp).shape == (28, 28)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads Linux's VmHWM")
def test_a_12_megapixel_heic_peaks_under_150_mb(heic_12mp):
    """In a fresh process: its peak resident memory (VmHWM) before and after reading. pillow-heif
    holds its decoded copy while Pillow copies it (about 7 bytes a pixel, 85 MB here)."""
    before, after = to_mnist_peak_mib(heic_12mp)
    assert after - before < 150, f"peak {after} MB, {after - before} MB for the photo"


def test_without_pillow_heif_a_heic_is_refused_in_one_line_that_names_the_fix(
    tmp_path, no_pillow_heif
):
    data = encoded(photo(), "HEIF")
    path = tmp_path / "IMG_0002.HEIC"
    path.write_bytes(data)
    for source, name in [(path, str(path)), (data, "the data")]:
        with pytest.raises(ImageError) as err:
            to_mnist(source)
        assert str(err.value) == f"{name} {REFUSED}"


def test_a_damaged_heic_says_so_in_one_line(tmp_path):
    data = encoded(photo(), "HEIF")
    for cut in (40, len(data) // 2):
        with pytest.raises(ImageError) as err:
            to_mnist(data[:cut])
        message = str(err.value)
        assert message.startswith("the data ") and "is the file complete?" in message
        assert "\n" not in message, message


def test_the_upload_button_offers_heic_and_reads_it_or_says_what_to_do(predict, monkeypatch):
    box = upload_button(predict)
    assert box.children[0].accept == UPLOAD_ACCEPT
    assert {"image/*", ".heic", ".heif"} <= set(UPLOAD_ACCEPT.split(","))
    data = encoded(photo(), "HEIF")

    def answer() -> list[str]:
        box.handlers["upload"]({"new": ({"name": "IMG_0003.HEIC", "content": memoryview(data)},)})
        return shown_lines(box.handlers["result"].value)

    [line] = answer()
    assert line.startswith("IMG_0003.HEIC: 7 ("), line
    monkeypatch.setitem(sys.modules, "pillow_heif", None)
    assert answer() == [f"IMG_0003.HEIC: the data {REFUSED}"]


def test_the_command_line_reads_a_heic(tmp_path, capsys):
    path = tmp_path / "IMG_0004.HEIC"
    path.write_bytes(encoded(photo(), "HEIF"))
    assert main(["predict", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: 7 (")


def test_the_command_line_refuses_a_heic_in_one_line_without_pillow_heif(tmp_path, capsys):
    """In this process, and in a fresh one (``python -m``) whose pillow_heif cannot import."""
    path = tmp_path / "IMG_0005.HEIC"
    path.write_bytes(encoded(photo(), "HEIF"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "pillow_heif", None)
        assert main(["predict", str(path)]) == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err == f"error: {path} {REFUSED}\n"
    blocker = tmp_path / "blocked" / "pillow_heif"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('No module named pillow_heif')\n")
    done = run_course_cli("predict", str(path), PYTHONPATH=str(blocker.parent))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"error: {path} {REFUSED}\n"
