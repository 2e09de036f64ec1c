"""Measure what each notebook costs to run: wall time and peak memory, full and quick mode.

    python benchmarks/measure_notebooks.py                # every notebook, full and quick
    python benchmarks/measure_notebooks.py --mode quick 05 06

Each notebook is executed headless in a fresh kernel under ``/usr/bin/time -v`` (GNU time). The
executed copy and the results ledger go to a temporary folder, so no tracked file changes (the
checkpoints and logs notebook 05 writes land in the git-ignored ``notebooks/runs/``). GNU time
reports the largest resident set size of the process tree it waited for, which is the notebook's
kernel. The figures go to ``benchmarks/notebooks.json`` (merged with what is there), with the
machine they were measured on; WORKSHOP.md's tables are built from that file and a test keeps
them in step.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mnist_helpers.config import SERVER_MIB  # noqa: E402
from mnist_helpers.ledger import load_results  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RESULTS = ROOT / "benchmarks" / "notebooks.json"
GNU_TIME = "/usr/bin/time"


def machine() -> dict:
    """The CPU the figures were measured on, and the versions that matter for speed."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import tensorflow as tf

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }


def parse_gnu_time(report: str) -> dict:
    """Peak memory (MiB), wall time and CPU time (s) from ``/usr/bin/time -v``'s report."""
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", report)
    user = re.search(r"User time \(seconds\): ([\d.]+)", report)
    system = re.search(r"System time \(seconds\): ([\d.]+)", report)
    if not (rss and wall and user and system):
        raise ValueError("not a GNU time -v report:\n" + report[-2000:])
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return {
        "peak_mib": round(int(rss.group(1)) / 1024),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(float(user.group(1)) + float(system.group(1)), 1),
    }


def execute_command(python: str, notebook: Path, out_dir: str, timeout: int = 3600) -> list[str]:
    """The command that executes ``notebook`` in a fresh kernel of ``python``, into ``out_dir``."""
    return [
        *(python, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute"),
        f"--ExecutePreprocessor.timeout={timeout}",
        *("--output-dir", out_dir, str(notebook)),
    ]


def slowest_cells(executed: dict, top: int = 5) -> list[dict]:
    """Where a run's time went: the ``top`` slowest code cells of an executed notebook, from the
    timestamps nbclient stores in each cell's metadata (``execution``), with the cell's index
    and first line.

    >>> slowest_cells(json.load(open("05_augmentation_callbacks.ipynb")), top=1)
    [{'cell': 28, 'first_line': 'EPOCHS_BEST = 2 if QUICK else 15', 'seconds': ...}]
    """
    from datetime import datetime

    timed = []
    for index, cell in enumerate(executed.get("cells", [])):
        stamps = cell.get("metadata", {}).get("execution", {})
        start, end = stamps.get("iopub.execute_input"), stamps.get("shell.execute_reply")
        if cell.get("cell_type") != "code" or not (start and end):
            continue
        seconds = (
            datetime.fromisoformat(end.replace("Z", "+00:00"))
            - datetime.fromisoformat(start.replace("Z", "+00:00"))
        ).total_seconds()
        source = "".join(cell.get("source", ""))
        first = next((line for line in source.splitlines() if line.strip()), "")
        timed.append({"cell": index, "first_line": first[:80], "seconds": round(seconds, 1)})
    return sorted(timed, key=lambda c: -c["seconds"])[:top]


def measure(notebook: Path, quick: bool) -> dict:
    """Execute one notebook in a fresh kernel and return its wall time and peak memory."""
    env = dict(os.environ, MNIST_QUICK="1" if quick else "0", MPLBACKEND="Agg")
    env.pop("MNIST_SHIP_MODEL", None)  # never overwrite the shipped model from here
    with tempfile.TemporaryDirectory() as tmp:
        env["MNIST_RESULTS"] = str(Path(tmp) / "results.json")
        command = [GNU_TIME, "-v", *execute_command(sys.executable, notebook, tmp)]
        started = time.time()
        run = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp)
        ledger = Path(env["MNIST_RESULTS"])
        trained = load_results(ledger) if ledger.exists() else []
        executed = Path(tmp) / notebook.name
        cells = slowest_cells(json.loads(executed.read_text())) if executed.exists() else []
    if run.returncode != 0:
        raise RuntimeError(f"{notebook.name} failed:\n{run.stderr[-3000:]}")
    figures = parse_gnu_time(run.stderr)
    # what the run reached: each model's test accuracy, from the results ledger it wrote
    figures["test_accuracy"] = {r["model"]: r["test_accuracy"] for r in trained}
    figures["measured"] = time.strftime("%Y-%m-%d", time.localtime(started))
    figures["slowest_cells"] = cells  # where the time goes (issue: the course in 15 minutes)
    return figures


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def render_table(data: dict) -> str:
    """The Markdown table WORKSHOP.md shows, built from the measurements alone."""
    rows = [
        "| Notebook | Full run | Peak memory | Quick run | Peak memory | CPU time (quick) "
        "| What the quick run reaches (test accuracy) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, runs in sorted(data["notebooks"].items()):
        full, quick = runs["full"], runs["quick"]
        reached = (
            "; ".join(f"{model}: {acc:.2%}" for model, acc in quick["test_accuracy"].items())
            or "trains nothing"
        )
        rows.append(
            f"| {name[:2]} | {_duration(full['seconds'])} | {full['peak_mib']:,} MiB "
            f"| {_duration(quick['seconds'])} | {quick['peak_mib']:,} MiB "
            f"| {_duration(quick['cpu_seconds'])} | {reached} |"
        )
    machine = data["machine"]
    rows.append("")
    rows.append(
        f"Measured on {machine['cores']} cores ({machine['cpu']}), Python {machine['python']}, "
        f"TensorFlow {machine['tensorflow']}, Keras {machine['keras']}; "
        f"on {min(r[m]['measured'] for r in data['notebooks'].values() for m in r)}."
    )
    return "\n".join(rows)


def render_sizing(data: dict, learners: int = 100, minutes: int = 5) -> str:
    """WORKSHOP.md's sizing for a hub where ``learners`` all run the heaviest quick notebook
    within the same ``minutes``, from the measurements alone."""
    runs = data["notebooks"]
    peak_name, peak = max(((n, r["quick"]["peak_mib"]) for n, r in runs.items()), key=_second)
    cpu_name, cpu = max(((n, r["quick"]["cpu_seconds"]) for n, r in runs.items()), key=_second)
    full_name, full_cpu = max(((n, r["full"]["cpu_seconds"]) for n, r in runs.items()), key=_second)
    full_peak = max(r["full"]["peak_mib"] for r in runs.values())
    per_learner = peak + SERVER_MIB
    limit_gib = math.ceil((per_learner + 512) / 512) / 2  # half a GiB spare, to a half GiB
    room_gib = learners * per_learner / 1024
    cores = math.ceil(learners * cpu / (minutes * 60))
    return "\n".join(
        [
            f"- **Memory.** The largest quick run peaks at {peak:,} MiB "
            f"(notebook {peak_name[:2]}); with Jupyter's {SERVER_MIB} MiB that is "
            f"{per_learner:,} MiB a learner. Set a limit of {limit_gib:g} GiB each, which "
            "leaves room for the learner's own experiments "
            "(TLJH: the memory limit of the tljh-repo2docker environment; Z2JH: "
            f"`singleuser.memory.limit: {limit_gib:g}G`). {learners} learners running the same "
            f"cell together need {room_gib:,.0f} GiB in all.",
            f"- **CPU.** The heaviest quick run (notebook {cpu_name[:2]}) costs {cpu:.0f} CPU "
            f"seconds. For {learners} learners who start it within the same minute to finish "
            f"within {minutes} minutes, the hub needs {cores} cores. Cap each learner at 2 "
            "(the environment's CPU limit; Z2JH: `singleuser.cpu.limit: 2`), the size of the "
            "machine these figures were measured on.",
            f"- **Full runs are for the teacher.** Notebook {full_name[:2]}'s full run costs "
            f"{full_cpu / 60:.0f} CPU minutes and the full runs peak at {full_peak:,} MiB: "
            f"{learners} learners would need {learners * full_cpu / 3600:,.0f} core-hours.",
        ]
    )


def _second(pair: tuple) -> float:
    return pair[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", help="notebook numbers (default: all)")
    parser.add_argument("--mode", choices=["full", "quick", "both"], default="both")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--table", action="store_true", help="print WORKSHOP.md's table")
    args = parser.parse_args(argv)
    if args.table:
        data = json.loads(args.out.read_text())
        print(render_table(data), render_sizing(data), sep="\n\n")
        return 0
    chosen = [nb for nb in NOTEBOOKS if not args.numbers or nb.name[:2] in args.numbers]
    if not chosen:
        parser.error(f"no notebook numbered {args.numbers}")
    modes = ["quick", "full"] if args.mode == "both" else [args.mode]

    data = json.loads(args.out.read_text()) if args.out.exists() else {}
    data["machine"] = machine()
    runs = data.setdefault("notebooks", {})
    for mode in modes:
        for nb in chosen:
            figures = measure(nb, quick=mode == "quick")
            runs.setdefault(nb.name, {})[mode] = figures
            print(
                f"{nb.name} {mode}: {figures['seconds']:.0f} s, {figures['peak_mib']} MiB",
                flush=True,
            )
            args.out.parent.mkdir(exist_ok=True)
            args.out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
