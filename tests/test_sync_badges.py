"""scripts/sync_badges.py rewrites stale launch links from mnist_helpers.course (the fork story)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import load_script

from mnist_helpers.course import REPOSITORY, badges_markdown, colab_url

ROOT = Path(__file__).resolve().parents[1]
sync_badges = load_script("sync_badges")

OLD = "someone/old-fork"


def test_sync_rewrites_a_stale_notebook(tmp_path):
    path = tmp_path / "05_demo.ipynb"
    stale_badges = badges_markdown("05_demo.ipynb").replace(REPOSITORY, OLD)
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": f"# Title\n\n{stale_badges}\n"},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "outputs": [],
                "source": f'%pip install "mnist-helpers @ git+https://github.com/{OLD}"\n',
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))
    assert sync_badges.sync(path) is True
    fixed = json.loads(path.read_text())
    assert badges_markdown("05_demo.ipynb") in "".join(fixed["cells"][0]["source"])
    assert f"git+https://github.com/{REPOSITORY}" in "".join(fixed["cells"][1]["source"])
    assert OLD not in path.read_text()
    assert sync_badges.sync(path) is False  # already in sync: nothing to write


def test_sync_rewrites_stale_readme_links(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"[x]({colab_url('01_a.ipynb').replace(REPOSITORY, OLD)})\n")
    assert sync_badges.sync_readme(readme) is True
    assert readme.read_text() == f"[x]({colab_url('01_a.ipynb')})\n"
    assert sync_badges.sync_readme(readme) is False
