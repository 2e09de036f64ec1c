"""binder/ follows repo2docker's rules and installs exactly the pins a local clone and CI use."""

from __future__ import annotations

import os
import re
from pathlib import Path

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
