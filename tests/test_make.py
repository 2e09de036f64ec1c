"""``make`` with an unsupported Python stops at once, before any venv, naming what to use."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import tomllib
from conftest import SLOW_MODULES, pytest_collection_modifyitems
from test_workshop import MEASURED

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def fake_python(where: Path, answer: str, name: str = "") -> Path:
    """A stand-in interpreter in ``where``, named ``name`` (``python<answer>`` by default), that
    answers every call by echoing ``answer`` (a shell word: ``"$*"`` echoes its arguments)."""
    path = where / (name or f"python{answer}")
    path.write_text(f"#!/bin/sh\necho {answer}\n")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("version", ["3.10", "3.14", "2.7"])
def test_an_unsupported_python_stops_make_before_the_venv(tmp_path, version):
    python, venv = fake_python(tmp_path, version), tmp_path / "venv"
    done = make("install", f"PYTHON={python}", f"VENV={venv}")
    assert done.returncode != 0 and not venv.exists()
    assert done.stderr.splitlines()[:2] == [
        f"error: the course needs Python 3.11, 3.12 or 3.13, but {python} is Python {version}.",
        "  Name one that is: PYTHON=python3.12 make lab "
        "(or install one: pyenv install 3.12, or python.org).",
    ]


def test_a_missing_python_is_named(tmp_path):
    done = make("check-python", f"PYTHON={tmp_path / 'python9'}")
    assert done.returncode != 0
    assert "is not a Python that runs here." in done.stderr


def test_this_python_passes_the_check():
    done = make("check-python", f"PYTHON={sys.executable}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(": supported")


@pytest.mark.parametrize("mode, quick", [("quick", "1"), ("full", "0")])
def test_make_test_starts_the_longest_notebook_first(monkeypatch, mode, quick):
    """In ``make test``'s workers (pytest-xdist, which then takes whole files in collection
    order: pyproject's ``--dist loadscope --no-loadscope-reorder``) the notebooks come first,
    longest run first (quick or full, as ``MNIST_QUICK`` runs them) as benchmarks/notebooks.json
    measured them, each with its cells in order, then the unit tests that run notebooks, then
    the rest as written. A plain ``pytest`` keeps the written order."""
    monkeypatch.setenv("MNIST_QUICK", quick)
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert "--dist loadscope --no-loadscope-reorder" in addopts["pytest"]["ini_options"]["addopts"]
    record = MEASURED["notebooks"]
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    tests = [ROOT / "tests" / name for name in ("test_data.py", *SLOW_MODULES)]
    items = [SimpleNamespace(path=p, cell=c) for p in tests + notebooks for c in range(3)]
    written = list(items)
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    pytest_collection_modifyitems(None, items)
    assert items == written
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    pytest_collection_modifyitems(None, items)
    files = list(dict.fromkeys(item.path for item in items))
    by_time = sorted(notebooks, key=lambda p: -record[p.name][mode]["seconds"])
    assert files == by_time + tests[1:] + tests[:1]
    assert files[0].name.startswith("05_")  # the longest starts at once
    for path in files:
        assert [item.cell for item in items if item.path == path] == [0, 1, 2]


@pytest.mark.parametrize("asked, runs", [(None, "1"), ("0", "0"), ("1", "1")])
def test_make_test_runs_the_notebooks_in_quick_mode_unless_told_otherwise(tmp_path, asked, runs):
    """``make test`` (CI) runs nbval with ``MNIST_QUICK=1``, so every notebook runs in quick mode;
    ``MNIST_QUICK=0 make test`` runs them in full. The recipe runs here with a stand-in Python
    that prints what it was given (``-o lint``: the lint step is taken as done)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_python(bin_dir, '"MNIST_QUICK=$MNIST_QUICK $*"', name="python")
    env = {k: v for k, v in os.environ.items() if k != "MNIST_QUICK"}
    if asked is not None:
        env["MNIST_QUICK"] = asked
    done = make("-o", "lint", "test", f"BIN={bin_dir}", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"MNIST_QUICK={runs} -m pytest -n 2"


def test_make_lab_installs_no_test_tool_and_make_test_adds_them(tmp_path):
    """A learner's ``make lab`` installs requirements.txt alone; ``make test`` adds the test and
    lint tools of requirements-dev.txt, also to a venv that ``make lab`` made, and only once."""
    venv = tmp_path / "venv"

    def planned(target: str) -> str:
        return make("-n", target, f"VENV={venv}", f"PYTHON={sys.executable}").stdout

    lab, test = planned("lab"), planned("test")
    assert "-r requirements.txt" in lab and "requirements-dev" not in lab
    assert "-r requirements.txt" in test and "-r requirements-dev.txt" in test
    venv.mkdir()
    (venv / ".installed-stamp").touch()  # what make lab leaves
    after_lab = planned("test")
    assert "-r requirements-dev.txt" in after_lab and "-r requirements.txt" not in after_lab
    (venv / ".dev-installed-stamp").touch()  # what make test leaves
    assert "pip install" not in planned("test") + planned("lab")


def test_make_site_installs_the_sites_tools_alone(tmp_path):
    """``make site`` reads the committed notebooks: it needs Sphinx and MyST-NB
    (requirements-site.txt), not TensorFlow (requirements.txt), so a fresh clone builds the
    website in a minute or two; ``make test`` installs the same tools (requirements-dev.txt
    includes them) for the browser test of the site."""
    venv = tmp_path / "venv"
    site = make("-n", "site", f"VENV={venv}", f"PYTHON={sys.executable}").stdout
    assert "-r requirements-site.txt" in site and "-r requirements.txt" not in site
    assert "scripts/build_site.py" in site
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("-r requirements-site.txt") for line in dev)
