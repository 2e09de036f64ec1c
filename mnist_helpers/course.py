"""Where the course lives, and the launch badges derived from that one line.

A fork changes ``REPOSITORY`` (and ``BRANCH`` if needed), then runs
``python scripts/sync_badges.py`` to rewrite every notebook's badges. For a workshop,
``python scripts/sync_badges.py --ref TAG`` sets ``BRANCH`` to a tag and rewrites them all, so
every badge and the Colab and Kaggle install name that tag; ``--ref main`` goes back
(WORKSHOP.md).
"""

from __future__ import annotations

from urllib.parse import quote

REPOSITORY = "handwritten-digits/keras-mnist-course"
#: The branch or tag every launch link opens and the Colab (and Kaggle) install fetches.
BRANCH = "main"


def colab_url(notebook: str) -> str:
    """Open-in-Colab address of a notebook, e.g. ``colab_url("01_data_exploration.ipynb")``."""
    return (
        f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook}"
    )


def binder_url(notebook: str | None = None) -> str:
    """mybinder.org address that opens JupyterLab on ``notebooks/NOTEBOOK`` (or the folder)."""
    path = f"notebooks/{notebook}" if notebook else "notebooks"
    urlpath = quote(f"lab/tree/{path}", safe="")
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath={urlpath}"


def kaggle_url(notebook: str) -> str:
    """Open-in-Kaggle address of a notebook: Kaggle copies it from GitHub into a new notebook,
    e.g. ``kaggle_url("01_data_exploration.ipynb")``."""
    return (
        "https://kaggle.com/kernels/welcome?src=https://github.com/"
        f"{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook}"
    )


def site_url(page: str | None = None) -> str:
    """The course's website on GitHub Pages (``make site`` builds it; the ``pages`` workflow
    publishes it from main), or one page of it, e.g. ``site_url("notebooks/05_x.html")``."""
    owner, name = REPOSITORY.split("/")
    return f"https://{owner.lower()}.github.io/{name}/{page or ''}"


def install_url() -> str:
    """What the notebooks' Colab install hands to pip, e.g. ``git+https://github.com/O/R@main``."""
    return f"git+https://github.com/{REPOSITORY}@{BRANCH}"


def badges_markdown(notebook: str) -> str:
    """The Colab, Binder and Kaggle badges that open ``notebook``, as one line of Markdown."""
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({colab_url(notebook)}) "
        f"[![Launch Binder](https://mybinder.org/badge_logo.svg)]({binder_url(notebook)}) "
        f"[![Open in Kaggle](https://kaggle.com/static/images/open-in-kaggle.svg)]"
        f"({kaggle_url(notebook)})"
    )
