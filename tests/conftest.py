"""Shared test set-up: headless matplotlib, closed figures, and a git tree left as it was found."""

from __future__ import annotations

import ast
import html
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def load_script(name: str) -> ModuleType:
    """A file of ``scripts/`` (provenance and upkeep) or ``benchmarks/`` (the measurements, beside
    their records) imported as a module, e.g. ``load_script("robustness")``."""
    paths = [ROOT / folder / f"{name}.py" for folder in ("scripts", "benchmarks")]
    (path,) = [path for path in paths if path.is_file()]  # one, in either folder
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def notebook_definitions(notebook: Path, names: set[str]) -> list[ast.stmt]:
    """The top-level ``def`` and ``class`` statements named ``names`` in a notebook's code cells.

    IPython's %magics and !commands (Colab's set-up) are not Python: they are read as ``pass``.
    """
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        text = load_script("sync_network").cell_code(cell)
        found += [
            node
            for node in ast.parse(text).body
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in names
        ]
    assert {node.name for node in found} == names, f"{notebook.name} should define " + ", ".join(
        sorted(names)
    )
    return found


@pytest.fixture(scope="module")
def predict():
    """The course's shipped model as ``predict(digits) -> probabilities``, loaded once a module."""
    from mnist_helpers.model import load_course_model

    model = load_course_model()
    return lambda x: model.predict(x, verbose=0)


def shown_lines(widget_html: str) -> list[str]:
    """What an HTML widget's ``value`` shows, one line a ``<div>``: tags dropped, entities read."""
    rows = re.findall(r"<div>(.*?)</div>", widget_html, re.S)
    return [html.unescape(re.sub(r"<[^>]*>", "", row)) for row in rows]


#: What ``to_mnist_peak_mib`` runs in a fresh process: the peak resident memory (VmHWM) before
#: and after reading one photo. (getrusage's ru_maxrss would not do: Linux carries the parent's
#: peak over to the child.)
_PEAK_CODE = (
    "import re, sys\n"
    "from mnist_helpers.external import to_mnist\n"
    "def peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    return int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)) // 1024\n"
    "before = peak()\n"
    "to_mnist(sys.argv[1])\n"
    "print(before, peak())\n"
)


def to_mnist_peak_mib(path: Path) -> tuple[int, int]:
    """The peak memory, in MiB, of a fresh Python before and after ``to_mnist(path)`` (Linux)."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_CODE, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    before, after = map(int, done.stdout.split())
    return before, after


def run_course_cli(
    *args: str, flags: tuple[str, ...] = (), **env: str
) -> subprocess.CompletedProcess:
    """``python -m mnist_helpers ARGS`` as a learner runs it: a fresh process, in the repository,
    without the caller's ``TF_*`` and ``MNIST_*`` settings (``env`` adds some back). ``flags`` go
    to Python itself (``-S``: no site-packages, as in a Python with nothing installed)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "MNIST_"))}
    return subprocess.run(
        [sys.executable, *flags, "-m", "mnist_helpers", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, **env},
        timeout=300,
    )


@pytest.fixture
def keras_too_old(monkeypatch):
    """``keras.models.load_model`` failing as Keras 3.10's does on a file saved by Keras 3.15."""
    import keras

    def older_keras(*args, **kwargs):
        raise TypeError("GlorotUniform.__init__() got an unexpected keyword argument 'input_axes'")

    monkeypatch.setattr(keras.models, "load_model", older_keras)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


#: Unit-test modules that run notebooks themselves: the longest, so scheduled first.
SLOW_MODULES = ("test_quick_mode.py", "test_browser.py")


def pytest_collection_modifyitems(config, items):
    """In ``make test``'s two workers (pytest-xdist; each takes one notebook or test file at a
    time, in collection order), longest first, so that the two finish together: the notebooks
    by their time in ``benchmarks/notebooks.json``, quick or full as ``MNIST_QUICK`` runs them
    (05's, the longest, starts at once), then the unit tests that run notebooks, then the rest.
    Within a file the order stays as written (nbval's cells). A plain ``pytest`` keeps the
    written order: unit tests first, so their failures show within minutes."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    from mnist_helpers.config import quick_mode

    mode = "quick" if quick_mode() else "full"
    record = ROOT / "benchmarks" / "notebooks.json"
    runs = (
        json.loads(record.read_text(encoding="utf-8")).get("notebooks", {})
        if record.exists()
        else {}
    )

    def rank(item) -> tuple[int, float]:
        if item.path.suffix == ".ipynb":
            run = (runs.get(item.path.name) or {}).get(mode) or {}
            return 0, -float(run.get("seconds") or 0.0)
        return (1, 0.0) if item.path.name in SLOW_MODULES else (2, 0.0)

    items.sort(key=rank)  # a stable sort: each file's own order is kept


def _git_status() -> str | None:
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None  # not a git checkout (an unpacked download): nothing to compare
    return out.stdout


def pytest_sessionstart(session):
    session.config._git_status_before = _git_status()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if the tests changed a tracked file or left an un-ignored file behind."""
    before = getattr(session.config, "_git_status_before", None)
    after = _git_status()
    if before is None or after is None or before == after:
        return
    new = sorted(set(after.splitlines()) - set(before.splitlines()))
    if not new:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            "The test run changed the git tree (gitignore run artefacts, never write tracked "
            "files):\n  " + "\n  ".join(new),
            red=True,
        )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
