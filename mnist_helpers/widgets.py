"""Your own digit in notebook 06: an upload button and a drawing pad, both predicting live.

The logic (reading uploads from ipywidgets 7 or 8, drawing strokes into an array, turning them
into a prediction) is plain Python and NumPy, tested in ``tests/test_widgets.py``; the widgets
only pass mouse events and files to it. Where a widget cannot run (no ipycanvas, a static
notebook viewer, a headless test run) the notebook still runs and says what to do instead.

Beside each answer both widgets show the 28 × 28 digit the model read (``digit_img``), enlarged:
a shadowed 4 read as a 9 shows the 9 that ``to_mnist`` made of it, so the answer can be
understood.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from PIL import Image

from mnist_helpers.external import ImageError, to_mnist

Predict = Callable[[np.ndarray], np.ndarray]  # (n, 28, 28, 1) digits -> (n, 10) probabilities


def uploaded_files(value: Any) -> list[tuple[str, bytes]]:
    """``FileUpload.value`` as ``[(file name, bytes), ...]``, from ipywidgets 8 or 7.

    ipywidgets 8 (JupyterLab) gives a tuple of dicts with ``name`` and ``content`` (a
    memoryview); ipywidgets 7 (Colab) gives a dict of file name → ``{"content": bytes, ...}``.

    >>> uploaded_files(upload.value)
    [('seven.jpg', b'\\xff\\xd8...')]
    """
    if not value:
        return []
    if isinstance(value, Mapping):  # ipywidgets 7
        return [(str(name), bytes(item["content"])) for name, item in value.items()]
    if isinstance(value, (list, tuple)):  # ipywidgets 8
        return [(str(item["name"]), bytes(item["content"])) for item in value]
    raise ValueError(f"expected FileUpload.value (a tuple or a dict), got {type(value).__name__}")


def probabilities_text(probs: np.ndarray, top: int = 3) -> str:
    """One line for a prediction: ``'7 (98.1%) · 1 (1.2%) · 2 (0.3%)'``."""
    probs = np.asarray(probs, dtype=float).ravel()
    if probs.shape != (10,):
        raise ValueError(f"expected 10 probabilities, got shape {probs.shape}")
    order = np.argsort(-probs, kind="stable")[:top]
    return " · ".join(f"{d} ({probs[d]:.1%})" for d in order)


#: Each of the digit's 28 × 28 pixels becomes a square this many screen pixels wide (84 × 84).
DIGIT_SCALE = 3
DIGIT_ALT = "the 28 × 28 digit the model read"


def digit_png(digit: np.ndarray, scale: int = DIGIT_SCALE) -> bytes:
    """A 28 × 28 digit in [0, 1] as a PNG, each pixel a ``scale`` × ``scale`` square.

    Enlarged by repeating pixels (nearest neighbour), not smoothed, so each square is one pixel
    the model saw; white ink on black, as the model sees it.

    >>> Image.open(io.BytesIO(digit_png(to_mnist("seven.jpg")))).size
    (84, 84)
    """
    digit = np.asarray(digit, dtype=np.float32)
    if digit.shape != (28, 28):
        raise ValueError(f"expected a 28 × 28 digit, got shape {digit.shape}")
    pixels = np.round(np.clip(digit, 0, 1) * 255).astype(np.uint8)
    image = Image.fromarray(pixels).resize((28 * scale, 28 * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def digit_img(digit: np.ndarray) -> str:
    """An HTML ``<img>`` of ``digit_png(digit)``, with its alt text, to put beside an answer.

    >>> digit_img(to_mnist("seven.jpg"))[:38]
    '<img src="data:image/png;base64,iVBORw'
    """
    side = 28 * DIGIT_SCALE
    data = base64.b64encode(digit_png(digit)).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" width="{side}" height="{side}" '
        f'alt="{DIGIT_ALT}" title="{DIGIT_ALT}" '
        'style="vertical-align: middle; image-rendering: pixelated; margin: 2px 8px 2px 0">'
    )


def read_digit(source: Any, predict: Predict) -> tuple[np.ndarray, np.ndarray]:
    """Preprocess one image the MNIST way and predict it: returns (digit 28×28, probabilities)."""
    digit = to_mnist(source)
    probs = np.asarray(predict(digit[None, ..., None]))[0]
    return digit, probs


class DrawingPad:
    """A square of paper to draw on with a round pen, kept as a float array (1 = ink).

    The widget feeds it mouse positions; ``digit()`` hands the drawing to ``to_mnist``, which
    crops, scales and centres it exactly like a photo, so a small digit drawn in a corner is
    read as well as a large one in the middle.

    >>> pad = DrawingPad(size=280, pen=18)
    >>> pad.stroke([(140, 40), (140, 240)])   # a one
    >>> to_mnist(pad.ink).shape
    (28, 28)
    """

    def __init__(self, size: int = 280, pen: float = 18.0) -> None:
        if size < 28 or pen <= 0:
            raise ValueError(f"expected size >= 28 and pen > 0, got size={size}, pen={pen}")
        self.size, self.pen = int(size), float(pen)
        self.ink = np.zeros((self.size, self.size), dtype=np.float32)
        self._last: tuple[float, float] | None = None

    def clear(self) -> None:
        self.ink[:] = 0
        self._last = None

    @property
    def is_empty(self) -> bool:
        return not self.ink.any()

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Ink every pixel within pen/2 of the segment (x0, y0)–(x1, y1), soft at the edge."""
        r = self.pen / 2
        lo_x, hi_x = int(max(0, min(x0, x1) - r - 1)), int(min(self.size, max(x0, x1) + r + 2))
        lo_y, hi_y = int(max(0, min(y0, y1) - r - 1)), int(min(self.size, max(y0, y1) + r + 2))
        if lo_x >= hi_x or lo_y >= hi_y:
            return
        yy, xx = np.mgrid[lo_y:hi_y, lo_x:hi_x].astype(np.float32) + 0.5
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else np.clip(((xx - x0) * dx + (yy - y0) * dy) / length2, 0, 1)
        dist = np.hypot(xx - (x0 + t * dx), yy - (y0 + t * dy))
        stroke = np.clip(r - dist + 0.5, 0.0, 1.0)  # one pixel of anti-aliasing
        patch = self.ink[lo_y:hi_y, lo_x:hi_x]
        np.maximum(patch, stroke, out=patch)

    def stroke(self, points: list[tuple[float, float]]) -> None:
        """Draw a polyline through ``points`` (a whole pen stroke at once)."""
        if len(points) == 1:
            points = [points[0], points[0]]
        for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
            self.line(x0, y0, x1, y1)

    # mouse events, as ipycanvas sends them (x, y in canvas pixels)
    def pen_down(self, x: float, y: float) -> None:
        self._last = (x, y)
        self.line(x, y, x, y)

    def pen_move(self, x: float, y: float) -> None:
        if self._last is not None:
            self.line(*self._last, x, y)
            self._last = (x, y)

    def pen_up(self, x: float, y: float) -> None:
        self.pen_move(x, y)
        self._last = None

    def read(self, predict: Predict) -> tuple[np.ndarray, np.ndarray] | None:
        """The drawing as an MNIST digit and its probabilities; None while the pad is empty.

        A drawing that is no digit (a single click's dot, a few dots, two digits side by side)
        raises ``ImageError`` saying what was drawn; the widget shows that message instead.
        """
        if self.is_empty:
            return None
        return read_digit(self.ink, predict)


def drawing_pad(predict: Predict, size: int = 280, pen: float = 18.0) -> Any:
    """A drawing pad widget (ipycanvas) that predicts the digit each time the pen lifts.

    Returns the widget to display. Raises ``ImportError`` with a hint where ipycanvas is not
    installed; the notebook catches it and suggests the upload button instead.
    """
    try:
        import ipywidgets as widgets
        from ipycanvas import Canvas, hold_canvas
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the drawing pad needs ipycanvas (`pip install ipycanvas`, then reload the page); "
            "until then, draw a digit in any paint program and use the upload button"
        ) from err

    pad = DrawingPad(size=size, pen=pen)
    canvas = Canvas(width=size, height=size, layout=widgets.Layout(border="1px solid #888"))
    result = widgets.HTML(value="<b>draw a digit</b> (one digit, any size)")
    clear = widgets.Button(description="Clear", icon="eraser")

    def redraw() -> None:
        """Paint the pad from its ink, with the pen's settings: on a page that was reloaded
        while the kernel kept running, the browser's canvas starts blank and with its default
        (black) colours, and knows nothing of what was drawn."""
        # ipycanvas remembers which canvas it last drew on and skips telling a new page;
        # forget it, or the page's first command fails (it has no current canvas)
        manager = getattr(canvas, "_canvas_manager", None)
        if manager is not None and hasattr(manager, "_current_canvas"):
            manager._current_canvas = None
        with hold_canvas():
            canvas.stroke_style, canvas.line_width, canvas.line_cap = "black", pen, "round"
            canvas.fill_style = "white"
            if pad.is_empty:
                canvas.fill_rect(0, 0, size, size)
            else:
                gray = np.round(255 * (1 - pad.ink)).astype(np.uint8)
                canvas.put_image_data(np.repeat(gray[..., None], 3, axis=2), 0, 0)

    redraw()
    canvas.on_client_ready(redraw)  # a new page (a reload, a second tab) gets the drawing back

    def show() -> None:
        try:
            read = pad.read(predict)
        except ImageError as err:  # a dot, two digits…: say so, and keep the pad usable
            result.value = f"<b>not a digit yet</b>: {html.escape(str(err))}"
            return
        if read is None:
            result.value = "<b>draw a digit</b>"
        else:  # the answer, then beside it the digit it is the answer for
            result.value = f"<b>{probabilities_text(read[1])}</b><br>{digit_img(read[0])}"

    def down(x: float, y: float) -> None:
        pad.pen_down(x, y)
        canvas.begin_path()
        canvas.move_to(x, y)

    def move(x: float, y: float) -> None:
        if pad._last is not None:
            with hold_canvas():
                canvas.line_to(x, y)
                canvas.stroke()
            pad.pen_move(x, y)

    def up(x: float, y: float) -> None:
        pad.pen_up(x, y)
        show()

    def reset(_: Any = None) -> None:
        pad.clear()
        canvas.fill_rect(0, 0, size, size)
        show()

    canvas.on_mouse_down(down)
    canvas.on_mouse_move(move)
    canvas.on_mouse_up(up)
    clear.on_click(reset)
    box = _shown_as(
        widgets.HBox,
        "Drawing pad: it appears when this cell runs with a live kernel (Run All Cells)",
    )([canvas, widgets.VBox([result, clear])])
    box.pad = pad  # for tests and the curious: the drawing as an array
    box.handlers = {
        "down": down,
        "move": move,
        "up": up,
        "clear": reset,
        "redraw": redraw,
        "result": result,
    }
    return box


def _shown_as(widget_class: type, text: str) -> type:
    """A subclass of ``widget_class`` whose plain-text form is ``text``: a saved notebook shows it
    until its cells run again (and GitHub shows it), instead of the repr of every child widget
    (``HBox(children=(Canvas(...``)."""
    return type(widget_class.__name__, (widget_class,), {"__repr__": lambda _: text})


#: What the upload button's file dialog offers: every image, and iPhones' HEIC photos by name
#: (a browser that does not know HEIC as an image would hide them otherwise).
UPLOAD_ACCEPT = "image/*,.heic,.heif"


def upload_button(predict: Predict) -> Any:
    """An upload button (ipywidgets 7 and 8) that shows each image's digit and prediction.

    One line a file: the 28 × 28 digit the model read (``digit_img``), the file's name and the
    three likeliest digits, or what is wrong with the file. It offers every image file, HEIC
    photos included (``UPLOAD_ACCEPT``); one it cannot read (a HEIC where pillow-heif is not
    installed) gets the one line ``to_mnist`` raises.
    """
    import ipywidgets as widgets

    upload = widgets.FileUpload(accept=UPLOAD_ACCEPT, multiple=True, description="Upload")
    result = widgets.HTML()

    def on_upload(change: Mapping[str, Any]) -> None:
        rows = []
        for name, data in uploaded_files(change["new"]):
            picture = ""
            try:
                digit, probs = read_digit(data, predict)
            except (ImageError, OSError) as err:
                text = f"{name}: {err}"
            except Exception as err:  # not a known bad input: one line, and read the rest
                text = f"{name}: cannot be read ({type(err).__name__}: {err})"
            else:
                picture, text = digit_img(digit), f"{name}: {probabilities_text(probs)}"
            rows.append(f"<div>{picture}{html.escape(text)}</div>")
        result.value = "".join(rows)

    upload.observe(on_upload, names="value")
    box = _shown_as(
        widgets.VBox,
        "Upload button: it appears when this cell runs with a live kernel (Run All Cells)",
    )([upload, result])
    box.handlers = {"upload": on_upload, "result": result}
    return box
