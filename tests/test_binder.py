"""binder/ follows repo2docker's rules and installs exactly the learner's pins, the ones a local
clone's ``make lab`` installs; the test tools (requirements-dev.txt) stay out of both."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def test_binder_pins_python_311():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_binder_has_no_second_list_of_packages_to_drift_apart():
    """With binder/ present repo2docker reads only binder/; a binder/requirements.txt or
    environment.yml there would be a second, drifting list. postBuild installs the main one."""
    assert not {"requirements.txt", "environment.yml", "Pipfile", "setup.py"} & {
        p.name for p in BINDER.iterdir()
    }


def test_postbuild_stops_on_error_and_installs_the_main_pins_and_the_package():
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "repo2docker runs postBuild only if it is executable"
    script = post.read_text()
    assert script.startswith("#!/bin/bash") and re.search(r"^set -e", script, re.M)
    assert re.search(r"pip install .*-r requirements\.txt$", script, re.M)
    assert re.search(r"pip install .*-e \.$", script, re.M)
    commands = [line for line in script.splitlines() if not line.startswith("#")]
    assert not [c for c in commands if "requirements-dev" in c], "Binder is for learners"


def _pins(name: str = "requirements.txt") -> dict[str, tuple[str, Requirement]]:
    """A requirements file as {name: (pinned version, requirement)}, for this platform's lines
    (its ``-r`` line, if any, not followed)."""
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        req = Requirement(line)
        (spec,) = req.specifier  # exactly one specifier per line...
        assert spec.operator == "==", f"{line}: pin an exact version (==)"  # ...and an exact one
        if req.marker is None or req.marker.evaluate():
            pins[canonicalize_name(req.name)] = (spec.version, req)
    return pins


def test_every_pin_resolved_to_exactly_that_version_here():
    """The environment these tests run in was installed from requirements-dev.txt, which adds the
    test tools to requirements.txt, the file Binder's postBuild installs: every pin of both must
    have resolved to itself, with no conflict left."""
    pins = _pins() | _pins("requirements-dev.txt")
    assert {"keras", "numpy", "jupyterlab"} <= pins.keys()
    assert pins.keys() & {"tensorflow", "tensorflow-cpu"}, "no TensorFlow line for this platform"
    for name, (version, _) in pins.items():
        assert metadata.version(name) == version, f"{name}: pinned {version}"
    check = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_each_platform_gets_one_tensorflow_of_one_version():
    """Binder builds Linux x86-64; learners bring Windows and Apple-silicon Macs. Each must get
    exactly one TensorFlow line, and all of them the same version."""
    lines = [
        Requirement(line.split("#", 1)[0])
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("tensorflow")
    ]
    platforms = [("linux", "x86_64"), ("win32", "AMD64"), ("darwin", "arm64")]
    for system, machine in platforms:
        where = {"sys_platform": system, "platform_machine": machine, "python_version": "3.11"}
        applying = [r for r in lines if r.marker is None or r.marker.evaluate(where)]
        assert len(applying) == 1, f"{system}/{machine}: {[str(r) for r in applying]}"
    assert len({str(r.specifier) for r in lines}) == 1


#: What only the tests and lint use (their import names), and their packages.
TEST_TOOLS = {
    "pytest": "pytest",
    "nbval": "nbval",
    "xdist": "pytest-xdist",
    "ruff": "ruff",
    "playwright": "playwright",
}


def test_the_test_tools_are_in_requirements_dev_only():
    """``make lab``, Binder and the offline kit install requirements.txt alone: a learner's
    environment has no test tools. requirements-dev.txt adds them on top of it, and only them."""
    dev = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert dev[0] == "-r requirements.txt"
    learner, tools = _pins(), _pins("requirements-dev.txt")
    assert set(tools) == {canonicalize_name(p) for p in TEST_TOOLS.values()}
    assert not set(learner) & set(tools)


def _imports(source: str) -> set[str]:
    """The top-level names ``source`` imports (IPython's %magics and !commands read as pass)."""
    lines = [
        line[: len(line) - len(line.lstrip())] + "pass"
        if line.lstrip().startswith(("%", "!"))
        else line
        for line in source.splitlines()
    ]
    names = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_and_the_notebooks_import_no_test_tool():
    """What a learner runs must import only what requirements.txt installs."""
    used = {}
    for path in sorted((ROOT / "mnist_helpers").glob("*.py")):
        used[path.name] = _imports(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        used[path.name] = set().union(*map(_imports, code))
    wrong = {name: sorted(names & set(TEST_TOOLS)) for name, names in used.items()}
    assert not {name: tools for name, tools in wrong.items() if tools}
