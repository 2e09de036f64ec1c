"""``python -m mnist_helpers check``: is this computer ready for the course?

Each check returns :class:`Check` lines, which the command prints: the Python, the packages, the
shipped data and model, a photo read end to end, how fast this machine trains, and quick mode. A
failure says what is wrong and how to fix it, in one line. ``run_checks`` runs them in order, each
once what it needs has passed, and never raises.

Importing this module needs only the standard library. Under ``python -m mnist_helpers`` the
package imports it first, so that a start that fails (a Python without NumPy or matplotlib: the
wrong one, or nothing installed yet) is told in one line a problem, not a traceback
(:func:`explain_failed_start`).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import json
import math
import os
import statistics
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mnist_helpers.files import first_line
from mnist_helpers.timing import minutes_text

OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "skip"
HEADER = "Checking this computer for the handwritten-digit course (under a minute):"

#: The Makefile's SUPPORTED_PYTHONS (the pins resolve on these only); a test keeps them equal.
SUPPORTED_PYTHONS = ((3, 11), (3, 12), (3, 13))
#: What the notebooks need, by import name, with the name a learner knows.
REQUIRED = {
    "tensorflow": "TensorFlow",
    "keras": "Keras",
    "numpy": "NumPy",
    "matplotlib": "matplotlib",
    "scipy": "SciPy",
    "PIL": "Pillow",
    "sklearn": "scikit-learn",
    "seaborn": "seaborn",
}
#: What only notebook 06's widgets need: a warning where missing, not a failure.
OPTIONAL = {
    "ipywidgets": "notebook 06's upload button and drawing pad need it",
    "ipycanvas": "only notebook 06's drawing pad needs it (its upload button works without)",
}
#: The packages whose versions the report shows.
SHOWN = ("tensorflow", "keras", "numpy", "matplotlib", "ipywidgets", "ipycanvas")
INSTALL_HINT = (
    "run `pip install -r requirements.txt` in the course folder, or run this check with the "
    "course's .venv Python"
)

#: The course's model reads 99.5% of the test digits; below this, its weights are not right.
MIN_ACCURACY = 0.98

#: The speed test trains notebook 03's classic CNN (batch 64, Adam, oneDNN on, XLA off) as
#: benchmarks/speed_levers.py's "03_cnn_classic" does, and scales its time to 54,000 digits.
EPOCH_DIGITS = 54_000
BATCH = 64
#: The course's reference machine, for where ``benchmarks/`` is not (a pip install, Colab): the
#: median of speed_levers.json's 03_cnn_classic "onednn on, xla off" (12.0 and 12.2 s, the middle
#: two of four runs, 2026-11-22), the sum of notebooks.json's full runs of 03, 04 and 05 (257.3 +
#: 297.5 + 774.8 s, 2026-11-23) and its cores. tests/test_check.py keeps them equal to the records.
REFERENCE_EPOCH_SECONDS = 12.1
REFERENCE_FULL_SECONDS = 1329.6
REFERENCE_CORES = 2
FULL_RUNS = ("03_cnn", "04_lenet_dropout", "05_augmentation_callbacks")
#: The rule: a machine that trains more than 1.5 times slower than the reference is told to use
#: quick mode. Two runs on the reference itself differ by up to a quarter (11.7 to 14.4 s for this
#: CNN), so above 1.5 a machine is slower, not unlucky; and there the full runs of 03 to 05 take
#: over half an hour, as long as the longest block of WORKSHOP.md's timetable.
SLOWER_LIMIT = 1.5
QUICK_HINT = "use quick mode in the workshop (MNIST_QUICK=1, or quick=True in mh.setup)"
#: Each training notebook's ``mh.setup(needs_mib=...)``: the memory its full run was measured to
#: need; quick mode switches on by itself where a server has less.
NEEDS_MIB = {"02": 1_500, "03": 1_550, "04": 1_700, "05": 1_800}

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Check:
    """One line of the report: ``status`` is ok, warn, FAIL or skip; ``topic`` names the check."""

    status: str
    topic: str
    text: str

    @property
    def line(self) -> str:
        return f"{self.status:<4}  {self.text}"


@dataclass(frozen=True)
class Reference:
    """The course's reference machine: seconds per epoch of the speed test's CNN, seconds of the
    full runs of notebooks 03 to 05, and its CPU cores."""

    epoch_seconds: float
    full_seconds: float
    cores: int


def running_python() -> tuple[int, ...]:
    """The version of the Python running this check, e.g. ``(3, 11, 7)``."""
    return tuple(sys.version_info[:3])


def check_python(version: tuple[int, ...] | None = None) -> Check:
    """Whether this Python (or ``version``) is one the course supports: 3.11, 3.12 or 3.13.

    An older Python has no wheels for the pinned packages (NumPy 2.4 has none for 3.10), nor has a
    newer one (TensorFlow 2.21 none for 3.14): either fails, saying which Python to install.

    >>> check_python((3, 10, 4)).text
    'Python 3.10.4 is too old: install Python 3.11, 3.12 or 3.13, and make the .venv with it'
    """
    version = tuple(version or running_python())
    shown = ".".join(map(str, version))
    *first, last = (f"{major}.{minor}" for major, minor in SUPPORTED_PYTHONS)
    fix = f"install Python {', '.join(first)} or {last}, and make the .venv with it"
    if version[:2] < SUPPORTED_PYTHONS[0]:
        return Check(FAIL, "python", f"Python {shown} is too old: {fix}")
    if version[:2] > SUPPORTED_PYTHONS[-1]:
        return Check(FAIL, "python", f"Python {shown} is too new for the course's packages: {fix}")
    return Check(OK, "python", f"Python {shown} ({sys.executable})")


def import_packages(names: tuple[str, ...] = (*REQUIRED, *OPTIONAL)) -> dict[str, Any]:
    """Import each package and return ``{name: its version}``, or the ``ImportError`` it raised.

    TensorFlow starts quietly (``quiet_startup``), so none of its notices reach the screen. A
    package that breaks in another way while it starts (a bad DLL) counts as an ``ImportError``.

    >>> import_packages(("numpy", "nothing_here"))
    {'numpy': '2.4.6', 'nothing_here': ModuleNotFoundError("No module named 'nothing_here'")}
    """
    from mnist_helpers.config import quiet_startup

    found: dict[str, Any] = {}
    for name in names:
        try:
            with quiet_startup(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(name)
            found[name] = str(getattr(module, "__version__", "(version unknown)"))
        except ImportError as err:
            found[name] = err
        except Exception as err:
            found[name] = ImportError(first_line(err))
    return found


def not_installed(names: list[str]) -> Check:
    """The one FAIL line for the required packages ``names`` (import names) missing here.

    >>> not_installed(["tensorflow"]).text
    'TensorFlow is not installed for /usr/bin/python3: run `pip install -r requirements.txt` …'
    """
    listed = ", ".join(REQUIRED.get(name, name) for name in names)
    verb = "is" if len(names) == 1 else "are"
    text = f"{listed} {verb} not installed for {sys.executable}: {INSTALL_HINT}"
    return Check(FAIL, "packages", text)


def check_packages(found: dict[str, Any]) -> list[Check]:
    """The report's package lines from ``import_packages``: the versions, then one line a problem.

    The missing required packages share one FAIL line; one that is there but does not import gets
    its own, with the first line of its error; Keras 2 fails (the course is Keras 3); a missing
    optional package is a warning that says what it is for.

    >>> for check in check_packages({"numpy": "2.4.6", "ipycanvas": ModuleNotFoundError(
    ...         "No module named 'ipycanvas'", name="ipycanvas")}):
    ...     print(check.line)
    ok    NumPy 2.4.6
    warn  ipycanvas is not installed: only notebook 06's drawing pad needs it (…)
    """
    missing = [
        name
        for name, got in found.items()
        if isinstance(got, ModuleNotFoundError) and got.name in (name, None)
    ]
    shown = [f"{REQUIRED.get(n, n)} {found[n]}" for n in SHOWN if isinstance(found.get(n), str)]
    checks = [Check(OK, "packages", ", ".join(shown))] if shown else []
    if any(name in REQUIRED for name in missing):
        checks.append(not_installed([name for name in missing if name in REQUIRED]))
    for name, got in found.items():
        if name in missing or not isinstance(got, ImportError):
            continue
        if isinstance(got, ModuleNotFoundError) and (got.name or "").split(".")[0] in missing:
            continue  # it needs a package already named as missing (Keras without TensorFlow)
        what = f"{REQUIRED.get(name, name)} is installed but does not import ({first_line(got)})"
        checks.append(
            Check(FAIL if name in REQUIRED else WARN, "packages", f"{what}: {INSTALL_HINT}")
        )
    keras = found.get("keras")
    if isinstance(keras, str) and not keras.startswith("3."):
        text = f"Keras {keras} is too old, the course needs Keras 3: {INSTALL_HINT}"
        checks.append(Check(FAIL, "packages", text))
    for name, why in OPTIONAL.items():
        if name in missing:
            text = f"{name} is not installed: {why}; `pip install {name}` adds it"
            checks.append(Check(WARN, "packages", text))
    return checks


def check_data() -> tuple[Check, Any]:
    """Load the shipped MNIST with every SHA-256 digest verified: the line, and the arrays or None.

    A missing or damaged file fails with ``load_mnist``'s message, which says how to restore it.

    >>> check, ((x_train, y_train), (x_test, y_test)) = check_data()
    >>> check.text
    'MNIST data: 70,000 digits, every array matching its SHA-256 digest'
    """
    from mnist_helpers.data import MnistDataError, load_mnist

    try:
        arrays = load_mnist()
    except (FileNotFoundError, MnistDataError) as err:
        return Check(FAIL, "data", str(err)), None
    count = len(arrays[0][0]) + len(arrays[1][0])
    text = f"MNIST data: {count:,} digits, every array matching its SHA-256 digest"
    return Check(OK, "data", text), arrays


def check_model(test: tuple[Any, Any] | None, sample: int = 2_000) -> tuple[Check, Any]:
    """Load the course's model (or ``$MNIST_MODEL``'s) and read ``sample`` test digits with it.

    Returns the line and the model (None where it does not load). ``test`` is ``(x_test,
    y_test)``; without it the model is only loaded. The digits are every n-th of the test set, so
    the figure is the same on every run; below ``MIN_ACCURACY`` the check fails.

    >>> check_model((x_test, y_test))[0].text
    "the course's model (course_model.keras) reads 99.60% of 2,000 test digits right"
    """
    import numpy as np

    from mnist_helpers.data import prepare_images
    from mnist_helpers.model import MODEL_ENV, MODEL_HINT, ModelLoadError, load_course_model

    chosen = os.environ.get(MODEL_ENV)
    unset = f"unset {MODEL_ENV} to use the course's model"
    try:
        with _quiet():
            model = load_course_model()
    except FileNotFoundError as err:
        text = f"{MODEL_ENV} is {chosen}, which does not exist: {unset}" if chosen else str(err)
        return Check(FAIL, "model", text), None
    except ModelLoadError as err:
        return Check(
            FAIL, "model", f"{MODEL_ENV} is set ({unset}): {err}" if chosen else str(err)
        ), None
    name = f"the model in {MODEL_ENV}" if chosen else "the course's model (course_model.keras)"
    if test is None:
        return Check(OK, "model", f"{name} loads; not tried on test digits (no data)"), model
    x, y = test
    step = max(1, len(x) // sample)
    x, y = x[::step][:sample], y[::step][:sample]
    with _quiet():
        probs = model.predict(prepare_images(x), batch_size=500, verbose=0)
    accuracy = float(np.mean(np.argmax(probs, axis=1) == y))
    text = f"{name} reads {accuracy:.2%} of {len(y):,} test digits right"
    if accuracy < MIN_ACCURACY:
        text += f", not the {MIN_ACCURACY:.0%} it should: its file is wrong. {MODEL_HINT}"
        return Check(FAIL, "model", text), model
    return Check(OK, "model", text), model


def on_paper(digit: Any, scale: int = 8) -> Any:
    """An MNIST digit as a photo shows one: dark ink, ``scale`` times bigger, off-centre on paper.

    Stands in for the course's photos where there are none (a pip install, Colab): a (360, 480)
    uint8 array, which ``to_mnist`` reads as it reads a photo.

    >>> on_paper(x_test[0]).shape
    (360, 480)
    """
    import numpy as np

    ink = np.kron(np.asarray(digit, np.float32) / 255, np.ones((scale, scale), np.float32))
    paper = np.full((360, 480), 0.93, np.float32)
    top, left = 40, 150
    paper[top : top + ink.shape[0], left : left + ink.shape[1]] -= 0.8 * ink
    return np.round(paper * 255).astype(np.uint8)


def check_photo(model: Any, fallback: tuple[Any, int] | None = None, folder: Any = None) -> Check:
    """Read the first of the course's photos (``images/digits/``, or ``folder``) with ``model``.

    The photos come with a clone of the course, not with a pip install: where there are none, a
    test digit ``fallback = (digit, label)`` drawn on white paper (:func:`on_paper`) goes through
    the same steps, ``to_mnist`` and the model. A photo that cannot be read fails; one read as
    another digit than its label is a warning.

    >>> check_photo(model).text
    'a photo: images/digits/0_scan.png read as 0 (100.0%)'
    """
    from mnist_helpers.external import example_images, to_mnist
    from mnist_helpers.model import predict_digits

    try:
        photos = [(path, label) for path, label in example_images(folder) if path.is_file()]
    except FileNotFoundError:
        photos = []
    if photos:
        source, label = photos[0]
        what = f"a photo: {_shown(source)}"
    elif fallback is not None:
        source, label = on_paper(fallback[0]), int(fallback[1])
        what = "a photo: no photos here (a clone of the course has them); a digit drawn on paper"
    else:
        return Check(SKIP, "photo", "a photo: none here, and no test digit to draw one (no data)")
    try:
        digit = to_mnist(source)
    except (ValueError, OSError) as err:
        return Check(FAIL, "photo", f"{what} cannot be read ({err}): {INSTALL_HINT}")
    with _quiet():
        [[(read, probability)]] = predict_digits(model, digit[None], top=1)
    text = f"{what} read as {read} ({probability:.1%})"
    if read != label:
        return Check(WARN, "photo", f"{text}, but it is a {label}")
    return Check(OK, "photo", text)


def time_epoch(steps: int = 40, warmup: int = 5) -> float:
    """Seconds one 54,000-digit training epoch of notebook 03's classic CNN takes here.

    Trains the CNN on random digits (speed does not depend on the pixels) for ``warmup`` steps,
    which build the training function, then times ``steps`` more and scales their median to an
    epoch (a step that a busy machine held up does not count): ``benchmarks/speed_levers.py``'s
    measurement, in a few seconds.

    >>> time_epoch(steps=40)
    12.3
    """
    import keras
    import numpy as np
    from keras import layers

    rng = np.random.default_rng(0)
    n = (warmup + steps) * BATCH
    x, y = rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, n)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ends: dict[int, float] = {}
    clock = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: ends.setdefault(batch, time.perf_counter())
    )
    with _quiet():
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False, callbacks=[clock])
    times = [ends[batch] for batch in range(warmup - 1, warmup + steps)]
    per_step = statistics.median(b - a for a, b in zip(times, times[1:], strict=False))
    return per_step * math.ceil(EPOCH_DIGITS / BATCH)


def reference_machine(folder: Path | None = None) -> Reference:
    """The course's reference machine, from the records in ``benchmarks/`` (or ``folder``).

    Reads ``speed_levers.json`` (the median of the 03_cnn_classic runs with oneDNN on and XLA off,
    the speed test's settings) and ``notebooks.json`` (the full runs of 03 to 05). Where they are
    missing or unreadable, the constants above, copied from them.

    >>> reference_machine()
    Reference(epoch_seconds=12.1, full_seconds=1329.6, cores=2)
    """
    folder = REPO_ROOT / "benchmarks" if folder is None else Path(folder)
    try:
        levers = json.loads((folder / "speed_levers.json").read_text(encoding="utf-8"))
        runs = json.loads((folder / "notebooks.json").read_text(encoding="utf-8"))
        epochs = [
            run["epoch_seconds"] for run in levers["models"]["03_cnn_classic"]["onednn on, xla off"]
        ]
        full = sum(runs["notebooks"][f"{name}.ipynb"]["full"]["seconds"] for name in FULL_RUNS)
        return Reference(
            round(statistics.median(epochs), 2), round(full, 1), int(levers["machine"]["cores"])
        )
    except (OSError, ValueError, KeyError, TypeError, statistics.StatisticsError):
        return Reference(REFERENCE_EPOCH_SECONDS, REFERENCE_FULL_SECONDS, REFERENCE_CORES)


def speed_verdict(seconds: float, reference: Reference | None = None) -> Check:
    """What ``seconds`` per epoch (``time_epoch``) mean for the day, against the reference machine.

    More than ``SLOWER_LIMIT`` times slower than the reference: a warning to use quick mode, with
    the time the full runs of 03 to 05 would take here. Otherwise, full runs fit.

    >>> speed_verdict(24.2, Reference(12.1, 1329.6, 2)).line
    "warn  training speed: 24.2 s per epoch of notebook 03's CNN (54,000 digits), 2.0x slower
    than the course's 2-core reference (12.1 s): full runs of 03 to 05 would take about 44 min
    here; use quick mode in the workshop (MNIST_QUICK=1, or quick=True in mh.setup)"
    """
    ref = reference or reference_machine()
    ratio = seconds / ref.epoch_seconds
    if ratio > 1.1:
        compared = f"{ratio:.1f}x slower than"
    elif ratio < 1 / 1.1:
        compared = f"{1 / ratio:.1f}x faster than"
    else:
        compared = "about as fast as"
    text = (
        f"training speed: {seconds:.1f} s per epoch of notebook 03's CNN ({EPOCH_DIGITS:,} "
        f"digits), {compared} the course's {ref.cores}-core reference ({ref.epoch_seconds:.1f} s)"
    )
    full = minutes_text(ref.full_seconds * ratio)
    if ratio > SLOWER_LIMIT:
        text += f": full runs of 03 to 05 would take about {full} here; {QUICK_HINT}"
        return Check(WARN, "speed", text)
    return Check(OK, "speed", f"{text}: full runs fit, 03 to 05 take about {full} here")


def check_quick_mode() -> Check:
    """Whether the notebooks will run in quick mode here, and why (``quick_mode``'s own rules).

    ``MNIST_QUICK`` decides where it is set (a value it does not understand fails); unset, quick
    mode switches on by itself on Binder or where memory is short of a notebook's full run. A
    notebook's ``mh.setup(quick=...)`` overrides both.

    >>> check_quick_mode().text
    'quick mode: off (MNIST_QUICK is not set, and the memory here fits full runs)'
    """
    from mnist_helpers.config import QUICK_ENV, SERVER_MIB, memory_limit_mib, on_binder, quick_mode

    value = os.environ.get(QUICK_ENV, "").strip()
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its "switched on by itself" notices
            on = [notebook for notebook, mib in NEEDS_MIB.items() if quick_mode(needs_mib=mib)]
    except ValueError as err:
        text = f"{err}: set it to 1 (quick) or 0 (full runs), or unset it"
        return Check(FAIL, "quick mode", text)
    if value:
        return Check(OK, "quick mode", f"quick mode: {'on' if on else 'off'} ({QUICK_ENV}={value})")
    if not on:
        text = f"quick mode: off ({QUICK_ENV} is not set, and the memory here fits full runs)"
        return Check(OK, "quick mode", text)
    if on_binder():
        why = "this is a Binder session: 2 GB at most, shared CPUs"
    else:
        why = f"this server may use {memory_limit_mib():,} MiB, less than their full runs need"
        why += f" with Jupyter's {SERVER_MIB}"
    where = f"notebook {on[0]}" if len(on) == 1 else f"notebooks {', '.join(on)}"
    text = f"quick mode: on by itself in {where} ({why}); {QUICK_ENV}=0 forces full runs"
    return Check(OK, "quick mode", text)


def run_checks(*, timing: bool = True, sample: int = 2_000, steps: int = 40) -> Iterator[Check]:
    """Every check, in order, each line as soon as it is known; never raises.

    A check that needs what failed before it is skipped (no model without Keras, no photo without
    the model); ``timing=False`` skips the speed test. ``sample`` test digits measure the model's
    accuracy, ``steps`` training steps the speed. A bug in a check ends the run with a FAIL line.

    >>> for check in run_checks(timing=False):
    ...     print(check.line)
    """
    topic = "python"
    try:
        yield check_python()
        topic = "packages"
        found = import_packages()
        yield from check_packages(found)
        keras = isinstance(found["tensorflow"], str) and str(found["keras"]).startswith("3.")
        topic = "data"
        data, arrays = check_data()
        yield data
        topic, model = "model", None
        if keras:
            checked, model = check_model(arrays[1] if arrays else None, sample)
            yield checked
        else:
            yield Check(SKIP, topic, "the course's model: not tried, it needs TensorFlow and Keras")
        topic = "photo"
        if model is None:
            yield Check(SKIP, topic, "a photo: not tried, it needs the model")
        else:
            yield check_photo(model, (arrays[1][0][0], arrays[1][1][0]) if arrays else None)
        topic = "speed"
        if not timing:
            yield Check(SKIP, topic, "training speed: not measured (--quick)")
        elif not keras:
            yield Check(SKIP, topic, "training speed: not measured, it needs TensorFlow and Keras")
        else:
            yield speed_verdict(time_epoch(steps=steps))
        topic = "quick mode"
        yield check_quick_mode()
    except Exception as err:
        yield Check(FAIL, topic, f"the {topic} check failed unexpectedly: {_report(err)}")


def summary(checks: list[Check]) -> tuple[str, int]:
    """The report's last line and the command's exit status: 1 if any check failed, else 0.

    >>> summary([Check("ok", "python", "Python 3.11.7")])
    ('Ready for the course.', 0)
    """
    failed = sum(check.status == FAIL for check in checks)
    warned = sum(check.status == WARN for check in checks)
    if failed:
        what = "1 check failed: fix it" if failed == 1 else f"{failed} checks failed: fix them"
        return f"Not ready: {what} (FAIL above), then run this check again.", 1
    if warned:
        what = "1 warning" if warned == 1 else f"{warned} warnings"
        return f"Ready for the course, with {what} (warn above).", 0
    return "Ready for the course.", 0


def explain_failed_start(kind: type[BaseException], err: BaseException, tb: Any) -> None:
    """``sys.excepthook`` while ``python -m mnist_helpers`` starts: no traceback, a line a problem.

    The package imports NumPy, matplotlib, SciPy and Pillow as it starts, so where one is missing
    the command line cannot start. This prints what the check says of the Python and of the
    required packages it cannot find (FAIL lines and the summary for ``check``, ``error:`` lines
    on standard error for the other commands), or else the error itself; Python exits with 1.
    """
    if issubclass(kind, KeyboardInterrupt):
        print("error: interrupted", file=sys.stderr)
        return
    gone = []
    for name in REQUIRED:
        with contextlib.suppress(ImportError, ValueError):
            if importlib.util.find_spec(name) is None:
                gone.append(name)
    problems = [found for found in [check_python()] if found.status == FAIL]
    problems += [not_installed(gone)] if gone else []
    if not problems:
        problems = [Check(FAIL, "start", f"the course's package cannot start: {_report(err)}")]
    if sys.argv[1:2] == ["check"]:
        print("\n".join([HEADER, *(problem.line for problem in problems), summary(problems)[0]]))
    else:
        print("\n".join(f"error: {problem.text}" for problem in problems), file=sys.stderr)


def _report(err: BaseException) -> str:
    """What an unforeseen error says: itself, in one line, and where to report it."""
    from mnist_helpers.course import REPOSITORY

    return f"{first_line(err)} (please report it at https://github.com/{REPOSITORY}/issues)"


def _shown(path: Path) -> str:
    """``path`` relative to the current folder where it is below it, as a learner would type it."""
    with contextlib.suppress(ValueError):
        return str(Path(path).resolve().relative_to(Path.cwd()))
    return str(path)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """TensorFlow's and Keras's notices off standard error, Python's warnings off, in the block."""
    from mnist_helpers.config import quiet_stderr

    with quiet_stderr(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


if sys.argv[:1] == ["-m"]:  # ``python -m mnist_helpers`` starting: __init__ imports this first
    sys.excepthook = explain_failed_start
