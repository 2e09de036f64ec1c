"""Sphinx settings of the course's website. ``make site`` (scripts/build_site.py) stages the
sources and runs Sphinx with this folder as its configuration directory.

The site loads nothing from another host: MathJax comes from a package and is served from
``_static/mathjax``, the theme's icons are its own, the notebooks' widgets show their saved text
instead of loading the widget JavaScript, and no badge images are shown.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
from build_site import load_sync_badges  # noqa: E402

course = load_sync_badges().load_course(HERE.parent)

project = "Handwritten digits with Keras"
author = "the course's authors"
html_title = "Handwritten digits with Keras"
root_doc = "index"
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# The notebooks are read with their stored outputs, never executed.
nb_execution_mode = "off"
# A widget (notebook 06's drawing pad) shows its saved text: its JavaScript would come from a CDN.
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
# $…$ formulas in the notebooks' Markdown; GitHub's heading anchors (WORKSHOP.md#the-offline-kit).
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_copy_source = False  # the download link gives the committed notebook itself
html_show_sourcelink = False
html_last_updated_fmt = None
html_context = {"default_mode": "light"}  # the figures are drawn on white
html_theme_options = {
    "repository_url": f"https://github.com/{course.REPOSITORY}",
    "repository_branch": course.BRANCH,
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "navbar_persistent": [],  # one search field, in the sidebar
    # the home page's table of notebooks takes the width of the page's own contents
    "secondary_sidebar_items": {"**": ["page-toc"], "index": []},
}
html_favicon = "_static/favicon.svg"

#: MathJax 3 from the sphinx-mathjax-offline package: its single-file build and the fonts it
#: loads, not the whole package (24 MB of files a page never asks for).
mathjax_path = "mathjax/tex-chtml.js"
MATHJAX_FILES = ["tex-chtml.js", "output/chtml/fonts/woff-v2"]


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("the site needs sphinx-mathjax-offline: see requirements-site.txt")
    source = Path(spec.origin).parent / "static" / "mathjax"
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source / name, target / name)


def keep_outputs_in_the_stage(app) -> None:
    """MyST-NB writes the notebooks' images next to the HTML folder (``_site/../jupyter_execute``,
    in the repository's root): into the staging folder beside Sphinx's cache instead."""
    folder = Path(app.doctreedir).parent / "jupyter_execute"
    app.env.mystnb_config = app.env.mystnb_config.copy(output_folder=str(folder))


def setup(app) -> None:
    app.connect("builder-inited", keep_outputs_in_the_stage, priority=600)  # after MyST-NB's
    app.connect("build-finished", copy_mathjax)
