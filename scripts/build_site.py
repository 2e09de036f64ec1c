"""Build the course's website from the committed, executed notebooks: ``make site``.

    python scripts/build_site.py            into _site/ (what the pages workflow publishes)
    python scripts/build_site.py --out DIR  elsewhere (the browser test builds into a tmp dir)

Nothing is executed and nothing is downloaded: Sphinx reads the notebooks' stored outputs through
MyST-NB, with the settings and style sheet in ``site/``. The notebooks, README.md, WORKSHOP.md and
HANDOUT.md stay the only sources. This script copies them into a staging folder
(``build/site/src``), changed only as a website needs:

- the README becomes the home page, with the site's table of contents (less its pointer to the
  site);
- a notebook's badge line (external badge images) becomes Colab, Binder and Kaggle links made by
  ``mnist_helpers/course.py`` as ``scripts/sync_badges.py`` makes them, and a link that downloads
  the committed notebook;
- each figure's ``*Figure: …*`` line, the last line of the Markdown cell before it, becomes the
  alt text of the figure's images (cell metadata that MyST-NB reads);
- a link to a file that is not a page of the site leads to the file on GitHub.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import importlib.util
import json
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
#: The site's settings (conf.py) and style sheet.
CONF = ROOT / "site"
OUT = ROOT / "_site"
STAGE = ROOT / "build" / "site"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: The pages besides the home page and the notebooks, in the order of the table of contents.
PAGES = ["WORKSHOP.md", "HANDOUT.md"]
#: A figure's text description, the last line of the Markdown cell before it (as
#: tests/test_notebooks.py checks).
FIGURE_TEXT = re.compile(r"^\*Figure: ([^*\n]{20,})\*$")
#: A badge: an image inside a link, ``[![alt][ref]](url)`` or ``[![alt](image)](url)``.
BADGE = re.compile(r"\[!\[([^\]]*)\](?:\[[^\]]*\]|\([^)]*\))\]\(([^)\s]+)\)")
#: A line of badges alone.
BADGE_LINE = re.compile(rf"^(?:{BADGE.pattern}[ \t]*)+$", re.M)
#: A reference definition of a badge's image, ``[colab-badge]: https://….svg``.
IMAGE_REFERENCE = re.compile(r"^\[[\w-]*badge[\w-]*\]: \S+\n", re.M)
#: A Markdown link's target, ``[text](target)``.
LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def load_sync_badges() -> ModuleType:
    """``scripts/sync_badges.py``: the badge line it writes, and the course's addresses."""
    spec = importlib.util.spec_from_file_location("sync_badges", ROOT / "scripts/sync_badges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plain(markdown: str) -> str:
    """Inline Markdown as plain text, for alt text: links keep their text, marks go."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[`*_]", "", text).strip()


def figure_text(cell: dict) -> str | None:
    """The description a Markdown cell gives the figure after it, or None."""
    if cell["cell_type"] != "markdown":
        return None
    lines = "".join(cell["source"]).strip().splitlines()
    found = FIGURE_TEXT.match(lines[-1].strip()) if lines else None
    return plain(found.group(1)) if found else None


def shows_a_figure(cell: dict) -> bool:
    return cell["cell_type"] == "code" and any(
        "image/png" in out.get("data", {}) for out in cell.get("outputs", [])
    )


def button_row(links: str) -> str:
    """Markdown links shown as a row of buttons (site/_static/course.css)."""
    return f"```{{container}} launch-buttons\n{links.strip()}\n```"


def launch_buttons(notebook: Path, course: ModuleType, download: str) -> str:
    """The line of links that replaces a notebook's badges: Colab, Binder, Kaggle, download."""
    name = notebook.name
    return button_row(
        f"[Open in Colab]({course.colab_url(name)}) "
        f"[Launch Binder]({course.binder_url(name)}) "
        f"[Open in Kaggle]({course.kaggle_url(name)}) "
        f"{{download}}`Download the notebook <{download}>`"
    )


def notebook_page(notebook: Path, staged: Path, badges: ModuleType, course: ModuleType) -> dict:
    """A notebook as the site shows it: launch links for badges, alt text for figures."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    first = nb["cells"][0]
    lines = "".join(first["source"]).split("\n")
    marks = [i for i, line in enumerate(lines) if line.startswith(badges.MARK)]
    if len(marks) != 1:
        raise ValueError(f"{notebook.name}: expected one badge line in the first cell, {marks}")
    download = os.path.relpath(notebook, staged.parent).replace(os.sep, "/")
    lines[marks[0]] = launch_buttons(notebook, course, download)
    first["source"] = "\n".join(lines)
    cells = nb["cells"]
    for number in range(1, len(cells)):
        before, cell = cells[number - 1], cells[number]
        if not shows_a_figure(cell):
            continue
        text = figure_text(before)
        if text is None:
            raise ValueError(
                f"{notebook.name}, cell {number}: a figure without a '*Figure: …*' line at the "
                "end of the Markdown cell before it (its alt text on the site)"
            )
        cell["metadata"].setdefault("mystnb", {}).setdefault("image", {})["alt"] = text
    return nb


def page_of(path: str) -> str | None:
    """The site's page for a repository path (README.md is the home page), or None."""
    if path == "README.md":
        return "index.md"
    if path in PAGES or path in {f"notebooks/{nb.name}" for nb in NOTEBOOKS}:
        return path
    return None


def relink(markdown: str, page: str, course: ModuleType) -> str:
    """A Markdown page's links as the site needs them: to another page of the site (README.md is
    index.md), or to GitHub for a file the site does not show. ``page`` is its repository path."""
    here = Path(page).parent

    def fix(match: re.Match) -> str:
        target = match.group(2)
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return match.group(0)
        path, hash_, anchor = target.partition("#")
        repo_path = os.path.normpath(here / path).replace(os.sep, "/")
        site_page = page_of(repo_path)
        if site_page is None:
            kind = "tree" if (ROOT / repo_path).is_dir() else "blob"
            new = f"https://github.com/{course.REPOSITORY}/{kind}/{course.BRANCH}/{repo_path}"
        else:
            new = os.path.relpath(site_page, here).replace(os.sep, "/")
        return f"{match.group(1)}{new}{hash_}{anchor}{match.group(3)}"

    return LINK.sub(fix, markdown)


def home_page(course: ModuleType) -> str:
    """README.md as the home page: badges as links, and the table of contents of the site. The
    paragraph that points to the site and its screenshots is left out: the reader is there."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    text = "\n\n".join(part for part in paragraphs if course.site_url() not in part)
    text = BADGE_LINE.sub(lambda m: button_row(BADGE.sub(r"[\1](\2)", m.group(0))), text)
    text = BADGE.sub(r"[\1](\2)", text)
    text = IMAGE_REFERENCE.sub("", text)
    text = relink(text, "README.md", course)
    notebooks = "\n".join(f"notebooks/{nb.stem}" for nb in NOTEBOOKS)
    pages = "\n".join(Path(p).stem for p in PAGES)
    return (
        text.rstrip()
        + "\n\n```{toctree}\n:hidden:\n:caption: Notebooks\n\n"
        + notebooks
        + "\n```\n\n```{toctree}\n:hidden:\n:caption: Teaching\n\n"
        + pages
        + "\n```\n"
    )


def write(path: Path, text: str) -> None:
    """Write ``text`` unless the file holds it already (Sphinx rebuilds only what changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def stage(src: Path) -> list[Path]:
    """Write the site's sources into ``src``; return them."""
    badges = load_sync_badges()
    course = badges.load_course(ROOT)
    written = [src / "index.md"]
    write(written[0], home_page(course))
    for name in PAGES:
        text = (ROOT / name).read_text(encoding="utf-8")
        write(src / name, relink(text, name, course))
        written.append(src / name)
    for notebook in NOTEBOOKS:
        staged = src / "notebooks" / notebook.name
        nb = notebook_page(notebook, staged, badges, course)
        write(staged, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        written.append(staged)
    keep = set(written)
    for old in [*src.rglob("*.md"), *src.rglob("*.ipynb")]:
        if old not in keep:
            old.unlink()  # a page that is gone from the course
    return written


def build(out: Path = OUT, stage_dir: Path = STAGE, quiet: bool = True) -> int:
    """Stage the sources and run Sphinx's HTML builder; warnings fail the build. Returns its
    exit status."""
    from sphinx.cmd.build import build_main

    src = stage_dir / "src"
    stage(src)
    args = ["-b", "html", "-c", str(CONF), "-d", str(stage_dir / "doctrees"), "-W"]
    args += ["--keep-going", "-j", "1", *(["-q"] if quiet else []), str(src), str(out)]
    return build_main(args)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) in a thread, as GitHub Pages serves the site;
    yields its address, ``http://127.0.0.1:PORT/``. For the browser test and the screenshots."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # no line per request
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="the HTML folder (default _site)")
    parser.add_argument("--stage", type=Path, default=STAGE, help="sources and Sphinx's cache")
    parser.add_argument("-v", "--verbose", action="store_true", help="Sphinx's progress")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    status = build(args.out, args.stage, quiet=not args.verbose)
    if status == 0:
        seconds = time.perf_counter() - start
        print(f"the site is in {args.out} ({seconds:.0f} s); open {args.out / 'index.html'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
