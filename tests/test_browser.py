"""Notebook 06's drawing pad in a real browser: JupyterLab in Chromium, driven by Playwright.

What a learner does: open notebook 06 in JupyterLab, run every cell, draw a digit on the pad with
the mouse, read the prediction and see the 28 × 28 digit it is for; reload the page (the kernel
keeps running) and find the drawing still there, the pen still drawing, and Clear still white;
upload a photo and see its answer with the digit the model read beside it.

Chromium comes from Debian's packages (``apt-get install chromium``; `.ci/run` installs it), and
Playwright drives it through ``executable_path`` (``playwright install`` would download its own
browser, which cannot happen here). Where Chromium is missing the test is skipped with that hint,
except under CI (``CI`` set), where a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mnist_helpers.widgets import DIGIT_ALT

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = next((ROOT / "notebooks").glob("06_*.ipynb"))
CHROMIUM = os.environ.get("MNIST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# The flags a closed network needs: no sign-in, sync, updates or other background requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "course-browser-test"


def _browser_or_skip():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium ({CHROMIUM}; Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("Playwright (pip install -r requirements-dev.txt)")
        sync_playwright = None
    if missing:
        why = "the browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(why + ": .ci/run installs both")
        pytest.skip(why)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of notebook 06 (quick mode, a throw-away results ledger)."""
    _browser_or_skip()
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, root / "notebooks" / NOTEBOOK.name)
    (root / "images").symlink_to(ROOT / "images")
    port = _free_port()
    env = dict(os.environ, MNIST_QUICK="1", MNIST_RESULTS=str(root / "results.json"))
    env.pop("MPLBACKEND", None)  # the kernel draws inline, as for a learner
    log = open(root / "jupyter.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",  # CI machines run as root
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={TOKEN}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start in 60 s:\n" + (root / "jupyter.log").read_text())
        if server.poll() is not None:
            pytest.fail("JupyterLab exited:\n" + (root / "jupyter.log").read_text()[-3000:])
        yield f"{url}/lab/tree/notebooks/{NOTEBOOK.name}?token={TOKEN}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _start_kernel(page) -> None:
    """Answer JupyterLab's "Select Kernel" dialog as a learner would (it may or may not show),
    and wait until the kernel is idle."""
    dialog = page.locator(".jp-Dialog button", has_text="Select")
    for _ in range(20):
        if dialog.count():
            dialog.first.click()
            break
        if page.locator(".jp-StatusBar-TextItem", has_text="| Idle").count():
            break
        page.wait_for_timeout(500)
    page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first.wait_for(timeout=120_000)


# The notebook's scroll area: its scroll position and height, for a failure's message.
SCROLLER = """() => [...document.querySelectorAll('.jp-WindowedPanel-outer')]
    .map(o => `scrolled ${o.scrollTop} of ${o.scrollHeight - o.clientHeight} px`).join(', ')"""


def _scroll_to(page, target, seconds: float = 180) -> None:
    """Scroll the notebook with the mouse wheel, as a learner does, until ``target`` (the pad,
    the upload button) is in view.

    After a reload JupyterLab renders a long notebook's cells as they are scrolled to: the wheel
    reaches the end of what is rendered so far and the rest grows in while the page works, more
    slowly on a busy machine. So this scrolls on for `seconds`, not for a number of turns.
    """
    height = page.viewport_size["height"]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        box = target.bounding_box() if target.count() else None  # not rendered yet: scroll on
        if box and 80 < box["y"] and box["y"] + box["height"] < height - 40:
            return
        page.mouse.move(800, height / 2)
        page.mouse.wheel(0, (box["y"] if box else height) - height / 3)
        page.wait_for_timeout(300)
    where = f"at {target.bounding_box()}" if target.count() else "not rendered"
    raise AssertionError(
        f"could not scroll {target} into view in {seconds:.0f} s ({where}; "
        f"notebook {page.evaluate(SCROLLER)})"
    )


# How many of the pad's pixels the page shows dark (ink), read from the canvas itself.
DARK_PIXELS = """el => {
    const d = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] < 128) n++;
    return n;
}"""


def _dark_pixels(canvas) -> int:
    return canvas.evaluate(DARK_PIXELS)


def _draw(page, canvas, points) -> None:
    box = canvas.bounding_box()
    scale = box["width"] / 280
    x0, y0 = points[0]
    page.mouse.move(box["x"] + x0 * scale, box["y"] + y0 * scale)
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=8)
    page.mouse.up()


def _assert_shown(picture) -> None:
    """The digit beside an answer: on the page, decoded, 84 × 84 pixels, in view."""
    picture.wait_for(state="visible", timeout=30_000)
    size = picture.evaluate("el => [el.complete, el.naturalWidth, el.naturalHeight]")
    assert size == [True, 84, 84], f"the digit beside the answer: {size}"
    box = picture.bounding_box()
    assert box and round(box["width"]) == round(box["height"]) == 84, box


PHOTO = ROOT / "images" / "digits" / "7_marker.jpg"
SEVEN = [(70, 60), (210, 60), (150, 150), (110, 240)]  # a top bar and a long diagonal
ONE_MORE_STROKE = [(120, 150), (180, 150)]  # the bar across a continental 7


def test_a_learner_draws_a_digit_in_jupyterlab_and_it_survives_a_reload(lab):
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        try:
            page.goto(lab)
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            # before anything runs, the pad's saved output says what it is, not HBox(children=…
            page.wait_for_selector("text=Drawing pad: it appears when this cell runs")
            _start_kernel(page)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            canvas = page.locator(".jp-OutputArea-output canvas").first
            canvas.wait_for(state="visible", timeout=300_000)
            _scroll_to(page, canvas)
            assert _dark_pixels(canvas) == 0, "the pad should start blank"

            _draw(page, canvas, SEVEN)
            result = page.locator(".jp-OutputArea-output .widget-html-content").first
            page.wait_for_function(
                "el => /\\d \\(/.test(el.textContent)",
                arg=result.element_handle(),
                timeout=60_000,
            )
            text = result.text_content()
            assert text.startswith("7 ("), f"the pad read {text!r} for a drawn 7"
            _assert_shown(result.locator(f'img[alt="{DIGIT_ALT}"]'))
            drawn = _dark_pixels(canvas)
            assert drawn > 1000, "the stroke should show on the page"

            # saved (JupyterLab autosaves every 2 minutes), then reloaded: the kernel keeps
            # running, the page is new
            page.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Save Notebook").first.click()
            page.wait_for_selector(".jp-mod-dirty", state="detached", timeout=30_000)
            page.reload()
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first.wait_for(
                timeout=120_000
            )
            canvas = page.locator(".jp-OutputArea-output canvas").first
            _scroll_to(page, canvas)
            page.wait_for_function(  # the drawing painted back (at least half of it)
                f"([el, n]) => ({DARK_PIXELS})(el) > n",
                arg=[canvas.element_handle(), drawn // 2],
                timeout=60_000,
            )
            _draw(page, canvas, ONE_MORE_STROKE)  # the pen still draws, and in black
            page.wait_for_timeout(1000)
            assert _dark_pixels(canvas) > drawn, "a stroke after the reload should show"
            page.locator(".jp-OutputArea-output button", has_text="Clear").first.click()
            page.wait_for_function(
                "el => el.getContext('2d').getImageData(140, 140, 1, 1).data[0] > 200",
                arg=canvas.element_handle(),
                timeout=30_000,
            )
            assert _dark_pixels(canvas) == 0, "Clear after a reload should leave a white pad"

            upload = page.locator(".jp-OutputArea-output .widget-upload").first
            _scroll_to(page, upload)
            with page.expect_file_chooser() as chooser:
                upload.click()
            chooser.value.set_files(str(PHOTO))
            answer = page.locator(
                ".jp-OutputArea-output .widget-html-content div", has_text=f"{PHOTO.name}: "
            )
            answer.wait_for(timeout=60_000)
            assert answer.text_content().startswith(f"{PHOTO.name}: 7 ("), answer.text_content()
            _assert_shown(answer.locator(f'img[alt="{DIGIT_ALT}"]'))
            assert not [e for e in errors if "fillRect" in e or "ipycanvas" in e], errors
        except Exception:
            shot = Path(lab.split("/lab/")[0].split("//")[1].replace(":", "_"))
            shot = Path(os.environ.get("MNIST_BROWSER_SHOTS", "/tmp")) / f"browser-{shot}.png"
            page.screenshot(path=str(shot), full_page=False)
            print(f"screenshot of the page at the failure: {shot}; page errors: {errors}")
            raise
        finally:
            browser.close()
