"""``make`` with an unsupported Python stops at once, before any venv, naming what to use."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True
    )


def fake_python(tmp_path: Path, version: str) -> Path:
    """A stand-in interpreter that answers every question with ``version``."""
    path = tmp_path / f"python{version}"
    path.write_text(f"#!/bin/sh\necho {version}\n")
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


def test_the_readme_and_the_makefile_name_the_same_versions():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "SUPPORTED_PYTHONS := 3.11 3.12 3.13" in makefile
    assert "You need Python 3.11, 3.12 or 3.13 and `make`" in readme
