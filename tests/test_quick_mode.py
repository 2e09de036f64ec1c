"""Quick mode (MNIST_QUICK=1) runs every notebook to the end, asserts included.

nbval runs the notebooks too (in quick mode under ``make test``, in full with
``MNIST_QUICK=0``); this runs them the way Binder and short workshops do, so the quick switch
cannot rot, and checks that every lesson a notebook states
(``mnist_helpers.narrate.lesson``) went the way it teaches in quick mode too. Each run happens
in a temporary folder, so the results ledger it writes stays out of the repository. The course's
trained model is hidden (``MNIST_MODEL`` points nowhere), so notebook 06's fallback runs too. A
notebook whose Setup states its full run's memory need (``needs_mib``: those that train) is run
the way Binder runs it: no ``MNIST_QUICK``, a 2 GiB memory limit, and quick mode must switch
itself on.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from test_workshop import stated_need

from mnist_helpers.narrate import LESSON_KEY

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_in_quick_mode(path, tmp_path, monkeypatch):
    binder = stated_need(path) is not None
    if binder:  # as on mybinder.org: JupyterHub's MEM_LIMIT, BinderHub's variables, no choice made
        monkeypatch.delenv("MNIST_QUICK", raising=False)
        monkeypatch.setenv("MEM_LIMIT", str(2 * 1024**3))
        monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    else:
        monkeypatch.setenv("MNIST_QUICK", "1")
    monkeypatch.delenv("MNIST_RESULTS", raising=False)
    # no trained model: notebook 06 must fall back on training one (and 05 never ships in quick)
    monkeypatch.setenv("MNIST_MODEL", str(tmp_path / "missing.keras"))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, with the failing cell, if any cell fails
    setup = next(c for c in nb.cells if c.cell_type == "code")
    printed = "".join(out.get("text", "") for out in setup.outputs).lower()
    assert "quick mode on" in printed, "the Setup cell did not switch quick mode on"
    if binder:
        assert "switched on by itself" in printed and "binder" in printed
    # every comparison the notebook teaches went the way it teaches, quick as it was
    lessons = [
        out["metadata"][LESSON_KEY]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if LESSON_KEY in out.get("metadata", {})
    ]
    failed = [lesson["claim"] for lesson in lessons if not lesson["held"]]
    assert not failed, f"lessons quick mode contradicts: {failed}"
    if binder:  # the notebooks that train teach comparisons: at least one must be checked here
        assert lessons, "a training notebook stated no lesson in quick mode"
