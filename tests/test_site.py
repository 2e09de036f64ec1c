"""The course's website (``make site``): built from the committed notebooks, then read in a real
browser as a learner reads it.

The build runs once (``scripts/build_site.py`` into a tmp folder), a local HTTP server serves it,
and Debian's Chromium, driven by Playwright as in tests/test_browser.py, opens every page: no
console error, no request to another host (the site must work offline), every internal link and
image resolves, every image has alt text (a figure's is its ``*Figure: …*`` line), search finds a
word of notebook 04, and a folded solution stays folded until its summary is clicked. Without
Chromium the browser tests are skipped, except under CI; the checks of the staged sources run
everywhere.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from conftest import load_script
from test_browser import CHROMIUM, CHROMIUM_ARGS, _browser_or_skip

from mnist_helpers import course

ROOT = Path(__file__).resolve().parents[1]
build_site = load_script("build_site")
NOTEBOOKS = build_site.NOTEBOOKS
NOTEBOOK_04 = next(nb for nb in NOTEBOOKS if nb.name.startswith("04_"))


def notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def figure_alts(path: Path) -> list[str]:
    """The alt text each figure image of a notebook should carry, in order: its description."""
    cells = notebook(path)["cells"]
    alts = []
    for before, cell in zip(cells, cells[1:], strict=False):
        if build_site.shows_a_figure(cell):
            images = sum("image/png" in out.get("data", {}) for out in cell["outputs"])
            alts += [build_site.figure_text(before)] * images
    return alts


# -- the staged sources: no browser needed ---------------------------------------------------


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("stage") / "src"
    build_site.stage(src)
    return src


def test_every_figure_gets_its_description_as_alt_text(staged):
    count = 0
    for path in NOTEBOOKS:
        alts = []
        for cell in notebook(staged / "notebooks" / path.name)["cells"]:
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt")
            if alt:
                images = sum("image/png" in out.get("data", {}) for out in cell["outputs"])
                alts += [alt] * images
        assert alts == figure_alts(path), path.name
        count += len(alts)
    assert count >= 44  # every figure of the course, 06's grids of photos counting each image


def test_a_figure_without_a_description_stops_the_build(tmp_path):
    png = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}, "metadata": {}}
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# T\n\n[![Open In Colab](x)](y)"},
            {"cell_type": "markdown", "metadata": {}, "source": "A plot, undescribed."},
            {"cell_type": "code", "metadata": {}, "source": "plt.show()", "outputs": [png]},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "09_demo.ipynb"
    path.write_text(json.dumps(nb))
    badges = build_site.load_sync_badges()
    with pytest.raises(ValueError, match=r"09_demo.ipynb, cell 2: a figure without"):
        build_site.notebook_page(path, tmp_path / "src" / path.name, badges, course)


def test_the_launch_links_are_the_courses_and_load_no_badge_image(staged):
    for path in NOTEBOOKS:
        first = "".join(notebook(staged / "notebooks" / path.name)["cells"][0]["source"])
        for url in (course.colab_url(path.name), course.binder_url(path.name)):
            assert f"]({url})" in first
        assert f"]({course.kaggle_url(path.name)})" in first
        assert "![" not in first, "a badge image would load from another host"
    home = (staged / "index.md").read_text(encoding="utf-8")
    assert "![" not in home and "badge.svg" not in home and "badge_logo" not in home
    assert f"]({course.colab_url(NOTEBOOKS[0].name)})" in home
    assert course.site_url() not in home and "site_home.png" not in home  # the reader is there


def test_links_to_files_outside_the_site_lead_to_github():
    text = "[a](scripts/x.py) [b](WORKSHOP.md#the-offline-kit) [c](README.md#start) [d](#top)"
    github = f"https://github.com/{course.REPOSITORY}/blob/{course.BRANCH}"
    assert build_site.relink(text, "README.md", course) == (
        f"[a]({github}/scripts/x.py) [b](WORKSHOP.md#the-offline-kit) [c](index.md#start) [d](#top)"
    )
    nb = "[n](02_dnn_baseline.ipynb) [r](../README.md)"
    assert build_site.relink(nb, "notebooks/01_x.ipynb", course) == (
        "[n](02_dnn_baseline.ipynb) [r](../index.md)"
    )


def test_the_pages_workflow_publishes_what_make_site_builds():
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    for step in ("branches: [main]", "run: make site", "upload-pages-artifact", "path: _site"):
        assert step in workflow
    assert "deploy-pages" in workflow and build_site.OUT == ROOT / "_site"


def test_the_readme_links_the_site_and_its_screenshots():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert course.site_url() in readme
    for shot in ("images/site_home.png", "images/site_05.png"):
        assert f"]({shot})" in readme and (ROOT / shot).stat().st_size < 150_000


# -- the built site in Chromium --------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The website, built as ``make site`` builds it (into a tmp folder)."""
    _browser_or_skip()
    where = tmp_path_factory.mktemp("site")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "scripts/build_site.py", "--out", where / "html", "--stage", where],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"make site failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    print(f"built the site in {time.perf_counter() - start:.0f} s")
    return where / "html"


@pytest.fixture(scope="module")
def browser(site):
    sync_playwright = _browser_or_skip()
    with build_site.serve(site) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        outside = []

        def only_this_site(route):
            if route.request.url.startswith(base):
                route.continue_()
            else:  # the site would need the network here
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", only_this_site)
        try:
            yield base, context, outside
        finally:
            chromium.close()


#: What the crawl reads from each page once it has loaded.
PAGE_FACTS = """() => ({
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    images: [...document.images].map(i => ({
        src: i.src, alt: i.getAttribute('alt'),
        output: !!i.closest('.cell_output'),
        loaded: i.complete && i.naturalWidth > 0,
    })),
    ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.name),
})"""


@pytest.fixture(scope="module")
def crawl(site, browser):
    """Every HTML page of the site opened in Chromium: what went wrong, and what it holds."""
    base, context, outside = browser
    pages = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("_static/")  # the theme's templates
    )
    found = {}
    for name in pages:
        page = context.new_page()
        problems = []
        page.on("pageerror", lambda err, p=problems: p.append(f"script error: {err}"))
        page.on(
            "console",
            lambda msg, p=problems: p.append(f"console: {msg.text}") if msg.type == "error" else 0,
        )
        page.on(
            "response",
            lambda r, p=problems: p.append(f"{r.status}: {r.url}") if r.status >= 400 else 0,
        )
        page.goto(base + name, wait_until="load")
        page.wait_for_load_state("networkidle")
        for image in page.locator("img").all():  # images load as a reader scrolls to them
            image.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        found[name] = {**page.evaluate(PAGE_FACTS), "problems": problems}
        page.close()
    return base, found, outside


def test_every_page_opens_without_a_console_error_or_a_request_elsewhere(crawl):
    base, found, outside = crawl
    assert {"index.html", "search.html", "WORKSHOP.html", "HANDOUT.html"} <= set(found)
    assert {f"notebooks/{nb.stem}.html" for nb in NOTEBOOKS} <= set(found)
    problems = {name: facts["problems"] for name, facts in found.items() if facts["problems"]}
    assert not problems, problems
    assert not outside, f"the site loads from other hosts (it must work offline): {outside}"


def test_every_internal_link_and_image_resolves(crawl):
    base, found, _ = crawl
    status = {}

    def get(url: str) -> int:
        if url not in status:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    status[url] = response.status
            except urllib.error.HTTPError as error:
                status[url] = error.code
        return status[url]

    broken = []
    for name, facts in found.items():
        for link in facts["links"]:
            if not link.startswith(base):
                continue
            target, fragment = urldefrag(link)
            if get(target) != 200:
                broken.append(f"{name} → {link} ({get(target)})")
            page = urlparse(target).path.removeprefix("/") or "index.html"
            if fragment and page in found and fragment not in found[page]["ids"]:
                broken.append(f"{name} → {link} (no #{fragment} there)")
        for image in facts["images"]:
            src = urljoin(base + name, image["src"])
            inline = src.startswith("data:")  # an output's HTML may carry its picture inline
            if not image["loaded"] or not inline and (not src.startswith(base) or get(src) != 200):
                broken.append(f"{name}: image {image['src'][:100]}")
    assert not broken, "\n".join(broken)
    assert len(status) > 50  # the crawl did follow the links


def test_every_image_has_alt_text_and_each_figure_its_description(crawl):
    _, found, _ = crawl
    for name, facts in found.items():
        for image in facts["images"]:
            alt = (image["alt"] or "").strip()
            assert alt and alt != Path(urlparse(image["src"]).path).name, (name, image)
    for path in NOTEBOOKS:
        images = found[f"notebooks/{path.stem}.html"]["images"]
        alts = [image["alt"] for image in images if image["output"]]
        assert alts == figure_alts(path), path.name


def test_each_notebook_page_has_its_launch_links_and_the_committed_notebook(crawl):
    base, found, _ = crawl
    for path in NOTEBOOKS:
        links = found[f"notebooks/{path.stem}.html"]["links"]
        for url in (course.colab_url, course.binder_url, course.kaggle_url):
            assert url(path.name) in links, (path.name, url.__name__)
        (download,) = [
            link for link in links if link.startswith(base) and link.endswith("/" + path.name)
        ]
        with urllib.request.urlopen(download, timeout=10) as response:
            assert response.read() == path.read_bytes(), f"{download} is not {path}"


def word_only_in_04(site: Path) -> str:
    """The word of notebook 04's prose that occurs most often there and on no other page."""

    def words(text: str) -> list[str]:
        text = re.sub(r"\(https?://[^)]*\)", "", text)
        return re.findall(r"[a-z]{6,}", text.lower())

    def page_text(path: Path) -> str:
        html = re.sub(
            r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S
        )
        return re.sub(r"<[^>]+>", " ", html)

    others = {
        word
        for page in site.rglob("*.html")
        if page.name not in (f"{NOTEBOOK_04.stem}.html", "search.html", "genindex.html")
        for word in words(page_text(page))
    }
    prose = " ".join(
        "".join(cell["source"])
        for cell in notebook(NOTEBOOK_04)["cells"]
        if cell["cell_type"] == "markdown"
    )
    counts = Counter(word for word in words(prose) if word not in others)
    assert counts, "notebook 04 has no word of its own"
    return counts.most_common(1)[0][0]


def test_search_finds_a_word_of_notebook_04(site, browser):
    base, context, _ = browser
    word = word_only_in_04(site)
    page = context.new_page()
    page.goto(f"{base}search.html?q={word}")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30_000)
    found = [urlparse(href).path for href in results.evaluate_all("as => as.map(a => a.href)")]
    assert f"/notebooks/{NOTEBOOK_04.stem}.html" in found, (word, found)
    page.close()


def test_a_solution_stays_folded_until_its_summary_is_clicked(browser):
    base, context, _ = browser
    page = context.new_page()
    page.goto(f"{base}notebooks/{NOTEBOOK_04.stem}.html")
    folded = page.locator("details")
    expected = sum(
        "".join(cell["source"]).count("<details>") for cell in notebook(NOTEBOOK_04)["cells"]
    )
    assert folded.count() == expected > 0
    assert folded.evaluate_all("ds => ds.every(d => !d.open)"), "a solution shows unfolded"
    solution = folded.first
    answer = solution.locator("pre").first
    assert not answer.is_visible()
    solution.locator("summary").click()
    assert solution.evaluate("d => d.open") and answer.is_visible()
    page.close()
