"""Digits from the outside world: turn a photo, a scan or a drawing into an MNIST-style digit.

MNIST's digits were made in a precise way (LeCun et al.): each scanned digit was size-normalised
to fit a 20×20 box keeping its aspect ratio, anti-aliased to grey levels, and centred in a 28×28
image by its centre of mass, white ink on black. ``to_mnist`` repeats those steps on any image,
after undoing what a photo adds: EXIF rotation, transparency, colour, the paper's polarity,
uneven lighting and the empty page around the digit. Built on Pillow, NumPy and SciPy only.

>>> digit = to_mnist("images/digits/7_marker.jpg")            # (28, 28) float32 in [0, 1]
>>> steps = to_mnist("images/digits/7_marker.jpg", steps=True)  # every intermediate picture
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from PIL import Image
from scipy import ndimage

from mnist_helpers.photos import DEEP_MODES, ImageError, load_gray, upright

#: Photos are first reduced to this many pixels on their longer side; a digit needs no more.
WORK_SIDE = 512
#: Smaller images (thumbnails, 8 × 8 icons) are first enlarged to at least this many pixels.
SMALL_SIDE = 64
#: MNIST's geometry: the digit's longer side fills BOX pixels of a SIZE × SIZE image.
BOX, SIZE = 20, 28
#: One digit is one mark, though printed lines or a shadow's edge may cut it into many pieces:
#: the largest piece and the marks beyond its reach, more than this many, are noise, a texture
#: or a page.
MAX_PIECES = 5
#: ... and the pieces within reach of the digit's join it, round after round, each only if it
#: alone makes the box around the digit's pieces at most this many times as long as the box was
#: at the round's start (``_gathered``).
GATHER = 1.6
#: ... and its strokes, laid end to end, are at most about 3 times its height (an 8 is 2.6).
MAX_STROKE_LENGTH = 4.0
#: A digit is several strokes' width long; ink shorter than this many stroke widths is a dot
#: or a blob. A round dot measures 1.5; MNIST digits written with a marker a quarter of their
#: height wide, 1.9 and more (their loops filled, but still read as digits by people).
MIN_LENGTH_IN_STROKES = 1.8
#: Ink covering at least this many squares of its stroke width is strokes; a shadow or a lit
#: patch of the page is a blob about as wide as it is long (0.3 to 1.8 in the course's photos).
MIN_AREA_IN_STROKES = 2.0
#: A piece beside the digit, thinner than this share of its strokes and at least three of its
#: own widths long, is a thread: what is left of a printed line or a shadow's edge.
THREAD = 1 / 3
#: The page is estimated with a closing this many stroke widths wide (when that is narrower).
NARROW_CLOSING = 2.0
#: The median page is taken over at least this many stroke widths (ink stays under half of it).
MEDIAN_STROKES = 6.0
#: ... leaving out the ink first found, except the pieces that are page: a shadow or a lit patch
#: the first closing took for ink, which the median must follow. Such a piece holds a blob
#: 1/MEDIAN_BLOB of the window wide, and either lies along the border (``_along_border``) ...
MEDIAN_BLOB = 3
#: ... or is at least this share blob (a digit with a blotted loop, inside the picture, is less).
MOSTLY_BLOB = 0.5
#: Pixels within this many log units of light of the ink's median are the same ink (1.65 times).
SAME_INK = 0.5
#: When the page's place is in doubt, the polarity whose digit is this much more stroke-like.
STROKIER = 2.0
#: A piece covering at least this many squares of its stroke width is as stroke-shaped as a
#: digit, as 99% of MNIST's digits are (the main piece of 3,000 validation digits at 4 times
#: their size: 1% under 4.7, none under 3.0). Only such a piece overrules the edge and the median
#: together (with the page around each pixel, or where their way finds no ink inside the
#: picture or a piece less stroke-shaped), or is taken to be the digit a plain split of the
#: grey levels joined to a shadow.
DIGIT_STROKES = 4.5
#: Against the page around each pixel, ink is the longer tail of grey levels, and lies more
#: than this many log units of light (1.5 times) from its page. The tails are measured where
#: the page changes by less than this many log units across three of its pixels (not along a
#: shadow's edge, where it is blurred), unless the whole picture's lean the other way (a bold
#: stroke's page is steep too); the share far from it, everywhere ...
FAR_FROM_PAGE, STEEP_PAGE = 0.4, 0.3
#: ... The longer tail is longer by this much to break a tie left by the stroke shapes (or,
#: with a digit in dark ink, to overrule the edge and the median saying chalk), and by this
#: much to settle the polarity before anything else ...
LOCAL_TAIL, LOCAL_OVERRULES = 1.25, 1.6
#: ... where fewer than this share of the pixels stand far from their page, and never at this
#: share or above. Between the two, the far pixels may be a bold digit cropped tight, whose thick
#: strokes pull the page's median (then the tie is broken only the way the edge says), or the
#: edge of a desk (where the edge and the median disagree, the tails settle it first).
SPARSE_INK, DENSE_INK = 0.04, 0.1
#: Ink is at least this share as dark, against its page, as the photo's darkest strokes.
INK_SHARE = 0.5
#: A printed line (ruled or squared paper) is a straight run at least this share of the image's
#: shorter side long, within this many degrees of horizontal or vertical (a tilted page),
#: looked for in steps of this many degrees ...
LINE_LENGTH, LINE_TILT, LINE_STEP = 0.5, 24, 3
#: ... thinner than this share of the shorter side; it is searched for in ink this much fainter
#: than the ink threshold (a faint line breaks up above it), with gaps of up to this many pixels
#: of the search (at half size in photos; a faint, slanted line breaks into dashes, and 4 left
#: the grid of some pencil photos)
LINE_THINNESS, LINE_FAINTNESS, LINE_GAP = 0.02, 0.6, 8
#: ... one of two or more such lines along the same axis, or, alone, crossing this share of the
#: image
LINE_ACROSS = 0.8
#: The ink a printed line crossed is kept within this many pixels of the ink left (a stroke
#: the line crossed is not cut in two).
LINE_HEAL = 3
#: A piece within this share of the shorter side of the image's border touches it (a photo's
#: page may stop a few pixels short of the border, past a strip of desk or the page's edge).
NEAR_BORDER = 0.01


@dataclass
class DigitSteps:
    """Every intermediate picture of ``to_mnist``, for showing the pipeline step by step."""

    original: np.ndarray  # grayscale as loaded (upright, alpha filled, huge files reduced)
    inverted: bool  # True when the photo was dark ink on light paper and got inverted
    foreground: np.ndarray  # ink bright on black: the share of its page's light it takes
    threshold: float  # where ink starts in ``foreground`` (``ink_threshold``)
    mask: np.ndarray  # where the digit's ink is (bool)
    box: tuple[int, int, int, int]  # the ink's bounding box: top, left, bottom, right
    cropped: np.ndarray  # the ink's box plus a margin, background set to 0, levels stretched
    resized: np.ndarray  # longer side of the ink at 20 px, anti-aliased
    padded: np.ndarray  # 28 × 28, the 20 px box in the middle
    digit: np.ndarray  # 28 × 28, shifted so the centre of mass is the image centre


def otsu_threshold(values: np.ndarray) -> float:
    """Otsu's threshold: the grey level that best splits ``values`` (in [0, 1]) into two classes.

    It maximises the variance between the classes' means, so it adapts to the contrast of each
    photo instead of a fixed cut such as 0.5.

    >>> otsu_threshold(np.array([0.1, 0.12, 0.9, 0.95]))  # somewhere between the two groups
    """
    hist, edges = np.histogram(np.asarray(values, dtype=np.float64), bins=256, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(hist)
    total = weight[-1]
    if total == 0:
        raise ImageError("no pixels to threshold")
    mean = np.cumsum(hist * centres)
    w0, w1 = weight[:-1], total - weight[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * w0 / total - mean[:-1]) ** 2 / (w0 * w1)
    between = np.nan_to_num(between, nan=-1.0, posinf=-1.0)
    return float(edges[int(np.argmax(between)) + 1])


def _reduce(gray: np.ndarray, side: int = WORK_SIDE) -> np.ndarray:
    """Shrink so the longer side is at most ``side`` pixels, anti-aliased (enough for a digit)."""
    h, w = gray.shape
    scale = side / max(h, w)
    if scale >= 1:
        return gray
    image = Image.fromarray(gray, mode="F")
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(image.resize(size, Image.Resampling.BOX), dtype=np.float32)


def _resized(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """``image`` scaled to ``shape`` (rows, columns), bilinear: to enlarge a small or a
    low-resolution picture smoothly."""
    resized = Image.fromarray(image, mode="F").resize(shape[::-1], Image.Resampling.BILINEAR)
    return np.asarray(resized, np.float32)


def to_mnist(source: Any, *, steps: bool = False) -> np.ndarray | DigitSteps:
    """One image of one digit as a (28, 28) float32 MNIST digit in [0, 1], white on black.

    The steps: load (EXIF rotation, transparency, grayscale, 16-bit scans scaled; huge files
    decoded reduced); shrink big photos; make the ink bright on a dark background whatever the
    photo (most of the picture is paper; the ink is the tail of grey levels furthest from it);
    estimate the page under the ink (a grey closing wider than any stroke, kept below the
    median grey around each pixel so it follows a shadow's edges) and divide by it, since light
    multiplies: ink is then as dark in a shadow as in the light; find the ink (Otsu's threshold,
    raised to half the ink's own contrast); keep the digit, the most stroke-shaped ink and what
    lies near it, dropping a drawn frame, specks, printed lines (ruled or squared paper) and
    shadow edges along the border; crop to it with a margin; scale so its longer side is 20
    pixels, anti-aliased; pad to 28 × 28; shift the centre of mass to the centre.
    ``steps=True`` returns every intermediate picture as a ``DigitSteps``.

    Raises ``ImageError`` (a ``ValueError``) for what is not an image of one digit: unreadable,
    empty or huge files, wrong array shapes or dtypes, blank pictures, a dot, noise or a
    texture, and several digits side by side. Each message says what was found.

    >>> x = to_mnist("my_digit.jpg")[None, ..., None]   # a batch of one for model.predict
    """
    original = load_gray(source, max_side=WORK_SIDE)
    gray = _reduce(original)
    if max(gray.shape) < SMALL_SIDE:  # a thumbnail: enlarged, or a median would erase its ink
        factor = -(-SMALL_SIDE // max(gray.shape))
        gray = _resized(gray, (gray.shape[0] * factor, gray.shape[1] * factor))
    if float(gray.max() - gray.min()) < 0.08:
        raise ImageError(
            "no digit found: the image is blank or uniform "
            f"(its grey levels span only {gray.max() - gray.min():.2f} of 1)"
        )
    smooth = ndimage.median_filter(gray, size=3)
    inverted = _dark_ink(smooth)
    fg, threshold, mask = _ink(smooth, inverted)
    if not mask.any() or fg.max() < 0.08:
        raise ImageError("no digit found: no ink stands out from the background")
    threshold, mask = _faint_strokes(fg, threshold, mask)
    mask = _one_digit(mask, fg)
    top, left, bottom, right = _box(mask)
    long_side = max(bottom - top, right - left)
    # crop with a margin that keeps the strokes' soft edges; zero what is not near the ink
    margin = max(2, round(0.1 * long_side))
    near = ndimage.binary_dilation(mask, iterations=max(1, round(0.02 * long_side)))
    clean = np.where(near, fg, 0.0)
    t, b = max(0, top - margin), min(fg.shape[0], bottom + margin)
    lft, r = max(0, left - margin), min(fg.shape[1], right + margin)
    cropped = clean[t:b, lft:r]
    level = float(np.percentile(fg[mask], 90))
    cropped = np.clip(cropped / max(level, 1e-6), 0.0, 1.0).astype(np.float32)
    # scale so the ink's longer side becomes 20 pixels (the margin scales with it)
    scale = BOX / long_side
    new = (max(1, round(cropped.shape[1] * scale)), max(1, round(cropped.shape[0] * scale)))
    resized = Image.fromarray(cropped, mode="F").resize(new, Image.Resampling.LANCZOS)
    resized = np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)
    # the ink's box, 20 px, in the middle of 28 × 28 (the scaled margin may spill; trim it)
    ink_t, ink_l = round((top - t) * scale), round((left - lft) * scale)
    ink_h, ink_w = round((bottom - top) * scale), round((right - left) * scale)
    padded = np.zeros((SIZE, SIZE), np.float32)
    off_t, off_l = (SIZE - ink_h) // 2 - ink_t, (SIZE - ink_w) // 2 - ink_l
    src_t, src_l = max(0, -off_t), max(0, -off_l)
    dst_t, dst_l = max(0, off_t), max(0, off_l)
    h = min(resized.shape[0] - src_t, SIZE - dst_t)
    w = min(resized.shape[1] - src_l, SIZE - dst_l)
    padded[dst_t : dst_t + h, dst_l : dst_l + w] = resized[src_t : src_t + h, src_l : src_l + w]
    digit = _centre_of_mass(padded)
    if not steps:
        return digit
    return DigitSteps(
        original=original,
        inverted=inverted,
        foreground=fg,
        threshold=threshold,
        mask=mask,
        box=(top, left, bottom, right),
        cropped=cropped,
        resized=resized,
        padded=padded,
        digit=digit,
    )


def _dark_ink(smooth: np.ndarray) -> bool:
    """True for dark ink on light paper, False for light ink (chalk) on a dark board.

    Two views answer it. Each pixel against the page around it (``_tails``): how far the
    darkest lie below their page and the lightest above it, the longer tail being the ink; the
    tails are "clear" where the longer lies far from the page (``FAR_FROM_PAGE``) and fewer than
    a tenth of the pixels do (``DENSE_INK``), "sparse" where fewer than 4% do (``SPARSE_INK``).
    And the paper's grey level, judged twice in ratios of light: from the image's edge (the
    page around the digit) and from its median (most of the picture is paper); the ink is the
    tail of grey levels furthest from it. The rules, in the order they are asked:

    1. Clear, sparse tails, one 1.6 times the other (``LOCAL_OVERRULES``), settle it.
    2. Where the edge and the median agree, they stand, unless a deep shadow over much of the
       page fooled both:

       a. clear tails say otherwise by 1.6 times, and that way the digit is a piece as
          stroke-shaped as a digit (``DIGIT_STROKES``) and far more so (``STROKIER``);
       b. they say chalk, that way finds no ink inside the picture (the shadow's lit rest of the
          page lies along the border), and dark ink is a piece as stroke-shaped as a digit;
       c. they say chalk, clear tails say dark ink by ``LOCAL_TAIL`` times, and dark ink is a
          piece as stroke-shaped as a digit and more so than chalk's (the lit rest, a wedge).

    3. Where they disagree (a digit cropped tight with a bold pen, a thick frame along the edge,
       a desk or a shadow around the page):

       a. clear tails, one 1.6 times the other, settle it (the desk's edge makes them less
          sparse);
       b. else the ink is found both ways, and the way whose digit is far more stroke-shaped
          wins;
       c. where neither way finds ink inside the picture (a bold digit cropped tight: its
          strokes lie along the border and may cover half of it), the edge is believed;
       d. clear tails, one ``LOCAL_TAIL`` times the other, settle it with less to go on: the
          way the edge says (the ink may be a bold digit's), or either way where they are
          sparse;
       e. last, the median: most of the picture is paper, while the edge may be the desk or a
          shadow.
    """
    levels = np.log(smooth + 0.02)
    frame = max(1, round(0.05 * min(smooth.shape)))
    edge = np.concatenate(
        [levels[:frame].ravel(), levels[-frame:].ravel()]
        + [levels[:, :frame].ravel(), levels[:, -frame:].ravel()]
    )
    low, high = np.percentile(levels, [0.1, 99.9])
    by_edge, by_median = (
        bool(paper - low > high - paper)
        for paper in (float(np.median(edge)), float(np.median(levels)))
    )
    # each way's digit is found at most once (a whole ``_ink``), however many rules ask
    strokeness = cache(lambda dark: _strokeness(smooth, dark))
    # each pixel against the page around it: ink is the longer tail, unless much of the picture
    # is ink (a bold digit cropped tight: the page's median follows it). Far longer, where the
    # ink is sparse, it settles the question: a shadow over most of the page fools the edge and
    # the median alike (the shaded paper is both, and the lit rest is the tail furthest from
    # them), but against its page the ink in the shadow is still far darker than anything is
    # lighter
    dark_tail, light_tail, dense = _tails(levels)
    local = dark_tail > light_tail
    longer, shorter = max(dark_tail, light_tail), min(dark_tail, light_tail)
    clear = dense < DENSE_INK and longer > FAR_FROM_PAGE
    if clear and dense < SPARSE_INK and longer > LOCAL_OVERRULES * shorter:
        return local
    if by_edge == by_median:
        # both fooled by a deep shadow over much of the page, where more of the picture stands
        # far from its page (the shadow's edge): the tails, as far apart, and a digit far more
        # stroke-shaped their way say so together
        if clear and local != by_edge and longer > LOCAL_OVERRULES * shorter:
            yes, no = (strokeness(dark) for dark in (local, not local))
            if yes >= DIGIT_STROKES and yes > STROKIER * no:
                return local
        # both say chalk, yet that way the only "ink" lies along the border (a deep shadow's
        # lit rest of the page) while dark ink is a digit: the shadow fooled them
        if not by_edge and not strokeness(False):
            if strokeness(True) >= DIGIT_STROKES:
                return True
        # ... or the "chalk" is the lit rest of the page, a wedge beside the shadow: where few
        # pixels stand far from the page around them, the darkest lie further below it than
        # the lightest lie above it (``LOCAL_TAIL`` times), and dark ink is a digit, more
        # stroke-shaped than the chalk way's (a board can have the longer dark tail too, but
        # there the chalk is the more stroke-shaped)
        if not by_edge and clear and dark_tail > LOCAL_TAIL * light_tail:
            dark_strokes, chalk_strokes = strokeness(True), strokeness(False)
            if dark_strokes >= DIGIT_STROKES and dark_strokes > chalk_strokes:
                return True
        return by_edge
    # they disagree (a desk, a shadow or a dark corner along the edge): there, tails as far
    # apart settle it where more of the picture stands far from its page (the desk's edge)
    if clear and longer > LOCAL_OVERRULES * shorter:
        return local
    # try both: the right polarity finds the digit as one long stroke-shaped piece; the wrong
    # one finds the page, the desk or a shadow's lit side, blobs lying along the border
    scores = [strokeness(dark) for dark in (True, False)]
    if max(scores) > STROKIER * min(scores):
        return scores[0] > scores[1]
    if not max(scores):  # no ink inside the picture either way: a bold digit cropped tight
        return by_edge
    if clear and longer > LOCAL_TAIL * shorter:
        if local == by_edge or dense < SPARSE_INK:
            return local
    # the last word: the median. Here the edge has disagreed with it, and along the edge lie
    # the desk, a shadow, a dark corner; the photo's lit and shaded parts, not its ink and
    # paper, are what a split of its grey levels would find
    return by_median


def _tails(levels: np.ndarray) -> tuple[float, float, float]:
    """How far the darkest and the lightest pixels lie from the page around them, in log light,
    and the share of pixels far from it (``FAR_FROM_PAGE``).

    The page is a median over a seventh of the picture (at 64 pixels, cheap): it follows a
    shadow's edge and ignores thin strokes. A shadow darkens the paper 1.5 to 5 times, ink is 5
    to 20 times darker than its paper. Scaled back up, the page blurs a shadow's sharp edge over
    a few pixels, where the shaded paper looks darker than its page and the lit paper lighter,
    as far as the shadow is deep: the tails are measured where the page is not steep. But the
    page follows a bold stroke (thick chalk) too, and is steep all along it: where the tails
    over the whole picture lean the other way, those are taken.
    """
    small = _reduce(levels, 64)
    page = ndimage.median_filter(small, size=9, mode="nearest")
    steep = ndimage.maximum_filter(page, size=3) - ndimage.minimum_filter(page, size=3)
    page, steep = (_resized(a, levels.shape) for a in (page, steep))
    residual = levels - page
    flat = steep < STEEP_PAGE
    low, high = np.percentile(residual[flat] if flat.any() else residual, [0.5, 99.5])
    every_low, every_high = np.percentile(residual, [0.5, 99.5])
    if (-low > high) != (-every_low > every_high):  # a bold stroke's page is steep all along it
        low, high = every_low, every_high
    return float(-low), float(high), float((np.abs(residual) > FAR_FROM_PAGE).mean())


def _strokeness(smooth: np.ndarray, dark_ink: bool) -> float:
    """How stroke-like the digit's likeliest piece is: its area in squares of its stroke width.

    0 when no ink is found, or the piece lies along the border (the page, the desk, a shadow).
    Printed lines are dropped first: joined to the digit, a grid reaching the border is such a
    piece, and dark ink on squared paper would lose to the page's squares.
    """
    fg, _, mask = _ink(smooth, dark_ink)
    if not mask.any():
        return 0.0
    labels, n = ndimage.label(_without_printed_lines(mask, fg))
    main, hugging = _main_piece(labels, n, fg)
    if hugging[main]:
        return 0.0
    return _squares(labels == main + 1)


def _squares(piece: np.ndarray) -> float:
    """How stroke-like ``piece`` is: its area in squares of its stroke width."""
    return float(piece.sum() / max(_stroke_width(piece), 1.0) ** 2)


def _holds_a_digit(mask: np.ndarray) -> bool:
    """Whether the largest piece of ``mask`` is as stroke-shaped as a digit (``DIGIT_STROKES``)."""
    labels, n = ndimage.label(mask)
    if not n:
        return False
    sizes = ndimage.sum_labels(mask, labels, index=np.arange(1, n + 1))
    return _squares(labels == int(np.argmax(sizes)) + 1) >= DIGIT_STROKES


def _ink(smooth: np.ndarray, dark_ink: bool) -> tuple[np.ndarray, float, np.ndarray]:
    """The ink bright on black with the background removed, Otsu's threshold, and the ink mask.

    Ink is thin, so a grey closing (an opening, for light ink) wider than any stroke erases it
    and leaves the page, uneven lighting included; each pixel's ink is how much darker it is
    than its page, as a share of the page (``contrast``). The closing is a sixth of the image
    wide, then narrowed to 2 stroke widths (a shadow's corner leaves a wedge of "ink" as wide
    as the closing), or widened to 2.5 where the strokes are thicker than it allows (a digit
    cropped tight, written with a marker). A stroke wider than the first closing survives it,
    so the strokes are measured twice: in the ink it found, and in a plain split of the grey
    levels, when that finds far more ink in stroke-like shapes, as dark as the ink found (not a
    shadow or a lit patch of the page), and not only along the border while the ink found holds
    a digit inside the picture (the split joined it to a shadow).
    """
    size = max(3, round(max(smooth.shape) / 6))
    # a shadow's region is a blob this wide; a stroke as wide gets a wider closing (below)
    blob = max(3, size // 2)
    fg, threshold, mask = _ink_at(smooth, dark_ink, size)
    window = 0  # the median page's, once the strokes are known to be thin enough for one
    strokes = None  # the ink the median page leaves out
    if mask.any():
        drawn = _without_printed_lines(mask, fg)
        window = max(size, round(MEDIAN_STROKES * _main_stroke(drawn, fg, blob)))
        if window <= max(smooth.shape) / 2:
            # the digit's strokes, a large part of the window where they are dense, would pull
            # the median towards the ink: the strokes first found are left out of it, but not
            # printed lines (page, like the paper between them), nor the pieces that are page
            # (``_page_pieces``), nor where the "ink" is most of the picture (the page, seen the
            # wrong way round)
            if mask.mean() < 0.5:
                strokes = drawn & ~_page_pieces(mask, max(3, round(window / MEDIAN_BLOB) | 1))
            fg, threshold, mask = _ink_at(smooth, dark_ink, size, median=window, ink=strokes)
        else:
            window = 0
    if mask.any():
        # the desk, a dark corner or a shadow along the border is not a stroke: widths are
        # measured on the pieces inside the picture (``_off_border``)
        inside = _off_border(mask, or_all=False)
        stroke = _stroke_width(inside if inside.any() else mask)
        # a stroke wider than the closing survives it, and only its thin ends are found: then
        # the ink that a plain split of the grey levels finds is much more than what was found
        # (none, where the ink found inside the picture holds a digit-shaped piece but every
        # piece the split finds lies along the border: there it joined the digit to a shadow)
        split = otsu_threshold(np.clip(smooth, 0.0, 1.0))
        plain = _off_border(
            smooth < split if dark_ink else smooth > split, or_all=not _holds_a_digit(inside)
        )
        wide = _stroke_width(plain)
        # ...unless that split took a shadow or a lit patch of the page: a blob, not strokes
        # ...or a shadow: the ink it adds would be lighter than the strokes found (in ratio)
        if (
            mask.sum() < 0.5 * plain.sum()
            and plain.sum() >= MIN_AREA_IN_STROKES * wide**2
            and _as_dark(smooth, plain & ~mask, mask, dark_ink)
        ):
            stroke = max(stroke, wide)
        wider = min(round(max(smooth.shape) / 2), int(np.ceil(2.5 * stroke)))
        if 2 * stroke > size and wider > size:
            return _ink_at(smooth, dark_ink, wider)
        # a closing follows the page into a corner no sharper than itself: where a shadow's
        # edge meets another edge at a sharp angle, it leaves a wedge of "ink" as large as it
        # is. So the closing is made as narrow as the digit's strokes allow.
        drawn = _without_printed_lines(mask, fg)
        narrow = max(3, int(np.ceil(NARROW_CLOSING * _main_stroke(drawn, fg, blob))))
        if narrow < size:
            narrowed = _ink_at(smooth, dark_ink, narrow, median=window, ink=strokes)
            # unless it erased strokes: it keeps half the ink found within a stroke's width of
            # its own (a shadow's wedge beside the digit, which it drops, is not a stroke), and
            # the digit's blots and filled loops, wider than itself
            reach = max(1, round(narrow / NARROW_CLOSING))
            near = mask & ndimage.binary_dilation(narrowed[2], iterations=reach)
            if (
                narrowed[2].any()
                and narrowed[2].sum() >= 0.5 * near.sum()
                and not _erased_a_blot(smooth, drawn, fg, narrowed[2], narrow, dark_ink)
            ):
                return narrowed
    return fg, threshold, mask


def _erased_a_blot(
    smooth: np.ndarray,
    drawn: np.ndarray,
    fg: np.ndarray,
    narrowed: np.ndarray,
    narrow: int,
    dark_ink: bool,
) -> bool:
    """Whether a closing ``narrow`` pixels wide, whose ink is ``narrowed``, erased a part of the
    digit's strokes wider than itself (a filled loop, a marker's blot): the page under it is
    then the ink itself, a square hole in the digit.

    Of the digit's piece in ``drawn`` (``_main_piece``), the part it dropped is at least a
    square of its width (less the strokes' 2-pixel rims, which it may drop too), no more than
    the part it kept, and as dark as the ink it kept beside it. A shadow's wedge joined to the
    digit is lighter, or larger than the digit.
    """
    labels, n = ndimage.label(drawn)
    digit = labels == _main_piece(labels, n, fg)[0] + 1
    kept = digit & narrowed
    lost = digit & ~ndimage.binary_dilation(narrowed, iterations=2)
    beside = kept & ndimage.maximum_filter(lost, size=2 * narrow + 1)
    return bool(
        (narrow - 4) ** 2 <= lost.sum() <= kept.sum()
        and beside.any()
        and _as_dark(smooth, lost, beside, dark_ink)
    )


def _off_border(mask: np.ndarray, *, or_all: bool = True) -> np.ndarray:
    """``mask`` without the blobs along the image's border; all of it if nothing else is left
    (nothing, with ``or_all=False``).

    A desk beside the page, a vignette's dark corner or a shadow along the edge is a blob far
    wider than a pen's stroke: measured with the digit, it makes the strokes look as wide as a
    marker's and the page is then estimated too coarsely to follow the light. A piece touching the
    border (within ``NEAR_BORDER``) is such a blob when it lies along the border for more than
    two of its widths or is about as wide as it is long (``_along_border``); a stroke that runs
    off the edge of a digit cropped tight stays.
    """
    labels, n = ndimage.label(mask)
    inside = mask & ~np.isin(labels, np.arange(1, n + 1)[_along_border(labels, n)])
    return inside if inside.any() or not or_all else mask


def _as_dark(smooth: np.ndarray, more: np.ndarray, ink: np.ndarray, dark_ink: bool) -> bool:
    """Whether the darkest quarter of ``more`` is about as dark as ``ink`` (light, for chalk).

    A wide stroke's core is as dark as its ends; a shadow darkens the paper 1.5 to 5 times
    where a pen's ink is 5 to 20 times darker than its paper: a shadow is lighter.
    """
    levels = np.log(smooth + 0.02) * (1 if dark_ink else -1)
    return bool(np.percentile(levels[more], 25) <= np.median(levels[ink]) + SAME_INK)


def _main_stroke(mask: np.ndarray, fg: np.ndarray, blob: int) -> float:
    """The stroke width of the digit's likeliest piece of ink (``_main_piece``), along its ridge.

    A shadow's corner that joins the digit is a wide blob, which the mean depth over the piece
    (``_stroke_width``) weighs by its area: a 3 with 19-pixel strokes measured 57. Along the
    ridge (the pixels deeper than their neighbours, the middle of each stroke) the blob counts
    by its length. The width is twice the median depth there, each ridge pixel weighted by its
    depth, so the short spurs of a ragged edge count little. The ridge inside blobs ``blob``
    pixels wide that lie along the border (``_along_border``: a shadow's region, deep along all
    its length) is left out too, unless that is all of it.
    """
    labels, n = ndimage.label(mask)
    piece = labels == _main_piece(labels, n, fg)[0] + 1
    depth = _depth(piece)
    ridge = (depth > 0) & (depth >= ndimage.maximum_filter(depth, size=3))
    parts, k = ndimage.label(_blobs(piece, blob))
    thin = ridge & ~np.isin(parts, 1 + np.flatnonzero(_along_border(parts, k)))
    ridge = np.sort(depth[thin if thin.any() else ridge])
    weight = np.cumsum(ridge)
    return 2 * float(ridge[np.searchsorted(weight, weight[-1] / 2)]) if ridge.size else 0.0


def _main_piece(labels: np.ndarray, n: int, fg: np.ndarray) -> tuple[int, np.ndarray]:
    """The piece most likely the digit's (0-based), and which pieces lie along the border.

    The digit's piece holds the most ink, but a piece lying along the image's border for more
    than two stroke widths, or a blob about as wide as it is long, is more likely a piece of a
    shadow, the page or the desk, whose edge the page's estimate cannot follow into a sharp
    corner: such a piece is chosen only when no other holds a fifth as much ink (a digit
    cropped tight, a stroke along the edge, a marker's filled loops).
    """
    mass = ndimage.sum_labels(fg, labels, index=np.arange(1, n + 1))
    _, hugging, blob = _border_blobs(labels, n)
    strokes = ~blob
    extents = np.array([max(s.stop - s.start for s in b) for b in ndimage.find_objects(labels)])
    sized = extents >= 0.08 * min(labels.shape)  # not a speck
    main = int(np.argmax(mass))
    for likely, share in ((strokes & ~hugging & sized, 0.0), (~hugging, 0.2), (strokes, 0.2)):
        if likely.any() and mass[likely].max() >= share * mass.max():
            return int(np.flatnonzero(likely)[np.argmax(mass[likely])]), hugging
    return main, hugging


def _along_border(labels: np.ndarray, n: int) -> np.ndarray:
    """For each of the ``n`` pieces of ``labels``, whether it is a blob along the image's border:
    touching it (within ``NEAR_BORDER``), and lying along it for more than two of its widths or
    about as wide as it is long (``_border_blobs``). A desk, a vignette's corner or a shadow's
    edge, or the wedge a shadow's corner leaves where it meets the border."""
    touching, hugging, blob = _border_blobs(labels, n)
    return touching & (hugging | blob)


def _border_blobs(labels: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each of the ``n`` pieces of ``labels``: whether it touches the image's border (comes
    within ``NEAR_BORDER`` of it), whether it lies along the border for more than two of its widths
    (how far it runs along each side within that band, summed), and whether it is a blob about
    as wide as it is long (less than ``MIN_AREA_IN_STROKES`` squares of its width). Widths are
    four times the mean depth, as in ``_stroke_width``."""
    index = np.arange(1, n + 1)
    mask = labels > 0
    widths = _piece_widths(labels, n)
    near = max(1, round(NEAR_BORDER * min(labels.shape)))
    contact = np.zeros(n + 1, np.int64)  # how far each piece runs along the border, in pixels
    for band in (labels[:near], labels[-near:], labels[:, :near].T, labels[:, -near:].T):
        at = np.broadcast_to(np.arange(band.shape[1]), band.shape)[band > 0]
        spots = np.unique(band[band > 0].astype(np.int64) * band.shape[1] + at)
        contact += np.bincount(spots // band.shape[1], minlength=n + 1)
    contact = contact[1:]
    areas = ndimage.sum_labels(mask, labels, index=index)
    return contact > 0, contact > 2 * widths, areas < MIN_AREA_IN_STROKES * widths**2


def _piece_widths(labels: np.ndarray, n: int) -> np.ndarray:
    """The stroke width of each of the ``n`` pieces of ``labels``, as ``_stroke_width`` measures
    it: four times the piece's mean depth."""
    return 4 * ndimage.mean(_depth(labels > 0), labels, index=np.arange(1, n + 1))


def _stroke_width(mask: np.ndarray) -> float:
    """The width of the strokes in ``mask``, in pixels: four times their mean depth."""
    return 4 * float(_depth(mask)[mask].mean()) if mask.any() else 0.0


def _depth(mask: np.ndarray) -> np.ndarray:
    """Each pixel's distance to the nearest pixel outside ``mask`` (0 outside it; the image's
    edge is not outside), as ``ndimage.distance_transform_edt`` gives it: computed on the box
    around the mask and a pixel beyond it, the same figures, far quicker for a digit in a photo.
    (A mask with no pixel outside it gets scipy's figures for one: its box is the whole image.)
    """
    depth = np.zeros(mask.shape)
    if not mask.any():
        return depth
    top, left, bottom, right = _box(mask)
    top, left = max(0, top - 1), max(0, left - 1)
    bottom, right = min(mask.shape[0], bottom + 1), min(mask.shape[1], right + 1)
    depth[top:bottom, left:right] = ndimage.distance_transform_edt(mask[top:bottom, left:right])
    return depth


def _ink_at(
    smooth: np.ndarray,
    dark_ink: bool,
    size: int,
    median: int = 0,
    ink: np.ndarray | None = None,
) -> tuple[np.ndarray, float, np.ndarray]:
    """``_ink`` with a closing ``size`` pixels wide, keeping strokes that lie along the edge.

    The closing estimates the page under the ink; each pixel's ink is how much darker it is
    than its page, as a share of the page (``contrast``): light multiplies, so ink in a shadow
    is as dark against the shadowed page as ink in the light is against the lit one. With
    ``median``, the page is kept no lighter than the median grey ``median`` pixels around
    (darker, for chalk): a closing fills a shadow's corner or a band of shadow narrower than
    itself with lit page, where the median follows the shadow. The pixels in ``ink`` are left
    out of the median (``_median_page``).

    Beyond the border the closing sees the image mirrored, so a stroke lying along the edge
    looks twice as thick, survives the closing and is taken for background. A second closing
    sees the nearest paper beyond the border instead (the lightest grey within two closing
    widths); what it adds counts as ink only where it joins ink the first one found, so a
    shadow darkening the page towards its edge is not taken for a stroke.
    """
    closing = ndimage.grey_closing if dark_ink else ndimage.grey_opening
    paper = (ndimage.maximum_filter if dark_ink else ndimage.minimum_filter)(
        smooth, size=2 * size + 1, mode="nearest"
    )
    padded = np.pad(paper, size, mode="edge")
    padded[size:-size, size:-size] = smooth
    page = closing(smooth, size=(size, size), mode="nearest")
    beyond = closing(padded, size=(size, size))[size:-size, size:-size]
    # where a shadow's edge turns a corner sharper than the closing, the closing fills the
    # corner with lit page: a spike of light in the page, narrower than the closing, which an
    # opening (a closing, for chalk) of the page cuts back; broad light (a lamp) stays
    unspike = ndimage.grey_opening if dark_ink else ndimage.grey_closing
    page = unspike(page, size=(size, size), mode="nearest")
    beyond = unspike(beyond, size=(size, size), mode="nearest")
    if median:
        level = _median_page(smooth, median, dark_ink, ink)
        pick = np.minimum if dark_ink else np.maximum
        page, beyond = pick(page, level), pick(beyond, level)
    mirrored = contrast(smooth, page, dark_ink)
    papered = contrast(smooth, beyond, dark_ink)
    threshold = ink_threshold(mirrored)
    labels, _ = ndimage.label(papered > threshold)
    joined = np.unique(labels[mirrored > threshold])
    joined = ndimage.binary_dilation(np.isin(labels, joined[joined > 0]), iterations=2)
    fg = np.where(joined, papered, mirrored)
    return fg, threshold, fg > threshold


def _page_pieces(mask: np.ndarray, width: int) -> np.ndarray:
    """The pieces of ``mask`` that are page, not strokes (``MEDIAN_BLOB``, ``MOSTLY_BLOB``), for
    blobs ``width`` pixels wide (``_blobs``)."""
    labels, n = ndimage.label(mask)
    index = np.arange(1, n + 1)
    blob_share = ndimage.mean(_blobs(mask, width), labels, index)
    page_like = (blob_share > 0) & ((blob_share >= MOSTLY_BLOB) | _along_border(labels, n))
    return np.isin(labels, index[page_like])


def _faint_strokes(fg: np.ndarray, threshold: float, mask: np.ndarray) -> tuple[float, np.ndarray]:
    """The ink grown into the faint stretches of its strokes, above Otsu's threshold.

    A light pen's strokes fade below the raised threshold (``ink_threshold``) in places, and
    break into pieces. Each piece of ink is grown into the pixels above Otsu's threshold that
    join it, unless they run out along printed lines or a shadow's edge: growth that makes the
    piece's box or its strokes wider is left out, and so is growth that joins ink inside the
    picture to a blob along the border (``_along_border``), which faint printed lines can
    bridge: the digit would become a part of that blob.
    """
    low = otsu_threshold(fg)
    if low >= threshold or not mask.any():
        return threshold, mask
    labels, _ = ndimage.label(fg > low)
    boxes = ndimage.find_objects(labels)
    grown = mask.copy()
    pieces, n = ndimage.label(mask)
    border_blob = np.concatenate([[False], _along_border(pieces, n)])  # by label (0: no ink)
    for k in np.unique(labels[mask]):
        if k == 0:
            continue
        box = boxes[k - 1]
        region = labels[box] == k
        found = mask[box] & region
        joins = border_blob[np.unique(pieces[box][found])]
        if joins.any() and not joins.all():  # a blob along the border and ink inside
            continue
        wider = np.any(_extent(region) > 1.15 * _extent(found) + 4)
        if not wider and _stroke_width(region) <= 1.2 * _stroke_width(found):
            grown[box] |= region
    return (low if grown.sum() > mask.sum() else threshold), grown


def _blobs(mask: np.ndarray, width: int) -> np.ndarray:
    """The parts of ``mask`` that a square ``width`` pixels wide fits inside (an opening)."""
    inside = ndimage.minimum_filter(mask.astype(np.uint8), size=width)
    return ndimage.maximum_filter(inside, size=width) > 0


def _box(mask: np.ndarray) -> tuple[int, int, int, int]:
    """The box around ``mask``'s nonzero pixels: top, left, bottom, right (bottom, right past)."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def _extent(mask: np.ndarray) -> np.ndarray:
    """The height and width of the box around ``mask``'s pixels."""
    top, left, bottom, right = _box(mask)
    return np.array([bottom - top, right - left])


def _median_page(
    smooth: np.ndarray, window: int, dark_ink: bool, ink: np.ndarray | None = None
) -> np.ndarray:
    """The page as the median grey around each pixel, ``window`` pixels wide (at low resolution).

    Beyond the border lies paper (the lightest grey nearby), so a stroke along the edge is not
    taken for the page. The pixels in ``ink`` (and their blurred rims) are left out: each takes
    the mean grey of the rest of the window around it.
    """
    if ink is not None and ink.any():
        paper = ~ndimage.binary_dilation(ink, iterations=2)
        share = ndimage.uniform_filter(paper.astype(np.float32), size=window)
        mean = ndimage.uniform_filter(np.where(paper, smooth, 0).astype(np.float32), size=window)
        filled = np.where(share > 1e-3, mean / np.maximum(share, 1e-3), smooth)
        smooth = np.where(paper, smooth, filled)
    factor = max(1, window // 12)
    small = _reduce(smooth, max(8, round(max(smooth.shape) / factor)))
    scale = small.shape[0] / smooth.shape[0]
    k = max(3, round(window * scale) | 1)
    paper = (ndimage.maximum_filter if dark_ink else ndimage.minimum_filter)(
        small, size=2 * k + 1, mode="nearest"
    )
    padded = np.pad(paper, k, mode="edge")
    padded[k:-k, k:-k] = small
    page = ndimage.median_filter(padded, size=k)[k:-k, k:-k]
    return _resized(page, smooth.shape)


def contrast(image: np.ndarray, page: np.ndarray, dark_ink: bool) -> np.ndarray:
    """How much darker than its page each pixel is, as a share of the page (lighter, for chalk).

    Light multiplies: a shadow that halves the light halves the paper and the ink alike, so
    ink/page stays what it was, and ``1 - ink/page`` is the same in the shadow as in the light.
    Subtracting the page instead would make shadowed ink look half as dark.

    >>> contrast(np.array([0.1, 0.05]), np.array([0.9, 0.45]), dark_ink=True)  # lit, shadowed
    """
    eps = 0.02  # keeps a black page (a board in the dark) from dividing by zero
    if dark_ink:
        share = 1 - (image + eps) / (page + eps)
    else:
        share = 1 - (page + eps) / (image + eps)
    return np.clip(share, 0.0, 1.0).astype(np.float32)


def ink_threshold(fg: np.ndarray) -> float:
    """Where ink starts: Otsu's threshold, raised to half the ink's own contrast if below it.

    Printed ruled lines, paper texture and JPEG noise are faint beside a pen's stroke: what is
    less than half as dark as the darkest tenth of the ink is not ink.
    """
    threshold = otsu_threshold(fg)
    above = fg[fg > threshold]
    if above.size:
        threshold = max(threshold, INK_SHARE * float(np.percentile(above, 90)))
    return threshold


def _one_digit(mask: np.ndarray, fg: np.ndarray) -> np.ndarray:
    """The ink of the one digit in ``mask``, or an ``ImageError`` saying what was found instead.

    The digit is the piece ``_main_piece`` picks and the pieces near it (``_gathered``: a digit
    cut into pieces gathers them round after round); a drawn frame around it is dropped, and so
    are specks under 5% of its area, far-off specks, threads (``THREAD``) and blobs along the
    border (``_along_border``) unless the digit is one. Refused: specks alone, a dot or blob,
    noise or a texture (too many marks beyond the largest piece's reach, or strokes far longer
    than a digit's), and two or more digit-sized marks side by side.
    """
    mask = _drop_frames(_without_printed_lines(mask, fg))
    labels, n = ndimage.label(mask)
    areas = ndimage.sum_labels(mask, labels, index=np.arange(1, n + 1))
    boxes = ndimage.find_objects(labels)
    largest = boxes[int(np.argmax(areas))]
    if max(s.stop - s.start for s in largest) < 4:
        raise ImageError("no digit found: the only ink is a few pixels (noise or a dot)")
    main, _ = _main_piece(labels, n, fg)
    along = _along_border(labels, n)
    box = boxes[main]
    reach = 0.5 * max(s.stop - s.start for s in box)
    # a long piece far thinner than the digit's strokes is what is left of a printed line or a
    # shadow's edge: one pen draws all of a digit's strokes about as wide
    widths = _piece_widths(labels, n)
    extents = np.array([max(s.stop - s.start for s in b) for b in boxes])
    threads = (widths < THREAD * widths[main]) & (extents >= 3 * widths)
    keep, far = [main + 1], []
    for k in range(n):
        if k == main or areas[k] < 0.05 * areas[main] or (along[k] and not along[main]):
            continue
        if threads[k]:  # dropped like a speck
            continue
        gap = max(_gap(box[0], boxes[k][0]), _gap(box[1], boxes[k][1]))
        (keep if gap <= reach else far).append(k + 1)
    # the marks beyond the largest piece's reach count before the digit gathers them: many are
    # noise or a texture, however near each lies to the next
    beyond = len(far)
    keep, far = _gathered(labels, boxes, keep, far, _border_blobs(labels, n)[0])
    keep, pieces = np.array(keep), np.array(keep + far)  # the digit's; all of note
    digit, ink = np.isin(labels, keep), np.isin(labels, pieces)
    height, width = _extent(ink)
    stroke = _stroke_width(ink)
    length = ink.sum() / stroke  # the strokes' total length
    # the pieces near the digit are the digit, cut up where a printed line was dropped or a
    # shadow's edge crosses it: they count as one mark
    if 1 + beyond > MAX_PIECES or length > MAX_STROKE_LENGTH * max(height, width):
        raise ImageError(
            f"no single digit: the ink covers {ink.mean():.0%} of the image in {len(pieces)} "
            f"pieces (expected the few strokes of one digit; is it noise, a texture or a page?)"
        )
    extents = [max(b.stop - b.start for b in boxes[k - 1]) for k in pieces]
    if max(extents) < MIN_LENGTH_IN_STROKES * stroke:  # every piece as thick as it is long
        found = (
            f"a dot or a blob ({width}×{height} pixels,"
            if len(pieces) == 1
            else f"{len(pieces)} dots (each"
        )
        raise ImageError(
            f"no digit found: the only ink is {found} about as long as it is thick): "
            "expected the strokes of a digit"
        )
    height = _extent(digit)[0]
    marks = _marks_side_by_side([boxes[k - 1] for k in pieces], areas[pieces - 1], height)
    if marks > 1:
        raise ImageError(
            f"{marks} separate marks side by side, each the size of a digit: expected one "
            "digit; crop the image to one digit"
        )
    return digit


def _gathered(
    labels: np.ndarray, boxes: list, keep: list[int], far: list[int], touching: np.ndarray
) -> tuple[list[int], list[int]]:
    """The digit's pieces (``keep``) and the rest (``far``), the far pieces within reach of all
    the digit's pieces added to it, round after round.

    A digit that printed lines or a shadow's edge cut into many pieces reaches further than its
    largest piece: a far piece within half the length of the box around the pieces kept so far
    joins them, unless it touches the border (``touching``, by piece: a shadow's wedge, the
    desk) or makes that box more than ``GATHER`` times as long (a second mark beside the
    digit).
    """
    far = list(far)
    while far:
        top, left, bottom, right = _box(np.isin(labels, keep))
        length = max(bottom - top, right - left)
        rows, cols = slice(top, bottom), slice(left, right)
        near = []
        for k in far:
            b = boxes[k - 1]
            gap = max(_gap(rows, b[0]), _gap(cols, b[1]))
            grown = max(
                max(bottom, b[0].stop) - min(top, b[0].start),
                max(right, b[1].stop) - min(left, b[1].start),
            )
            if gap <= 0.5 * length and grown <= GATHER * length and not touching[k - 1]:
                near.append(k)
        if not near:
            break
        keep = keep + near
        far = [k for k in far if k not in near]
    return keep, far


def _without_printed_lines(mask: np.ndarray, fg: np.ndarray) -> np.ndarray:
    """``mask`` without the printed lines of ruled or squared paper that cross it.

    Pencil is about as dark as a printed line, so a grid is taken for ink and joins the digit
    into one piece spanning the page. A printed line is long, straight and thin, and it runs
    across the page: a straight run of faint ink at least half the image's shorter side long
    (a digit's longest stroke is shorter, unless the image is cropped to the digit), one of
    two or more such lines along the same axis (a ruling), or one crossing most of the image.
    A stroke running along a line breaks it where it thickens it; the pieces of a ruling's
    lines are found again, half as long, at the tilts of its lines (which perspective fans out)
    and not along the border. Each is fitted with a straight line and every pixel of ``mask``
    on it is dropped, except beside the ink that is left, so a stroke the line crossed is not
    cut in two.
    """
    faint = fg > LINE_FAINTNESS * ink_threshold(fg)
    f = 2 if min(mask.shape) >= 300 else 1  # lines are found at half size: quicker
    height, width = (mask.shape[0] // f) * f, (mask.shape[1] // f) * f
    faint = faint[:height, :width].reshape(height // f, f, width // f, f).any(axis=(1, 3))
    length = LINE_LENGTH * min(faint.shape)
    pieces = ndimage.find_objects(ndimage.label(faint)[0])
    if max((max(s.stop - s.start for s in box) for box in pieces), default=0) < length:
        return mask
    ys, xs = np.nonzero(mask)
    points = np.stack([ys, xs], axis=1).astype(np.float64)
    lines = np.zeros_like(mask)
    thin = max(3, round(LINE_THINNESS * min(faint.shape)))
    for across, side in ((0, faint.shape[1]), (90, faint.shape[0])):
        runs = np.zeros_like(faint)
        for tilt in np.arange(-LINE_TILT, LINE_TILT + 1, LINE_STEP):
            runs |= faint & _runs_at(faint, across + tilt, length, thin)
        found = _fitted_lines(runs, length)
        if len(found) < 2:  # a lone line must cross most of the image
            found = [line for line in found if line.extent >= LINE_ACROSS * side]
        else:
            # a ruling: where a stroke runs along one of its lines, it makes the line thick
            # there and breaks it into pieces shorter than ``length``. They are looked for
            # again, half as long, at each tilt between its lines' (a photo's perspective fans
            # them out), but not along the border: there the page's edge is a long straight
            # "line" too, and dropped, it cuts the desk's strip off the border, leaving a
            # stroke-like piece
            tilts = [_tilt(line.direction, across) for line in found]
            low, high = min(tilts) - LINE_STEP, max(tilts) + LINE_STEP
            runs = np.zeros_like(faint)
            for tilt in np.arange(min(tilts), max(tilts) + LINE_STEP / 2, LINE_STEP):
                runs |= faint & _runs_at(faint, across + tilt, length / 2, thin)
            inside = np.array(faint.shape) - 1
            found += [
                line
                for line in _fitted_lines(runs, length / 2)
                if low <= _tilt(line.direction, across) <= high
                and min(*line.centre, *(inside - line.centre)) > thin
            ]
        for centre, direction, width, _ in found:
            normal = np.array([-direction[1], direction[0]])
            half = f * width / 2 + 1  # half the line's width, and a pixel
            near = np.abs((points - (centre * f + (f - 1) / 2)) @ normal) <= half
            lines[ys[near], xs[near]] = True
    rest = mask & ~lines
    if not rest.any():
        return mask
    return rest | (lines & ndimage.binary_dilation(rest, iterations=LINE_HEAL))


class _Line(NamedTuple):
    """A straight line fitted to a piece of a printed line, in the pixels of the line search."""

    centre: np.ndarray  # rows, columns
    direction: np.ndarray  # a unit vector, rows then columns
    width: float  # the piece's mean width
    extent: float  # the piece's length: the longer side of its box


def _fitted_lines(runs: np.ndarray, length: float) -> list[_Line]:
    """The pieces of ``runs`` at least ``length`` long, each fitted with a straight line."""
    labels = ndimage.label(runs, structure=np.ones((3, 3)))[0]
    fitted = []
    for k, box in enumerate(ndimage.find_objects(labels), start=1):
        extent = max(s.stop - s.start for s in box)
        if extent < length:
            continue
        on = np.argwhere(labels[box] == k) + [box[0].start, box[1].start]
        centre = on.mean(axis=0)
        direction = np.linalg.svd(on - centre, full_matrices=False)[2][0]
        fitted.append(_Line(centre, direction, len(on) / extent, extent))
    return fitted


def _tilt(direction: np.ndarray, across: int) -> float:
    """The angle, in degrees as ``_runs_at`` turns the image, of a line along ``direction``
    (rows, columns), a line across the rows (``across`` 0) or down the columns (90)."""
    rows, columns = direction
    with np.errstate(divide="ignore"):  # a piece straight across its axis: 90 degrees
        if across == 0:
            return float(np.degrees(np.arctan(rows / columns)))
        return -float(np.degrees(np.arctan(columns / rows)))


def _runs_at(mask: np.ndarray, angle: float, length: float, thin: int) -> np.ndarray:
    """Where ``mask`` has thin straight runs at least ``length`` long, ``angle`` degrees tilted.

    The mask is turned so the runs lie along its rows; a run may be a pixel off its row either
    way, and have gaps of up to ``LINE_GAP`` pixels (a faint line above and below the threshold).
    Thin is at most ``thin`` pixels across: longer runs down the columns are strokes.
    """
    image = Image.fromarray(mask.astype(np.uint8) * 255)
    turned = np.asarray(image.rotate(angle, Image.Resampling.NEAREST, expand=True)) > 0
    turned &= ~_long_runs(turned, thin + 1, axis=0)
    turned = _without_gaps(turned)
    band = turned.copy()
    band[1:] |= turned[:-1]
    band[:-1] |= turned[1:]
    runs = _long_runs(band, length, axis=1)
    if not runs.any():
        return np.zeros_like(mask)
    back = Image.fromarray(runs.astype(np.uint8) * 255).rotate(
        -angle, Image.Resampling.NEAREST, expand=True
    )
    back = np.asarray(back) > 0
    top, left = (back.shape[0] - mask.shape[0]) // 2, (back.shape[1] - mask.shape[1]) // 2
    return back[top : top + mask.shape[0], left : left + mask.shape[1]]


def _run_ends(mask: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each run of ``mask`` along ``axis``: the line it is on, where it starts and where it ends
    (one past its last pixel)."""
    lines = mask if axis == 1 else mask.T
    padded = np.zeros((lines.shape[0], lines.shape[1] + 2), np.int8)
    padded[:, 1:-1] = lines
    line, at = np.divmod(np.flatnonzero(np.diff(padded, axis=1)), lines.shape[1] + 1)
    return line[::2], at[::2], at[1::2]  # along a line, each start is followed by its end


def _painted(shape: tuple[int, int], runs: tuple, axis: int) -> np.ndarray:
    """A mask of ``shape`` true on the ``runs`` (``_run_ends``) along ``axis``."""
    line, starts, ends = runs
    length = shape[axis]
    steps = np.zeros((shape[1 - axis], length + 1), np.int32)
    steps[line, starts] = 1  # runs do not touch, so no start is another run's end
    steps[line, ends] = -1
    painted = np.cumsum(steps[:, :length], axis=1) > 0
    return painted if axis == 1 else painted.T


def _long_runs(mask: np.ndarray, length: float, axis: int) -> np.ndarray:
    """The runs of ``mask`` along ``axis`` (0: down the columns) at least ``length`` long."""
    line, starts, ends = _run_ends(mask, axis)
    long = ends - starts >= length
    return _painted(mask.shape, (line[long], starts[long], ends[long]), axis)


def _without_gaps(mask: np.ndarray) -> np.ndarray:
    """``mask`` with the gaps of up to ``LINE_GAP`` pixels between runs along its rows filled:
    a binary closing ``LINE_GAP + 1`` pixels wide, for an even ``LINE_GAP`` (nothing is kept
    within ``LINE_GAP / 2`` pixels of the left or right edge)."""
    line, starts, ends = _run_ends(~mask, axis=1)
    gap = (starts > 0) & (ends < mask.shape[1]) & (ends - starts <= LINE_GAP)
    closed = mask | _painted(mask.shape, (line[gap], starts[gap], ends[gap]), axis=1)
    edge = (LINE_GAP + 1) // 2
    closed[:, :edge] = closed[:, closed.shape[1] - edge :] = False
    return closed


def _gap(a: slice, b: slice) -> int:
    """Pixels between two ranges along one axis (0 where they overlap)."""
    return max(0, b.start - a.stop, a.start - b.stop)


def _drop_frames(mask: np.ndarray) -> np.ndarray:
    """Keep only the ink inside a drawn frame (a closed, roughly rectangular ring of ink)."""
    for _ in range(3):  # a frame inside a frame, at most
        labels, n = ndimage.label(mask)
        if n < 2:
            return mask
        areas = ndimage.sum_labels(mask, labels, index=np.arange(1, n + 1))
        boxes = ndimage.find_objects(labels)
        for k in np.argsort(-areas)[:5] + 1:
            box = boxes[k - 1]
            ring = labels[box] == k
            filled = ndimage.binary_fill_holes(ring)
            inside = mask[box] & filled & ~ring
            if inside.sum() < 20 or filled.mean() < 0.88:  # nothing inside, or not rectangular
                continue
            framed = np.zeros_like(mask)
            framed[box] = inside
            mask = framed
            break
        else:
            return mask
    return mask


def _marks_side_by_side(boxes: list[tuple[slice, slice]], areas: np.ndarray, height: int) -> int:
    """How many digit-sized pieces stand side by side with a clear gap between them.

    A piece is digit-sized when it is at least half as tall as all the ink and a quarter of the
    largest piece's area; the gap must be at least 15% of the ink's height. The pieces of one
    digit (a 5's separate top bar, a 7's crossbar, a 4 broken by a thin pen) are either small
    or close together, so they count as one mark.
    """
    big = sorted(
        (b[1].start, b[1].stop)
        for b, a in zip(boxes, areas, strict=True)
        if b[0].stop - b[0].start >= 0.5 * height and a >= 0.25 * areas.max()
    )
    marks, right = 1, big[0][1] if big else 0
    for start, stop in big[1:]:
        if start - right >= 0.15 * height:
            marks += 1
        right = max(right, stop)
    return marks


def _centre_of_mass(img: np.ndarray) -> np.ndarray:
    """Shift by whole pixels so the centre of mass sits at the image centre, nothing cut off."""
    cy, cx = ndimage.center_of_mass(img)
    top, left, bottom, right = _box(img)
    centre = SIZE / 2  # MNIST: (14.0, 14.0) in pixel indices, measured over its digits
    dy = int(np.clip(round(centre - cy), -top, SIZE - bottom))
    dx = int(np.clip(round(centre - cx), -left, SIZE - right))
    out = np.zeros_like(img)
    src = img[max(0, -dy) : SIZE - max(0, dy), max(0, -dx) : SIZE - max(0, dx)]
    out[max(0, dy) : max(0, dy) + src.shape[0], max(0, dx) : max(0, dx) + src.shape[1]] = src
    return out


def naive_mnist(source: Any) -> np.ndarray:
    """A popular tutorial's recipe: grayscale, squash straight to 28 × 28, invert. For comparison.

    Fine for a tidy digit centred on a white square; on a photo the digit ends up a few
    pixels wide, off-centre, on a grey background.
    """
    gray = load_gray(source, max_side=WORK_SIDE)  # a huge photo is decoded reduced
    image = Image.fromarray((gray * 255).round().astype(np.uint8)).resize((SIZE, SIZE))
    return 1.0 - np.asarray(image, dtype=np.float32) / 255.0


def example_images(folder: str | Path | None = None) -> list[tuple[Path, int]]:
    """The course's external digit photos and their true labels, from ``images/digits/``.

    Looks in ``folder``, else in the course's ``images/digits`` (next to the package in a clone,
    or under the current or parent folder), and reads ``labels.csv`` there.

    >>> [(p.name, label) for p, label in example_images()][:2]
    [('0_scan.png', 0), ('0_phone.jpg', 0)]
    """
    import csv

    here = Path(__file__).resolve().parents[1]
    candidates = (
        [Path(folder)]
        if folder is not None
        else [
            here / "images" / "digits",
            Path.cwd() / "images" / "digits",
            Path.cwd().parent / "images" / "digits",
        ]
    )
    for place in candidates:
        labels = place / "labels.csv"
        if labels.is_file():
            with labels.open(newline="", encoding="utf-8") as f:
                return [(place / row["file"], int(row["label"])) for row in csv.DictReader(f)]
    raise FileNotFoundError(
        "the course's example photos (images/digits/labels.csv) were not found in "
        + ", ".join(str(c) for c in candidates)
        + ": run this from a clone of the course, or pass the folder"
    )


def _photo_for_display(source: Any) -> np.ndarray:
    """The picture as a person sees it: upright, in colour, transparency shown on white."""
    if isinstance(source, np.ndarray):
        return load_gray(source)
    image = upright(source, max_side=400)
    if image.mode in DEEP_MODES:  # 16-bit or float: scaled, not clipped
        return load_gray(image)
    image = image.convert("RGB")
    image.thumbnail((400, 400))
    return np.asarray(image)


def plot_photos(sources: list[Any], captions: list[str] | None = None, ncols: int = 6):
    """A grid of photos as they are (upright, colour), each with an optional caption.

    >>> fig = plot_photos(paths, captions=[p.name for p in paths])
    """
    import matplotlib.pyplot as plt

    from mnist_helpers.plots import PALETTE

    if not sources:
        raise ValueError("no photos to plot")
    if captions is not None and len(captions) != len(sources):
        raise ValueError(f"one caption per photo: {len(sources)} photos, {len(captions)} captions")
    ncols = max(1, min(ncols, len(sources)))
    nrows = -(-len(sources) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.2 * ncols, 2.2 * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(sources):
            shown = _photo_for_display(sources[i])
            ax.imshow(
                shown,
                cmap=PALETTE.digits if shown.ndim == 2 else None,
                vmin=0,
                vmax=1 if shown.dtype != np.uint8 else 255,
            )
            if captions is not None:
                ax.set_title(captions[i], fontsize=8)
    fig.tight_layout()
    return fig


def plot_steps(steps: DigitSteps, title: str | None = None):
    """``to_mnist``'s pipeline as a row of pictures, from the photo to the 28 × 28 digit.

    >>> fig = plot_steps(to_mnist("images/digits/5_thin-pen.png", steps=True))
    """
    import matplotlib.patches as patches
    import matplotlib.pyplot as plt

    from mnist_helpers.plots import PALETTE

    top, left, bottom, right = steps.box
    panels = [
        (steps.original, "1. grayscale"),
        (
            steps.foreground,
            "2. ink bright,\nlighting removed"
            if steps.inverted
            else "2. lighting removed\n(already bright ink)",
        ),
        (steps.mask, f"3. ink > {steps.threshold:.2f},\nthe digit's box"),
        (steps.cropped, "4. cropped,\nmargin, levels"),
        (
            steps.resized,
            f"5. ink 20 px long;\n{steps.resized.shape[1]}×{steps.resized.shape[0]} with margin",
        ),
        (steps.padded, "6. padded\nto 28 × 28"),
        (steps.digit, "7. centre of mass\nat the centre"),
    ]
    fig, axes = plt.subplots(1, len(panels), figsize=(2.1 * len(panels), 2.6))
    for ax, (img, label) in zip(axes, panels, strict=True):
        ax.imshow(img, cmap=PALETTE.digits, vmin=0, vmax=1)
        ax.set_title(label, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[2].add_patch(
        patches.Rectangle(
            (left, top), right - left, bottom - top, fill=False, ec=PALETTE.highlight, lw=1
        )
    )
    cy, cx = ndimage.center_of_mass(steps.digit)
    axes[-1].plot([cx], [cy], "+", color=PALETTE.highlight, ms=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_comparison(
    photo: Any,
    digits: dict[str, np.ndarray],
    probabilities: dict[str, np.ndarray],
    label: int | None = None,
):
    """One photo, then each pipeline's 28 × 28 digit with the model's probabilities beside it.

    >>> fig = plot_comparison(path, {"naive": naive, "MNIST-style": digit},
    ...                       {"naive": p_naive, "MNIST-style": p_digit}, label=7)
    """
    import matplotlib.pyplot as plt

    from mnist_helpers.plots import PALETTE, prediction_bars

    if set(digits) != set(probabilities):
        raise ValueError("digits and probabilities should name the same pipelines")
    n = len(digits)
    fig, axes = plt.subplots(
        1, 1 + 2 * n, figsize=(2.3 + 4.2 * n, 2.3), gridspec_kw={"width_ratios": [1] + [1, 1.6] * n}
    )
    shown = _photo_for_display(photo)
    axes[0].imshow(shown, cmap=PALETTE.digits if shown.ndim == 2 else None)
    axes[0].set_title("the photo" + (f" (a {label})" if label is not None else ""), fontsize=9)
    axes[0].axis("off")
    for k, name in enumerate(digits):
        ax_img, ax_bar = axes[1 + 2 * k], axes[2 + 2 * k]
        probs = np.asarray(probabilities[name], dtype=float).ravel()
        ax_img.imshow(digits[name], cmap=PALETTE.digits, vmin=0, vmax=1)
        ax_img.set_title(name, fontsize=9)
        ax_img.axis("off")
        guess = prediction_bars(ax_bar, probs, label)
        ax_bar.set_ylim(0, 1)
        ax_bar.set_title(f"reads {guess} ({probs[guess]:.0%})", fontsize=9)
        ax_bar.tick_params(labelsize=7)
    fig.tight_layout()
    return fig
