"""Reading a photo, a scan or a drawing into a grayscale array, whatever arrives.

A path, bytes, a PIL image or a NumPy array becomes a 2-D float32 image in [0, 1]: EXIF
rotation applied, transparency filled, colour turned into luminance, 16-bit and floating-point
scans scaled rather than clipped. Huge images are decoded already reduced (a JPEG at 1/2 to 1/8
of its size) or refused before decoding, so no photo takes more than a few hundred megabytes.
Whatever cannot become a picture raises ``ImageError`` saying what was expected and what came.

An iPhone saves its photos as HEIC, which Pillow does not read: where the ``pillow-heif``
package is installed (``requirements.txt`` has it), its Pillow plugin is registered the first time
a file's bytes say HEIC or HEIF, and the photo reads like any other (upright: libheif applies the
phone's rotation). Where it is not (Colab), such a file is refused in one line that says how to
install it or how to make the phone save JPEG (``HEIC_HINT``).

>>> gray = load_gray("images/digits/7_marker.jpg")   # (667, 577) float32 in [0, 1]
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from PIL import ExifTags, Image, UnidentifiedImageError

from mnist_helpers.files import checked_path, path_problem

#: Images smaller than this on a side hold too few pixels to show a digit.
MIN_SIDE = 8
#: Larger images are refused before decoding (a 12,000 × 8,000 photo is 96 megapixels).
MAX_PIXELS = 100_000_000
#: ... and so are those whose decoded pixels would need more memory than this. A JPEG is
#: decoded already reduced, so only its reduced size counts; a PNG is decoded whole.
MAX_DECODED_BYTES = 128 * 2**20
FORMATS = "PNG, JPEG, GIF, BMP, TIFF or WebP"
#: The brands (bytes 8 to 12 of a file whose bytes 4 to 8 are ``ftyp``, or its compatible brands)
#: of a HEIC photo: HEVC-coded HEIF, as iPhones save them. Pillow reads none of them itself.
HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
#: The brands of any HEIF image (``mif1``: still images, ``msf1``: a sequence), unless it says AVIF,
#: which Pillow reads itself.
HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
AVIF_BRANDS = frozenset({b"avif", b"avis"})
#: What to do with a HEIC photo where pillow-heif is not installed.
HEIC_HINT = (
    "`pip install pillow-heif` to read it, or save it as JPEG "
    "(iPhone: Settings ▸ Camera ▸ Formats ▸ Most Compatible)"
)
#: Modes with more than 8 bits per pixel: scaled from their own range to [0, 1], never clipped.
DEEP_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")
#: Bytes per pixel to decode an image of each mode and bring it to a mode ``reduce`` takes.
_BYTES_PER_PIXEL = {"1": 2, "L": 1, "P": 5, "I;16": 6, "I;16L": 6, "I;16B": 6, "I;16N": 6}
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class ImageError(ValueError):
    """An input that cannot become a digit: not an image, empty, blank, absurd size or shape."""


def load_gray(source: Any, max_side: int | None = None) -> np.ndarray:
    """A path, bytes, PIL image or array as a 2-D float32 grayscale image in [0, 1].

    EXIF orientation is applied, a transparent background is filled (white behind dark ink,
    black behind light ink), colour becomes luminance, and 16-bit or floating-point images are
    scaled from their full range (65535 for 16 bits). With ``max_side``, a file more than
    twice that size is decoded reduced by a whole factor (JPEG at 1/2 to 1/8 straight from the
    file), which keeps a 96-megapixel photo's memory small. Bad input raises ``ImageError`` (a
    ``ValueError``) saying what was expected; a missing path raises ``FileNotFoundError``.

    >>> load_gray("images/digits/7_marker.jpg").shape
    (667, 577)
    """
    if isinstance(source, np.ndarray):
        return _array_to_gray(source)
    image = upright(source, max_side)
    if image.mode in DEEP_MODES:
        return _deep_to_unit(np.asarray(image), image.mode)
    return np.asarray(image.convert("L"), dtype=np.float32) / 255.0


def upright(source: Any, max_side: int | None = None) -> Image.Image:
    """A path, bytes or PIL image, decoded, turned upright (EXIF), transparency filled in.

    ``max_side`` as in ``load_gray`` (a PIL image passed in is used as it is). Raises
    ``ImageError`` or ``FileNotFoundError`` with a message naming the file and what is wrong.

    >>> upright("images/digits/3_exif-rotated.jpg").size   # stored sideways, shown upright
    (468, 544)
    """
    if isinstance(source, Image.Image):
        image, name = source, "the image"
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        image, name = _open(io.BytesIO(data), "the data", len(data), data[:64]), "the data"
    elif isinstance(source, (str, Path)):
        path = _image_path(source)
        name = str(path)
        try:
            with open(path, "rb") as f:  # a clear message for a file we may not read
                head = f.read(64)
        except OSError as err:
            raise _unreadable(name, err) from err
        image = _open(path, name, path.stat().st_size, head)
    else:
        raise ImageError(
            "expected an image file path, its bytes, a PIL image or a NumPy array, "
            f"got {type(source).__name__}"
        )
    ours = not isinstance(source, Image.Image)  # opened here: may be decoded reduced, and closed
    try:
        return _prepare(image, name, max_side if ours else None)
    except BaseException:
        if ours:
            image.close()  # the file Pillow opened, left unread
        raise


def _prepare(image: Image.Image, name: str, max_side: int | None) -> Image.Image:
    """Check the size, decode (reduced), turn upright and fill in transparency."""
    _check_size(image.width, image.height, name)
    try:
        image, orientation = _decode(image, name, max_side)
        if orientation in _TRANSPOSE:
            image = image.transpose(_TRANSPOSE[orientation])
        if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
            "transparency" in image.info and image.mode in ("1", "L", "P", "RGB")
        ):
            image = _fill_transparency(image.convert("RGBA"))
    except ImageError:
        raise
    except MemoryError as err:
        raise ImageError(f"{name} is too large to decode in the memory available") from err
    except Exception as err:  # Pillow's decoders raise OSError, SyntaxError, struct.error…
        detail = (str(err).strip().splitlines() or [type(err).__name__])[0]  # libheif's end in \n
        raise ImageError(f"{name} could not be decoded ({detail}); is the file complete?") from err
    return image


def _image_path(source: str | Path) -> Path:
    path = checked_path(source, "image", "the name of an image file", ImageError)
    problem = path_problem(path)
    if problem == "does not exist":
        raise FileNotFoundError(f"no such image file: {path}")
    if problem and problem.startswith("is a broken symbolic link"):
        raise FileNotFoundError(f"{path} {problem}: no image file there")
    if problem:
        raise ImageError(f"{path} {problem}, not an image file ({FORMATS} expected)")
    return path


def _unreadable(name: str, err: OSError) -> ImageError:
    if isinstance(err, PermissionError):
        return ImageError(
            f"{name} cannot be read: permission denied (expected an image file you may read; "
            "check its permissions, e.g. `chmod u+r`)"
        )
    return ImageError(f"{name} cannot be read ({err.strerror or err})")


def _open(fp: Any, name: str, nbytes: int, head: bytes) -> Image.Image:
    if nbytes == 0:
        raise ImageError(f"{name} is empty (0 bytes): expected a {FORMATS} image")
    heif = heif_kind(head)
    if heif:
        _read_heif(name, heif)
    try:
        with warnings.catch_warnings():  # sizes are checked here, with a clearer message
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(fp)
    except UnidentifiedImageError as err:
        if heif:
            raise ImageError(
                f"{name} is {heif}, but pillow-heif cannot read it: is the file complete?"
            ) from err
        raise ImageError(f"{name} is not an image Pillow can read: expected {FORMATS}") from err
    except Image.DecompressionBombError as err:
        raise ImageError(f"{name} is too large to be a photo of a digit ({err})") from err
    except OSError as err:
        raise _unreadable(name, err) from err
    return image


def heif_kind(head: bytes) -> str | None:
    r"""What a file whose first bytes are ``head`` is, in words, if HEIC or HEIF; else None.

    HEIF files start with an ``ftyp`` box: its size, ``ftyp``, the major brand, a version and
    the compatible brands. A HEIC brand among them makes it an iPhone's photo; ``mif1`` or
    ``msf1`` as the major brand, any HEIF image, unless AVIF (which Pillow reads) is named.

    >>> heif_kind(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
    "a HEIC photo (an iPhone's format)"
    """
    if head[4:8] != b"ftyp":
        return None
    end = min(int.from_bytes(head[:4], "big"), len(head))
    brands = {head[8:12]} | {head[i : i + 4] for i in range(16, end - 3, 4)}
    if brands & HEIC_BRANDS:
        return "a HEIC photo (an iPhone's format)"
    if head[8:12] in HEIF_BRANDS and not brands & AVIF_BRANDS:
        return "a HEIF image"
    return None


def _read_heif(name: str, kind: str) -> None:
    """Register pillow-heif's Pillow plugin, once; where it is not installed, say what to do."""
    try:
        import pillow_heif
    except (ImportError, OSError) as err:  # OSError: a library of the wheel that does not load
        raise ImageError(
            f"{name} is {kind}, which needs the pillow-heif package: {HEIC_HINT}"
        ) from err
    if "HEIF" not in Image.OPEN:
        pillow_heif.register_heif_opener()


def _check_size(width: int, height: int, name: str) -> None:
    if min(width, height) < MIN_SIDE:
        raise ImageError(
            f"{name} is {width}×{height} pixels: too small to hold a digit "
            f"(at least {MIN_SIDE}×{MIN_SIDE} expected)"
        )
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"{name} is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels): "
            f"more than the {MAX_PIXELS / 1e6:.0f} megapixels accepted; scale it down first"
        )


def _decode(image: Image.Image, name: str, max_side: int | None) -> tuple[Image.Image, int]:
    """Decode, reduced by a whole factor when more than twice ``max_side``; the EXIF orientation."""
    factor = 1 if max_side is None else max(1, max(image.size) // (2 * max_side))
    if factor > 1 and image.format == "JPEG":
        image.draft(None, (image.width // factor, image.height // factor))  # decoded at 1/2…1/8
        factor = max(1, max(image.size) // (2 * max_side))
    need = image.width * image.height * _BYTES_PER_PIXEL.get(image.mode, 4)
    if need > MAX_DECODED_BYTES:
        raise ImageError(
            f"{name} is {image.width}×{image.height} pixels in mode {image.mode}: decoding it "
            f"would take {need / 2**20:.0f} MB, more than the {MAX_DECODED_BYTES / 2**20:.0f} "
            "MB accepted; scale it down first (or save it as JPEG, which is read reduced)"
        )
    image.load()
    orientation = _orientation(image)
    if factor == 1:
        return image, orientation
    mode = image.mode
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode == "1":
        image = image.convert("L")
    elif mode.startswith("I;16"):
        image = image.convert("I")
    reduced = image.reduce(factor)  # the mean of each factor × factor block: anti-aliased
    return (reduced.convert(mode) if mode.startswith("I;16") else reduced), orientation


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except (TypeError, ValueError):  # a malformed tag: show the image as stored
        return 1


def _deep_to_unit(arr: np.ndarray, what: str) -> np.ndarray:
    """16-bit, 32-bit or float pixels in [0, 1], from their nominal range (never clipped).

    Unsigned 16-bit values are divided by 65535. Other integers and floats are divided by the
    smallest of 1, 255 and 65535 that holds them all; values beyond that, or negative ones, are
    stretched from their own minimum to their own maximum.
    """
    arr = np.asarray(arr)
    if np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
        raise ImageError(f"the {what} image holds NaN or infinite values")
    values = arr.astype(np.float32)
    if arr.dtype.kind == "u" and arr.dtype.itemsize == 2:
        return values / 65535.0
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
    if low >= 0:
        for full in (1.0, 255.0, 65535.0):
            if high <= full:
                return values / full if full != 1.0 else values
    span = high - low
    return (values - low) / span if span > 0 else np.zeros_like(values)


def _fill_transparency(rgba: Image.Image) -> Image.Image:
    """Composite on white if the visible pixels are dark (ink), on black if they are light."""
    arr = np.asarray(rgba, dtype=np.float32) / 255.0
    alpha = arr[..., 3]
    luminance = arr[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    visible = alpha.sum()
    ink_is_light = visible > 0 and float((luminance * alpha).sum() / visible) > 0.5
    background = Image.new("RGBA", rgba.size, (0, 0, 0, 255) if ink_is_light else "white")
    return Image.alpha_composite(background, rgba).convert("RGB")


def _array_to_gray(arr: np.ndarray) -> np.ndarray:
    shapes = "(H, W), (H, W, 1), (H, W, 3) or (H, W, 4)"
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3, 4)):
        raise ImageError(f"expected an image array of shape {shapes}, got {arr.shape}")
    if arr.dtype == np.uint8:
        scaled = arr.astype(np.float32) / 255.0
    elif arr.dtype == np.uint16:
        scaled = arr.astype(np.float32) / 65535.0
    elif np.issubdtype(arr.dtype, np.floating):
        scaled = arr.astype(np.float32)
        if not np.isfinite(scaled).all():
            raise ImageError("the image array holds NaN or infinite values")
        if scaled.size and (scaled.min() < 0 or scaled.max() > 1):
            raise ImageError(
                f"float images should be in [0, 1], got values from {scaled.min():g} to "
                f"{scaled.max():g}; divide by 255, or pass uint8"
            )
    else:
        raise ImageError(f"expected a uint8, uint16 or float image array, got dtype {arr.dtype}")
    _check_size(arr.shape[1], arr.shape[0], f"the array of shape {arr.shape}")
    if arr.ndim == 2:
        return scaled
    if arr.shape[2] == 1:
        return scaled[..., 0]
    image = Image.fromarray((scaled * 255).round().astype(np.uint8))
    if arr.shape[2] == 4:
        image = _fill_transparency(image)
    return np.asarray(image.convert("L"), dtype=np.float32) / 255.0
