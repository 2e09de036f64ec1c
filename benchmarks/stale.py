"""Which records in benchmarks/ no longer describe the files the course ships.

    python benchmarks/stale.py    # each record: ok, or what changed and what measures it again

``make benchmark`` runs it before and after measuring; it exits with status 1 when any record is
stale. Each record keeps a key of what it measured, and the key is compared with the file now:

* ``robustness.json``: a run of the shipped model (its SHA-256) whose ``to_mnist_code_sha256``
  is that of ``mnist_helpers/external.py``'s code now (``code_sha256``: comments and docstrings do
  not count, so re-wording one changes no key);
* ``best_model_seeds.json``: its seed-42 row is notebook 05's committed run, as the package's
  results snapshot (``mnist_helpers/data/course_results.json``) holds it;
* ``compat.json``: the SHA-256 of the shipped model (``tests/test_compat.py`` fails on it too: a
  Colab learner gets that model, so it must be checked on Colab's stack before it ships);
* ``offline_kit.txt``: the SHA-256 of ``requirements.txt``, the file the kit is made from;
* ``notebooks.json`` and ``speed_levers.json``: the TensorFlow and Keras that ``requirements.txt``
  pins (and for ``notebooks.json``, every notebook in both modes).

A stale record is not an error in the course: the figures are of an earlier file. The tests do not
fail on it (a comment in the package fails no test); this report says what to measure again.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # best_model_seeds, beside this file

MODEL = Path("mnist_helpers") / "data" / "course_model.keras"
RESULTS = Path("mnist_helpers") / "data" / "course_results.json"
PREPROCESSING = Path("mnist_helpers") / "external.py"  # to_mnist and the rules it refuses by


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_sha256(path: Path) -> str:
    """The SHA-256 of a Python file's code: its syntax tree without comments or docstrings.

    Re-wording a comment or a docstring, or re-flowing the code, keeps the hash; any change to
    what runs (a name, a number, a string that is not a docstring) changes it. The tree is
    written out by ``_dump`` rather than ``ast.dump``, whose text differs between Python 3.11,
    3.12 and 3.13 for the same code (3.12 added empty ``type_params``, 3.13 leaves out empty
    fields): the same file gets the same hash on every Python the course supports.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                if isinstance(first.value.value, str):
                    node.body = node.body[1:] or [ast.Pass()]
    return hashlib.sha256(_dump(tree).encode()).hexdigest()


def _dump(node: object) -> str:
    """A syntax tree as text, without positions and without empty fields."""
    if isinstance(node, ast.AST):
        fields = [
            f"{name}={_dump(value)}"
            for name, value in ast.iter_fields(node)
            if value is not None and value != []
        ]
        return f"{type(node).__name__}({', '.join(fields)})"
    if isinstance(node, list):
        return "[" + ", ".join(_dump(item) for item in node) + "]"
    return repr(node)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def robustness(root: Path) -> list[str]:
    record = _load(root / "benchmarks" / "robustness.json")
    shipped = file_sha256(root / MODEL)
    runs = {name: run for name, run in record.items() if run.get("model_sha256") == shipped}
    if not runs:
        return ["no run of the shipped model (another model file is shipped now)"]
    code = code_sha256(root / PREPROCESSING)
    return [
        f"{name!r}: measured with other to_mnist code ({PREPROCESSING} changed since)"
        for name, run in runs.items()
        if run.get("to_mnist_code_sha256") != code
    ]


def best_model_seeds(root: Path) -> list[str]:
    from best_model_seeds import NOTEBOOK_SEED, committed_run

    from mnist_helpers.ledger import load_results

    runs = _load(root / "benchmarks" / "best_model_seeds.json")["runs"]
    try:
        committed = committed_run(load_results(root / RESULTS))
    except StopIteration:
        return [f"{RESULTS} has no run of notebook 05's best model"]
    if [r for r in runs if r["seed"] == NOTEBOOK_SEED] != [committed]:
        return [f"the seed-{NOTEBOOK_SEED} row is not notebook 05's committed run ({RESULTS})"]
    return []


def compat(root: Path) -> list[str]:
    if _load(root / "benchmarks" / "compat.json").get("model_sha256") != file_sha256(root / MODEL):
        return ["checked another model file than the one shipped"]
    return []


def offline_kit(root: Path) -> list[str]:
    lines = (root / "benchmarks" / "offline_kit.txt").read_text(encoding="utf-8").splitlines()
    record = dict(line.split(": ", 1) for line in lines if ": " in line)
    if record.get("requirements_sha256") != file_sha256(root / "requirements.txt"):
        return ["made from another requirements.txt"]
    return []


def pinned(root: Path) -> dict[str, str]:
    """The TensorFlow and Keras versions that requirements.txt pins."""
    text = (root / "requirements.txt").read_text(encoding="utf-8")
    found = {
        name: re.search(rf"^{pattern}==([\w.]+)", text, re.M)
        for name, pattern in (("tensorflow", r"tensorflow(?:-cpu)?"), ("keras", "keras"))
    }
    return {name: match.group(1) for name, match in found.items() if match}


def _versions(machine: dict, root: Path) -> list[str]:
    return [
        f"measured with {name} {machine.get(name)}, and requirements.txt pins {version}"
        for name, version in pinned(root).items()
        if machine.get(name) != version
    ]


def notebooks(root: Path) -> list[str]:
    record = _load(root / "benchmarks" / "notebooks.json")
    shipped = sorted(p.name for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    runs = record.get("notebooks", {})
    problems = [
        f"{name}: not measured in {mode} mode"
        for name in shipped
        for mode in ("full", "quick")
        if mode not in runs.get(name, {})
    ]
    problems += [f"{name}: no such notebook now" for name in sorted(set(runs) - set(shipped))]
    return problems + _versions(record.get("machine", {}), root)


def speed_levers(root: Path) -> list[str]:
    return _versions(_load(root / "benchmarks" / "speed_levers.json").get("machine", {}), root)


#: record -> (its check, what measures it again)
CHECKS: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "robustness.json": (
        robustness,
        "python benchmarks/robustness.py; python benchmarks/robustness.py --split validation",
    ),
    "best_model_seeds.json": (
        best_model_seeds,
        "python benchmarks/best_model_seeds.py (it copies notebook 05's committed run)",
    ),
    "compat.json": (compat, "make compat"),
    "offline_kit.txt": (offline_kit, "make offline-kit"),
    "notebooks.json": (notebooks, "make benchmark"),
    "speed_levers.json": (speed_levers, "python benchmarks/speed_levers.py"),
}


def stale(root: Path = ROOT) -> dict[str, list[str]]:
    """Every record's problems (an empty list: it describes the shipped files)."""
    found = {}
    for name, (check, _) in CHECKS.items():
        path = root / "benchmarks" / name
        found[name] = check(root) if path.exists() else ["missing"]
    return found


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    found = stale(root)
    for name, problems in found.items():
        if not problems:
            print(f"ok     benchmarks/{name}")
            continue
        print(f"STALE  benchmarks/{name}: " + "; ".join(problems))
        print(f"       measure it again: {CHECKS[name][1]}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
