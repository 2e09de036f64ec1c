"""Check the course on the stacks learners bring: Colab's older libraries, and Python 3.13.

    python benchmarks/compat.py                     # every stack (make compat)
    python benchmarks/compat.py --stack colab-2025  # one of them

For each stack it builds a virtual environment under ``.compat/<stack>/`` (reused while its
requirements are unchanged), installs the course package alone on top of that stack's libraries
(as a Colab Setup cell does: ``pip install`` of the package, which keeps what is installed), then

* executes every notebook in quick mode in a fresh kernel (``MNIST_QUICK=1``, results ledger in a
  temporary folder, nothing shipped), and looks in the stored outputs for TensorFlow's start-up
  noise (what ``tests/test_notebooks.py`` keeps out of the committed notebooks);
* runs the command line, ``python -m mnist_helpers predict --json``, on the course's 30 photos;
* loads the shipped model and measures it on MNIST's 10,000 test digits, saying how this Keras
  read it (rebuilt by ``keras.models.load_model``, or its weights read into ``course_cnn``).

The result is merged into ``benchmarks/compat.json`` with the date, the versions, and the SHA-256
of the shipped model file; ``tests/test_compat.py`` fails if the record is missing, shows a
failure, or names another model file than the one shipped. The first run installs TensorFlow
twice (the two environments took 2.7 and 2.4 GB of disk here); the notebooks then take about four
minutes a stack on a 2-core machine (each one's seconds are in the record), so it is not part of
``make test``: run it after changing the shipped model, the package's requirements, or the code
that loads the model (the README says when).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure_notebooks import execute_command  # noqa: E402

from mnist_helpers.config import TF_STARTUP_NOISE  # noqa: E402
from mnist_helpers.external import example_images  # noqa: E402
from mnist_helpers.files import file_sha256  # noqa: E402

RECORD = ROOT / "benchmarks" / "compat.json"
VENVS = ROOT / ".compat"
MODEL = ROOT / "mnist_helpers" / "data" / "course_model.keras"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: name -> (Python minor version, requirements file, what it stands for)
STACKS = {
    "colab-2025": (
        "3.11",
        ROOT / "benchmarks" / "compat" / "colab-2025.txt",
        "Google Colab in mid-2025: TensorFlow 2.19, Keras 3.10, NumPy 2.0.2, ipywidgets 7",
    ),
    "pinned-py3.13": (
        "3.13",
        ROOT / "requirements.txt",
        "the course's pinned requirements.txt on Python 3.13",
    ),
}

# What the notebooks' Colab cells install on top (ipycanvas: notebook 06's drawing pad).
EXTRA = ["ipycanvas"]

PROBE = """
import json, os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from importlib import metadata
def v(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
import keras
import mnist_helpers.network  # registers the course's own layer, as load_course_model does
from mnist_helpers import load_mnist, prepare_images
from mnist_helpers.model import COURSE_MODEL, load_course_model, _first_line
try:
    keras.models.load_model(COURSE_MODEL)
    read_by = "keras.models.load_model"
except Exception as err:
    read_by = "weights into course_cnn (load_model: " + _first_line(err) + ")"
model = load_course_model()
_, (x, y) = load_mnist()
probs = model.predict(prepare_images(x), batch_size=1000, verbose=0)
accuracy = float((probs.argmax(1) == y).mean())
print(json.dumps({
    "python": sys.version.split()[0],
    "versions": {n: v(n) for n in ("tensorflow", "tensorflow-cpu", "keras", "numpy",
                                   "ipywidgets", "ipycanvas", "matplotlib", "pillow")},
    "model": {"test_accuracy": round(accuracy, 4), "read_by": read_by},
}))
"""


def find_python(minor: str) -> str:
    """``python3.X`` on PATH, else pyenv's newest 3.X, else stop with what to do."""
    candidates = [shutil.which(f"python{minor}")]  # may be a pyenv shim that refuses to run
    pyenv = Path.home() / ".pyenv" / "versions"
    candidates += [
        str(v / "bin" / f"python{minor}") for v in sorted(pyenv.glob(f"{minor}.*"))[::-1]
    ]
    for exe in filter(None, candidates):
        if subprocess.run([exe, "-c", ""], capture_output=True).returncode == 0:
            return exe
    sys.exit(f"error: no Python {minor} found (python{minor} on PATH, or pyenv install {minor})")


def build_venv(name: str, minor: str, requirements: Path) -> Path:
    """The stack's virtual environment with the course package installed on top; reused while
    the requirements file and the package's pyproject.toml are unchanged."""
    venv = VENVS / name
    python = venv / "bin" / "python"
    stamp = venv / ".compat-stamp"
    want = file_sha256(requirements) + file_sha256(ROOT / "pyproject.toml")
    if not (stamp.exists() and stamp.read_text() == want and python.exists()):
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([find_python(minor), "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-r", str(requirements), *EXTRA], check=True)
        stamp.write_text(want)
    # the package alone, as Colab installs it (not editable: the code as it is now)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "course"
        shutil.copytree(
            ROOT,
            copy,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", ".compat", "runs", "build", "*.egg-info", "offline-kit"
            ),
        )
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--force-reinstall",
                "--no-deps",
                str(copy),
            ],
            check=True,
        )
        # its dependencies as pip resolves them against what the stack has (kept where satisfied)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(copy)], check=True)
    return python


def stderr_in(notebook: dict) -> list[str]:
    """Every line the executed notebook stored as standard error (warnings a learner would see)."""
    return [
        line
        for cell in notebook["cells"]
        for out in cell.get("outputs", [])
        if out.get("name") == "stderr"
        for line in "".join(out.get("text", "")).splitlines()
        if line.strip()
    ]


def noise_in(notebook: dict) -> list[str]:
    """TensorFlow start-up lines in the executed notebook's stored outputs."""
    found = []
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", ""))
            found += [line for line in text.splitlines() if TF_STARTUP_NOISE.search(line)]
    return found


def run_notebook(python: Path, notebook: Path, env: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(env, MNIST_RESULTS=str(Path(tmp) / "results.json"))
        started = time.perf_counter()
        run = subprocess.run(
            execute_command(str(python), notebook, tmp, timeout=1800),
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = round(time.perf_counter() - started, 1)
        executed = Path(tmp) / notebook.name
        stored = json.loads(executed.read_text()) if executed.exists() else {"cells": []}
        noise, stderr = noise_in(stored), stderr_in(stored)
    error = None
    if run.returncode != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        error = " | ".join(lines[-3:])[-600:]
    return {
        "passed": run.returncode == 0 and not noise,
        "seconds": seconds,
        "error": error,
        "noise": noise[:5],
        "stderr": stderr[:5],  # shown, not failed: warnings are the notebook tests' business
    }


def run_cli(python: Path, env: dict) -> dict:
    """The command line on the course's photos: every one read, as its label says."""
    photos = example_images(ROOT / "images" / "digits")
    truth = {path.name: label for path, label in photos}
    files = [str(path) for path, _ in photos]
    run = subprocess.run(
        [str(python), "-m", "mnist_helpers", "predict", "--json", *files],
        env=env,
        capture_output=True,
        text=True,
    )
    try:
        results = json.loads(run.stdout)
        right = sum(truth[Path(r["file"]).name] == r["digit"] for r in results)
    except (ValueError, KeyError, TypeError):
        results, right = [], 0
    return {
        "passed": run.returncode == 0 and run.stderr == "" and right == len(files),
        "exit_status": run.returncode,
        "right": right,
        "of": len(files),
        "stderr": run.stderr[-600:] or None,
    }


def check_stack(name: str) -> dict:
    minor, requirements, about = STACKS[name]
    print(f"== {name}: {about}", flush=True)
    python = build_venv(name, minor, requirements)
    env = dict(os.environ, MNIST_QUICK="1")
    for key in ("MNIST_SHIP_MODEL", "MNIST_MODEL", "MPLBACKEND", "VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(key, None)
    env["PATH"] = f"{python.parent}{os.pathsep}{env['PATH']}"
    probe = subprocess.run(
        [str(python), "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    entry = json.loads(probe.stdout.strip().splitlines()[-1])
    entry["stack"] = about
    entry["notebooks"] = {}
    for notebook in NOTEBOOKS:
        result = run_notebook(python, notebook, env)
        entry["notebooks"][notebook.name] = result
        status = "passed" if result["passed"] else f"FAILED: {result['error'] or result['noise']}"
        print(f"   {notebook.name}: {status} ({result['seconds']:.0f} s)", flush=True)
    entry["cli"] = run_cli(python, env)
    print(
        f"   command line: {entry['cli']['right']}/{entry['cli']['of']} photos read right, "
        f"exit status {entry['cli']['exit_status']}",
        flush=True,
    )
    print(
        f"   shipped model: {entry['model']['test_accuracy']:.2%} on the test digits, read by "
        f"{entry['model']['read_by']}",
        flush=True,
    )
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=sorted(STACKS), action="append")
    args = parser.parse_args(argv)
    record = json.loads(RECORD.read_text()) if RECORD.exists() else {"stacks": {}}
    model_hash = file_sha256(MODEL)
    if record.get("model_sha256") != model_hash:
        record["stacks"] = {}  # another model: the old results no longer speak for it
    record["model_file"] = str(MODEL.relative_to(ROOT))
    record["model_sha256"] = model_hash
    for name in args.stack or list(STACKS):
        entry = check_stack(name)
        entry["measured"] = time.strftime("%Y-%m-%d")
        record["stacks"][name] = entry
        RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    failed = [
        name
        for name, entry in record["stacks"].items()
        if not (entry["cli"]["passed"] and all(n["passed"] for n in entry["notebooks"].values()))
    ]
    print(f"written to {RECORD.relative_to(ROOT)}" + (f"; FAILED: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
