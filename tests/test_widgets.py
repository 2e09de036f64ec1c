"""Notebook 06's widgets: uploads from ipywidgets 7 and 8, the drawing pad, live predictions."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import shown_lines
from PIL import Image

from mnist_helpers.external import to_mnist
from mnist_helpers.widgets import (
    DIGIT_ALT,
    DrawingPad,
    digit_img,
    digit_png,
    drawing_pad,
    probabilities_text,
    read_digit,
    upload_button,
    uploaded_files,
)

DIGITS = Path(__file__).resolve().parents[1] / "images" / "digits"


def test_uploads_from_ipywidgets_8_and_7_read_the_same():
    data = b"\x89PNG..."
    v8 = ({"name": "a.png", "type": "image/png", "size": 7, "content": memoryview(data)},)
    v7 = {"a.png": {"metadata": {"name": "a.png", "size": 7}, "content": data}}
    assert uploaded_files(v8) == uploaded_files(v7) == [("a.png", data)]
    assert uploaded_files(()) == uploaded_files({}) == []
    with pytest.raises(ValueError, match="expected FileUpload.value"):
        uploaded_files("a.png")


def test_probabilities_text_lists_the_likeliest_first():
    probs = np.full(10, 0.01)
    probs[7], probs[1] = 0.85, 0.07
    assert probabilities_text(probs) == "7 (85.0%) · 1 (7.0%) · 0 (1.0%)"
    with pytest.raises(ValueError, match="expected 10 probabilities"):
        probabilities_text(np.ones(3))


def test_the_pad_inks_a_thick_soft_line_and_nothing_else():
    pad = DrawingPad(size=100, pen=10)
    assert pad.is_empty
    pad.line(20, 50.25, 80, 50.25)
    assert pad.ink[50, 50] == 1.0 and pad.ink[50, 20] == 1.0  # on the line, and its round end
    assert pad.ink[50 + 3, 50] == 1.0  # within the pen's half-width
    assert pad.ink[50 + 8, 50] == 0.0 and pad.ink[50, 90] == 0.0  # outside it
    assert pad.ink[55, 50] == pytest.approx(0.25)  # the anti-aliased edge: 5.25 px from the line
    pad.clear()
    assert pad.is_empty


def test_pen_events_draw_only_while_the_pen_is_down():
    pad = DrawingPad(size=100, pen=6)
    pad.pen_move(10, 10)  # hovering: no ink
    assert pad.is_empty
    pad.pen_down(10, 10)
    pad.pen_move(50, 10)
    pad.pen_up(50, 50)
    pad.pen_move(90, 90)  # lifted again
    assert pad.ink[10, 30] == 1.0 and pad.ink[30, 50] == 1.0 and pad.ink[90, 90] == 0.0


def test_a_drawn_digit_is_read_wherever_and_however_large_it_is(predict):
    for box in [(100, 30, 180, 250), (10, 10, 60, 90)]:  # large in the middle, small in a corner
        left, top, right, bottom = box
        pad = DrawingPad(size=280, pen=14)
        pad.stroke([(left, top), (right, top), ((left + right) / 2, bottom)])  # a seven
        digit, probs = pad.read(predict)
        assert digit.shape == (28, 28) and probs.argmax() == 7, probabilities_text(probs)
    assert DrawingPad().read(predict) is None


def test_drawing_pad_widget_predicts_when_the_pen_lifts(predict):
    box = drawing_pad(predict, size=280, pen=16)
    h = box.handlers
    h["down"](140, 30)
    for y in range(30, 260, 10):
        h["move"](142, y)
    h["up"](142, 260)
    assert h["result"].value.startswith("<b>1 (")
    [(alt, pixels)] = _pictures(h["result"].value)  # the digit the answer is for, beside it
    assert alt == DIGIT_ALT
    assert np.array_equal(pixels[::3, ::3], np.round(to_mnist(box.pad.ink) * 255).astype(np.uint8))
    h["clear"]()
    assert box.pad.is_empty and "draw a digit" in h["result"].value
    assert "<img" not in h["result"].value


def test_upload_button_reads_good_files_and_explains_bad_ones(predict):
    box = upload_button(predict)
    seven = (DIGITS / "7_marker.jpg").read_bytes()
    blank = io.BytesIO()
    Image.new("L", (100, 100), 250).save(blank, "PNG")
    value = (
        {"name": "seven.jpg", "content": memoryview(seven)},
        {"name": "notes.txt", "content": memoryview(b"hello")},
        {"name": "<b>.png", "content": memoryview(blank.getvalue())},
    )
    box.handlers["upload"]({"new": value})
    lines = shown_lines(box.handlers["result"].value)
    assert len(lines) == 3 and lines[0].startswith("seven.jpg: 7 (")
    assert lines[1].startswith("notes.txt: ") and "not an image" in lines[1]
    assert lines[2].startswith("<b>.png: no digit found")  # a name is text, not HTML


def _pictures(widget_html: str) -> list[tuple[str, np.ndarray]]:
    """Each ``<img>`` in a widget's HTML: its alt text and its pixels."""
    found = re.findall(r'<img src="data:image/png;base64,([^"]+)"[^>]* alt="([^"]*)"', widget_html)
    return [(alt, np.asarray(Image.open(io.BytesIO(base64.b64decode(png))))) for png, alt in found]


def test_beside_each_upload_answer_is_the_digit_the_model_read(predict):
    """A shadowed 4 answered '9 (99.8%)' says nothing of why; the 28 × 28 digit beside it does.
    The picture is that digit, each pixel a 3 × 3 square, white ink on black."""
    box = upload_button(predict)
    files = [DIGITS / "7_marker.jpg", DIGITS / "2_scan.png"]
    value = [{"name": f.name, "content": memoryview(f.read_bytes())} for f in files]
    value.insert(1, {"name": "notes.txt", "content": memoryview(b"hello")})
    box.handlers["upload"]({"new": tuple(value)})
    html_value = box.handlers["result"].value
    rows = re.findall(r"<div>(.*?)</div>", html_value)
    assert ["<img" in row for row in rows] == [True, False, True]  # none beside an error
    pictures = _pictures(html_value)
    assert DIGIT_ALT == "the 28 × 28 digit the model read"
    assert [alt for alt, _ in pictures] == [DIGIT_ALT] * 2
    for (_, pixels), file in zip(pictures, files, strict=True):
        expected = np.round(to_mnist(file) * 255).astype(np.uint8)
        assert pixels.shape == (84, 84) and pixels.dtype == np.uint8
        assert np.array_equal(pixels[::3, ::3], expected)
        assert np.array_equal(pixels, np.kron(expected, np.ones((3, 3), np.uint8)))


def test_digit_png_enlarges_without_smoothing_and_refuses_other_shapes():
    digit = np.zeros((28, 28), np.float32)
    digit[5:20, 13:15] = 1.0
    digit[0, 0] = 0.5
    pixels = np.asarray(Image.open(io.BytesIO(digit_png(digit, scale=2))))
    assert pixels.shape == (56, 56) and set(np.unique(pixels)) == {0, 128, 255}
    assert (pixels[:2, :2] == 128).all() and pixels[2, 2] == 0
    assert "digit the model read" in digit_img(digit) and 'width="84"' in digit_img(digit)
    with pytest.raises(ValueError, match=r"expected a 28 × 28 digit, got shape \(28, 29\)"):
        digit_png(np.zeros((28, 29)))


def test_read_digit_uses_the_mnist_pipeline(predict):
    digit, probs = read_digit(DIGITS / "2_scan.png", predict)
    assert digit.shape == (28, 28) and probs.shape == (10,) and probs.argmax() == 2


def _sent_commands(canvas, monkeypatch) -> list:
    """Record the draw commands ipycanvas sends to the page: (command names, buffers)."""
    from ipycanvas.canvas import COMMANDS

    names = {number: name for name, number in COMMANDS.items()}
    sent = []

    def flatten(command):
        if command and isinstance(command[0], list):  # a batch (hold_canvas)
            return [name for c in command for name in flatten(c)]
        return [names[command[0]]]

    monkeypatch.setattr(
        canvas._canvas_manager,
        "_send_custom",
        lambda command, buffers=(): sent.append((flatten(command), list(buffers))),
    )
    return sent


def test_a_reloaded_page_gets_the_drawing_back(predict, monkeypatch):
    """After a browser reload (kernel still running) the page's canvas is new: blank, black by
    default, and ipycanvas would skip telling it which canvas to draw on. When the page says it
    is ready, the pad is switched to, its pen set again and its ink painted back."""
    box = drawing_pad(predict, size=280, pen=16)
    h = box.handlers
    h["down"](140, 30)
    h["up"](140, 250)
    canvas = box.children[0]
    sent = _sent_commands(canvas, monkeypatch)
    canvas._handle_frontend_event(None, {"event": "client_ready"}, [])  # what a new page sends
    commands = [name for names, _ in sent for name in names]
    assert commands[0] == "switchCanvas", commands
    assert commands.count("set") >= 4 and "putImageData" in commands
    assert commands.index("putImageData") > max(i for i, c in enumerate(commands) if c == "set")
    image = Image.open(io.BytesIO(bytes(sent[-1][1][-1]))).convert("L")
    drawn = np.asarray(image) < 128
    assert drawn.shape == (280, 280)
    assert (drawn == (box.pad.ink > 0.5)).mean() > 0.99  # the page shows what the pad holds
    assert drawn[140, 140] and not drawn[140, 40]
    h["clear"]()  # Clear on the reloaded page paints white, not the page's default black
    sent.clear()
    canvas._handle_frontend_event(None, {"event": "client_ready"}, [])
    commands = [name for names, _ in sent for name in names]
    assert "fillRect" in commands and "putImageData" not in commands


def test_saved_widgets_say_what_they_are_in_plain_text(predict):
    """Before the cells run, JupyterLab and GitHub show a widget's text/plain form."""
    pad, upload = drawing_pad(predict), upload_button(predict)
    for widget, name in [(pad, "Drawing pad"), (upload, "Upload button")]:
        assert repr(widget).startswith(f"{name}: it appears when this cell runs")
        assert "Canvas(" not in repr(widget) and "children" not in repr(widget)
    assert type(pad).__mro__[1].__name__ == "HBox"
