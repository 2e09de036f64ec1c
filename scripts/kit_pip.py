"""pip as if it ran on a learner's laptop: the wheels, and the dependencies, of another platform.

    python scripts/kit_pip.py --host                       this machine's TARGET and PYTHON
    python scripts/kit_pip.py --targets                    the TARGETs it knows
    python scripts/kit_pip.py TARGET PYTHON download ...   pip download for TARGET, Python PYTHON
    python scripts/kit_pip.py TARGET PYTHON install ...    (with --dry-run: does a kit resolve?)

TARGET is one of ``TARGETS`` (windows-x86_64, macos-arm64, linux-x86_64), PYTHON a version such
as 3.12. scripts/offline_kit.sh runs it; see there, and WORKSHOP.md's offline kit.

pip's ``--platform`` and ``--python-version`` choose which wheel files fit another machine, but
pip still evaluates environment markers, in requirements.txt (``; sys_platform == "win32"``) and
in every package's own dependencies (``pywinpty; os_name == "nt"``), against the interpreter that
runs it (pypa/pip issues 6117, 11010 and 13262; still so in pip 26.3). A kit for Windows made on
Linux would lack TensorFlow and Jupyter's terminal. So this script sets pip's marker environment
to the target's first, then runs pip with the target's wheel tags.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    platforms: tuple[str, ...]  # pip --platform tags, most specific first
    markers: dict[str, str]  # the PEP 508 marker values a learner's Python reports there


def _linux_tags() -> tuple[str, ...]:
    """glibc 2.28 and older (Debian 10, Ubuntu 20.04, RHEL 8 and later), old names included."""
    tags = [f"manylinux_2_{minor}_x86_64" for minor in range(28, 4, -1)]
    return (*tags, "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")


TARGETS = {
    "linux-x86_64": Target(
        _linux_tags(),
        {
            "os_name": "posix",
            "sys_platform": "linux",
            "platform_system": "Linux",
            "platform_machine": "x86_64",
        },
    ),
    "windows-x86_64": Target(
        ("win_amd64",),
        {
            "os_name": "nt",
            "sys_platform": "win32",
            "platform_system": "Windows",
            "platform_machine": "AMD64",
        },
    ),
    # macOS 12 or later (pip adds the older macosx_11_0 and universal2 tags itself)
    "macos-arm64": Target(
        ("macosx_12_0_arm64",),
        {
            "os_name": "posix",
            "sys_platform": "darwin",
            "platform_system": "Darwin",
            "platform_machine": "arm64",
        },
    ),
}


def host() -> tuple[str, str]:
    """This machine's target name and Python version, e.g. ``("linux-x86_64", "3.11")``."""
    systems = {"linux": "linux", "win32": "windows", "darwin": "macos"}
    system = systems.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}", f"{sys.version_info.major}.{sys.version_info.minor}"


def marker_environment(target: str, python: str) -> dict[str, str]:
    """The values environment markers see on ``target`` with Python ``python`` (e.g. "3.12")."""
    if target not in TARGETS:
        raise ValueError(f"a target among {', '.join(TARGETS)}, got {target!r}")
    if not python.count(".") == 1 or not python.replace(".", "").isdigit():
        raise ValueError(f"a Python version such as 3.12, got {python!r}")
    full = f"{python}.0"  # the oldest release of that version: markers rarely ask for more
    return {
        **TARGETS[target].markers,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": full,
        "python_version": python,
        "python_full_version": full,
        "platform_release": "",
        "platform_version": "",
    }


def pip_arguments(target: str, python: str, command: list[str]) -> list[str]:
    """``command`` (``["download", ...]``) with the target's wheel tags and Python version."""
    tags = [arg for tag in TARGETS[target].platforms for arg in ("--platform", tag)]
    return [
        *command,
        "--only-binary=:all:",
        *tags,
        "--python-version",
        python,
        "--implementation",
        "cp",
    ]


def run_pip(target: str, python: str, command: list[str]) -> int:
    from pip._internal.cli.main import main as pip_main
    from pip._vendor.packaging import markers

    environment = marker_environment(target, python)
    # Marker.evaluate() reads this module-level function on every call: in requirements.txt, in
    # each package's dependencies, in the resolver. Replacing it is the whole trick.
    markers.default_environment = lambda: dict(environment)
    return pip_main(pip_arguments(target, python, command))


if __name__ == "__main__":
    if sys.argv[1:] == ["--host"]:
        print(*host())
        sys.exit(0)
    if sys.argv[1:] == ["--targets"]:
        print(*TARGETS)
        sys.exit(0)
    if len(sys.argv) < 4:
        sys.exit(__doc__.split("\n\n")[1])
    try:
        marker_environment(sys.argv[1], sys.argv[2])
    except ValueError as error:
        sys.exit(f"kit_pip.py: {error}")
    sys.exit(run_pip(sys.argv[1], sys.argv[2], sys.argv[3:]))
