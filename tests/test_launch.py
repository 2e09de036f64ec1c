"""Launch links and the Colab install: every badge opens a notebook that exists, and installing
the course package on Colab cannot replace Colab's TensorFlow, Keras or NumPy."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import tomllib

from mnist_helpers.course import BRANCH, REPOSITORY

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
COLAB = re.compile(
    r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/([\w.-]+)/([^)\s]+)"
)
BINDER = re.compile(
    r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/([\w.-]+)\?urlpath=lab%2Ftree%2F([^)\s]+)"
)


def launch_targets(text: str) -> list[tuple[str, str, str]]:
    found = [m.groups() for m in COLAB.finditer(text)]
    found += [(r, b, unquote(p)) for r, b, p in (m.groups() for m in BINDER.finditer(text))]
    return found


def test_every_badge_opens_an_existing_notebook_or_folder():
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in NOTEBOOKS]
    targets = [t for text in texts for t in launch_targets(text)]
    assert len(targets) >= 4 * len(NOTEBOOKS)  # README and notebook: Colab + Binder each
    for repo, branch, path in targets:
        assert (repo, branch) == (REPOSITORY, BRANCH), f"{repo}@{branch}: run sync_badges.py"
        assert (ROOT / path).exists(), f"a launch link points at {path}, which does not exist"


def test_colab_install_leaves_tensorflow_keras_and_numpy_alone():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()
        assert name not in {"tensorflow", "tensorflow-cpu", "keras"}, f"{requirement} on Colab"
        if name == "numpy":
            assert requirement.strip().lower() == "numpy", f"{requirement} pins Colab's NumPy"
