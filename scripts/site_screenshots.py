"""Screenshots of the course's website for the README: images/site_home.png and images/site_05.png.

    python scripts/site_screenshots.py             build the site (make site), then take both
    python scripts/site_screenshots.py --no-build  take them of the _site/ already built

Debian's Chromium, driven by Playwright as in the tests, opens the home page and notebook 05's page
(its first figure in the middle) at 1280 × 800; each PNG is cut to 128 colours so that it stays
small. Run it after a change that shows on the site: the theme, conf.py, the README's table.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1280, "height": 800}
#: The page, the element scrolled to the middle of the view (None: the page's top) and the file.
SHOTS = [
    ("index.html", None, ROOT / "images" / "site_home.png"),
    (
        "notebooks/05_augmentation_callbacks.html",
        ".cell_output img",
        ROOT / "images" / "site_05.png",
    ),
]


def load_build_site():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts/build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def small_png(png: bytes) -> bytes:
    """A screenshot cut to 128 colours: a third of the bytes, the text as sharp."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="use the _site/ already built")
    args = parser.parse_args(argv)
    build_site = load_build_site()
    if not args.no_build and build_site.build(build_site.OUT) != 0:
        return 1
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from test_browser import CHROMIUM, CHROMIUM_ARGS

    with build_site.serve(build_site.OUT) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        for name, anchor, path in SHOTS:
            page.goto(base + name, wait_until="networkidle")
            if anchor:
                where = page.locator(anchor).first
                where.evaluate("e => e.scrollIntoView({block: 'center'})")
                page.wait_for_timeout(500)
            path.write_bytes(small_png(page.screenshot()))
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KiB")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
