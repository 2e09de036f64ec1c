"""How fast each of the course's trainings runs with oneDNN and XLA on or off, on this machine.

    python benchmarks/speed_levers.py            # every model, every setting (about 15 min here)
    python benchmarks/speed_levers.py 04_lenet   # one model
    python benchmarks/speed_levers.py --levers steps   # only steps_per_execution 1 against 50

Each measurement runs in a fresh process (``TF_ENABLE_ONEDNN_OPTS`` must be set before TensorFlow
loads): the model is built as its notebook builds it, trained for a few warm-up steps, then timed
over two epochs of 12,000 digits; the faster is reported as seconds per 54,000 digits (a full run's
90% training split; notebooks 02 and 03, which hold out 20%, train on 48,000) at the batch size the
notebook uses. 02's baseline stands for 03's dense network too (the same model and batch). XLA is
asked for with ``jit_compile=True``; ``jit`` in the record says whether Keras used it (it declines
for models whose layers XLA cannot compile, such as the random augmentation layers). The record
goes to ``benchmarks/speed_levers.json``; a second run on the same day adds its figures beside the
first, so the record shows how much a figure moves between runs (on a shared 2-core machine, by a
quarter or more for the small dense models; compare settings only where they differ by more). It is
a benchmark, not a test: use it to choose each notebook's ``quiet_startup(onednn=...)``.

``--levers steps`` measures a third lever with oneDNN on and XLA off, the course's settings:
``compile(steps_per_execution=50)``, which runs 50 training steps per call into TensorFlow
instead of one. It changes no result (the weights come out bit-identical; a test checks it), only
the Python overhead between steps, so it matters for small models in small batches; use it to
choose where the notebooks set it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "benchmarks" / "speed_levers.json"

# name -> (notebook, batch size, Python that builds the model with `keras` and `layers` in scope)
MODELS = {
    "02_dnn_baseline": (
        "02",
        32,
        "keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(),"
        " layers.Dense(128, activation='relu'), layers.Dense(64, activation='relu'),"
        " layers.Dense(10, activation='softmax')])",
    ),
    "02_mlp_512": (
        "02",
        128,
        "keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(),"
        " layers.Dense(512, activation='relu'), layers.Dropout(0.3),"
        " layers.Dense(512, activation='relu'), layers.Dropout(0.3),"
        " layers.Dense(10, activation='softmax')])",
    ),
    "03_cnn_classic": (
        "03",
        64,
        "keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation='relu'),"
        " layers.MaxPooling2D(), layers.Conv2D(64, 3, activation='relu'), layers.MaxPooling2D(),"
        " layers.Conv2D(64, 3, activation='relu'), layers.Flatten(),"
        " layers.Dense(128, activation='relu'), layers.Dense(10, activation='softmax')])",
    ),
    "03_cnn_better": (
        "03",
        128,
        "keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation='relu'),"
        " layers.MaxPooling2D(), layers.Dropout(0.25), layers.Conv2D(64, 3, activation='relu'),"
        " layers.MaxPooling2D(), layers.Dropout(0.25), layers.Conv2D(64, 3, activation='relu'),"
        " layers.Flatten(), layers.Dense(128, activation='relu'),"
        " layers.Dense(10, activation='softmax')])",
    ),
    "04_lenet": (
        "04",
        400,
        "keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(30, 5, activation='relu'),"
        " layers.MaxPooling2D(), layers.Conv2D(15, 3, activation='relu'), layers.MaxPooling2D(),"
        " layers.Flatten(), layers.Dense(500, activation='relu'), layers.Dropout(0.5),"
        " layers.Dense(10, activation='softmax')])",
    ),
    "05_tutorial_cnn": (
        "05",
        32,
        "keras.Sequential([keras.Input((28, 28, 1)), keras.Sequential(["
        " layers.RandomRotation(10 / 360, fill_mode='constant'),"
        " layers.RandomZoom(0.1, fill_mode='constant'),"
        " layers.RandomTranslation(0.1, 0.1, fill_mode='constant')]),"
        " layers.Conv2D(32, 3, activation='relu'), layers.BatchNormalization(),"
        " layers.MaxPooling2D(), layers.Conv2D(64, 3, activation='relu'),"
        " layers.BatchNormalization(), layers.MaxPooling2D(), layers.Flatten(),"
        " layers.Dense(128, activation='relu'), layers.Dropout(0.2),"
        " layers.Dense(10, activation='softmax')])",
    ),
    "05_best_cnn": ("05", 128, "__import__('mnist_helpers.model').model.course_cnn()"),
}

CHILD = """
import json, os, sys, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
from keras import layers
from mnist_helpers import load_mnist, prepare_images
batch, jit, steps = int(sys.argv[1]), sys.argv[2] == "on", int(sys.argv[4])
(x, y), _ = load_mnist()
x = prepare_images(x)[:12_000]
y = y[:12_000]
keras.utils.set_random_seed(1)
model = eval(sys.argv[3])
model.compile(
    optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
    jit_compile=jit, steps_per_execution=steps,
)
model.fit(x[: batch * 10], y[: batch * 10], batch_size=batch, epochs=1, verbose=0)  # warm up
times = []
for _ in range(2):  # the faster of two epochs: another process can slow one down
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    times.append(time.perf_counter() - start)
seconds = min(times)
print(json.dumps({"epoch_seconds": round(seconds * 54_000 / len(x), 1),
                  "jit": bool(model.jit_compile)}))
"""


#: (oneDNN, XLA, steps per execution) for each setting a run measures, by --levers
SETTINGS = {
    "onednn-xla": [(onednn, jit, 1) for onednn in (False, True) for jit in (False, True)],
    "steps": [(True, False, 1), (True, False, 50)],
}


def setting_name(onednn: bool, jit: bool, steps: int) -> str:
    """The record's key: ``onednn on, xla off`` (and ``, 50 steps per execution`` if not 1)."""
    name = f"onednn {'on' if onednn else 'off'}, xla {'on' if jit else 'off'}"
    return name if steps == 1 else f"{name}, {steps} steps per execution"


def measure(name: str, onednn: bool, jit: bool, steps: int = 1) -> dict:
    _, batch, build = MODELS[name]
    env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS="1" if onednn else "0")
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(batch), "on" if jit else "off", build, str(steps)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if run.returncode != 0:
        return {"error": run.stderr.strip().splitlines()[-1][:300]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", help=f"some of {', '.join(MODELS)} (default: all)")
    parser.add_argument(
        "--levers",
        choices=list(SETTINGS),
        default="onednn-xla",
        help="oneDNN and XLA on and off (default), or steps_per_execution 1 against 50",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.models) - set(MODELS))
    if unknown:
        parser.error(f"unknown model {unknown}: choose from {', '.join(MODELS)}")
    record = json.loads(RECORD.read_text()) if RECORD.exists() else {"models": {}}
    from importlib import metadata

    record["machine"] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "tensorflow": metadata.version("tensorflow-cpu"),
        "keras": metadata.version("keras"),
    }
    today = time.strftime("%Y-%m-%d")
    for name in args.models or list(MODELS):
        notebook, batch, _ = MODELS[name]
        entry = record["models"].get(name, {})
        if entry.get("measured") != today or entry.get("batch") != batch:
            entry = {}  # keep only today's runs: repeated runs show how much the figures move
        entry.update(notebook=notebook, batch=batch, measured=today)
        for onednn, jit, steps in SETTINGS[args.levers]:
            key = setting_name(onednn, jit, steps)
            runs = entry.get(key, [])
            runs = runs if isinstance(runs, list) else [runs]
            entry[key] = [*runs, measure(name, onednn, jit, steps)]
            print(f"{name:16s} {key}: {entry[key][-1]}", flush=True)
        record["models"][name] = entry
        RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
