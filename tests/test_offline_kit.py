"""scripts/offline_kit.sh and scripts/kit_pip.py: a kit for another platform is resolved with that
platform's environment markers, not this machine's (pip alone would use this machine's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import load_script
from packaging.markers import Marker

ROOT = Path(__file__).resolve().parents[1]
kit_pip = load_script("kit_pip")


@pytest.mark.parametrize(
    ("target", "marker", "expected"),
    [
        ("windows-x86_64", 'sys_platform == "win32" and platform_machine == "AMD64"', True),
        ("windows-x86_64", 'os_name == "nt"', True),
        ("macos-arm64", 'sys_platform == "darwin" and platform_machine == "arm64"', True),
        ("linux-x86_64", 'sys_platform == "linux" and platform_machine == "x86_64"', True),
        ("linux-x86_64", 'platform_system == "Windows"', False),
        ("windows-x86_64", 'python_version >= "3.12"', True),
    ],
)
def test_markers_read_the_target_not_this_machine(target, marker, expected):
    assert Marker(marker).evaluate(kit_pip.marker_environment(target, "3.12")) is expected


def test_pip_gets_the_targets_wheel_tags_and_python():
    args = kit_pip.pip_arguments("windows-x86_64", "3.13", ["download", "-d", "w"])
    assert args[:3] == ["download", "-d", "w"]
    assert "--only-binary=:all:" in args
    assert args[args.index("--platform") + 1] == "win_amd64"
    assert args[args.index("--python-version") + 1] == "3.13"
    linux = kit_pip.pip_arguments("linux-x86_64", "3.12", [])
    assert "manylinux_2_28_x86_64" in linux and "manylinux_2_29_x86_64" not in linux


@pytest.mark.parametrize(("target", "python"), [("plan9-mips", "3.12"), ("windows-x86_64", "3")])
def test_an_unknown_target_or_python_is_refused(target, python):
    with pytest.raises(ValueError, match="got"):
        kit_pip.marker_environment(target, python)


def test_this_machine_is_named_like_a_target():
    target, python = kit_pip.host()
    assert python == f"{sys.version_info.major}.{sys.version_info.minor}"
    if sys.platform == "linux" and target.endswith("x86_64"):
        assert target in kit_pip.TARGETS


def resolve(tmp_path: Path, target: str, requirement: str) -> subprocess.CompletedProcess:
    """pip, through kit_pip.py, resolving one requirement from an empty folder, index off."""
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": ""}
    command = [sys.executable, str(ROOT / "scripts" / "kit_pip.py"), target, "3.12", "install"]
    command += ["--dry-run", "--ignore-installed", "--find-links", str(tmp_path), requirement]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def test_pip_itself_evaluates_markers_for_the_target(tmp_path):
    """A Windows-only requirement is wanted for Windows (and missing from the empty folder),
    skipped for Linux: pip saw the target's markers, whatever machine runs this test."""
    for_windows = resolve(tmp_path, "windows-x86_64", 'no-such-package; sys_platform == "win32"')
    assert for_windows.returncode != 0 and "no-such-package" in for_windows.stderr
    for_linux = resolve(tmp_path, "linux-x86_64", 'no-such-package; sys_platform == "win32"')
    assert for_linux.returncode == 0, for_linux.stderr
    assert "don't match your environment" in for_linux.stdout + for_linux.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--python", "3.10"], "the pins resolve on"),
        (["--for", "plan9-mips"], "a kit is for one of"),
    ],
)
def test_the_kit_script_refuses_what_it_cannot_build(tmp_path, arguments, message):
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "offline_kit.sh"), *arguments, str(tmp_path / "kit")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": sys.executable},
        check=False,
    )
    assert done.returncode == 2 and message in done.stderr
    assert not (tmp_path / "kit").exists()
