"""binder/ follows repo2docker's rules and installs exactly the pins a local clone and CI use."""

from __future__ import annotations

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


def _pins() -> dict[str, tuple[str, Requirement]]:
    """requirements.txt as {name: (pinned version, requirement)}, for this platform's lines."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        (spec,) = req.specifier  # exactly one specifier per line...
        assert spec.operator == "==", f"{line}: pin an exact version (==)"  # ...and an exact one
        if req.marker is None or req.marker.evaluate():
            pins[canonicalize_name(req.name)] = (spec.version, req)
    return pins


def test_every_pin_resolved_to_exactly_that_version_here():
    """The environment these tests run in was installed from requirements.txt, the file Binder's
    postBuild installs too: every pin must have resolved to itself, with no conflict left."""
    pins = _pins()
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
