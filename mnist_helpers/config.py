"""Course-wide switches: quick mode and seeding, read by every notebook's Setup."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

#: Set ``MNIST_QUICK=1`` (``MNIST_QUICK=1 make lab``, a short workshop) for smaller, faster runs, or
#: ``MNIST_QUICK=0`` to insist on full runs even where memory is tight.
QUICK_ENV = "MNIST_QUICK"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}

#: BinderHub (mybinder.org) sets these in every session it launches.
BINDER_ENV = ("BINDER_LAUNCH_HOST", "BINDER_REPO_URL", "BINDER_REF_URL")
#: What the Jupyter server and the browser's connection take besides the notebook's kernel.
SERVER_MIB = 256
_MIB = 1024 * 1024
_CGROUP_LIMITS = (
    Path("/sys/fs/cgroup/memory.max"),  # cgroup v2
    Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"),  # cgroup v1
)


def on_binder() -> bool:
    """True inside a session launched by BinderHub, such as mybinder.org."""
    return any(os.environ.get(name) for name in BINDER_ENV)


def memory_limit_mib(cgroup_files: tuple[Path, ...] | None = None) -> int | None:
    """The memory this Jupyter server may use, in MiB, or None where nothing limits it.

    Reads JupyterHub's ``MEM_LIMIT`` (bytes; set on mybinder.org, The Littlest JupyterHub and
    Zero to JupyterHub when a limit is configured) and the container's cgroup limit; the smaller
    wins. A laptop usually has neither, and gets None.
    """
    limits = []
    hub = os.environ.get("MEM_LIMIT", "").strip()
    if hub.isdigit() and int(hub) > 0:
        limits.append(int(hub))
    for path in _CGROUP_LIMITS if cgroup_files is None else cgroup_files:
        try:
            text = path.read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:  # "max" or a huge number mean no limit
            limits.append(int(text))
    return min(limits) // _MIB if limits else None


def quick_mode(needs_mib: int | None = None) -> bool:
    """True when this notebook should make smaller, faster training runs.

    ``MNIST_QUICK`` decides when it is set: 1/true/yes/on or 0/false/no/off (any case). Left
    unset, the full data is the default, except where it does not belong. A notebook that trains
    passes ``needs_mib``, the peak memory its full run was measured to need, and quick mode
    switches on by itself, printing why:

    - on Binder (mybinder.org), whose 2 GB leave a full run little room beside Jupyter and whose
      CPUs are shared, so a full run could take many times its laptop time;
    - wherever this server's memory limit (:func:`memory_limit_mib`) is below ``needs_mib`` plus
      the Jupyter server's share.

    >>> QUICK = quick_mode(needs_mib=1_300)  # in a notebook's Setup
    >>> N_TRAIN, EPOCHS = (6_000, 2) if QUICK else (60_000, 10)
    """
    value = os.environ.get(QUICK_ENV, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value:
        raise ValueError(f"{QUICK_ENV} should be 1/true/yes/on or 0/false/no/off, got {value!r}")
    if needs_mib is None:
        return False
    limit = memory_limit_mib()
    memory = f"{limit:,} MiB of memory" if limit else "1-2 GB of memory"
    need = f"this notebook's full run needs about {needs_mib:,} MiB plus {SERVER_MIB} for Jupyter"
    if on_binder():
        why = f"this Binder session has {memory} and shared CPUs, and {need}"
    elif limit is not None and needs_mib + SERVER_MIB > limit:
        why = f"this server may use {memory}, and {need}"
    else:
        return False
    print(
        f"Quick mode switched on by itself: {why}. "
        f"Set {QUICK_ENV}=0 before starting Jupyter to force the full run."
    )
    return True


def set_seed(seed: int = 42) -> int:
    """Seed Python, NumPy and the Keras backend in one call, so a re-run reproduces the figures.

    A thin wrapper over ``keras.utils.set_random_seed`` that also returns the seed, for printing.
    (On a CPU the same seed gives the same run; multi-threaded kernels may still differ in the
    last digits.)

    >>> set_seed(7)
    7
    """
    import keras

    keras.utils.set_random_seed(seed)
    return seed


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence standard error inside the block, Python's and C++'s alike.

    TensorFlow announces its oneDNN kernels from C++ while it is imported, straight to file
    descriptor 2, before ``TF_CPP_MIN_LOG_LEVEL`` is read, so neither that variable nor a warnings
    filter can hide it. Notebook 05 imports Keras inside this block to keep the notice out of its
    stored outputs. Exceptions still propagate, with their messages, once the block has closed.

    >>> with quiet_stderr():
    ...     import keras
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        with contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


#: What TensorFlow prints while it starts (oneDNN, CUDA, absl's log lines): ``quiet_startup`` keeps
#: it out of a notebook; the tests and ``make compat`` look for it in stored outputs.
TF_STARTUP_NOISE = re.compile(r"oneDNN|cuda|TF-TRT|absl::|E0000|W0000|I0000|tensorflow/core")


@contextlib.contextmanager
def quiet_startup(onednn: bool = True) -> Iterator[None]:
    """Import TensorFlow or Keras inside this block: its start-up notices stay out of the notebook.

    The course's one way to start TensorFlow quietly, the same in every notebook's Setup. It sets
    ``TF_CPP_MIN_LOG_LEVEL=2`` unless you set it yourself (C++ info lines and warnings off,
    *errors still shown*), chooses whether TensorFlow uses oneDNN's CPU kernels
    (``TF_ENABLE_ONEDNN_OPTS``; on by default, as in every notebook: on a 2-core CPU they trained
    each of the course's CNNs 1.3 to 4.9 times faster in ``benchmarks/speed_levers.json``, with
    slightly different rounding), and silences standard error only while the import
    runs, where TensorFlow prints notices no variable controls (oneDNN; on Colab, CUDA factories).
    Both variables must be set before TensorFlow loads, which is why this wraps the import. Before
    the block closes it also lets TensorFlow look for its devices, which it otherwise does at the
    first computation: TensorFlow's full build (Colab's) reports there, as an error, that a machine
    without a GPU has no CUDA device (``failed call to cuInit``).

    >>> with quiet_startup(onednn=True):
    ...     import keras
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1" if onednn else "0")
    with quiet_stderr():
        yield
        tf = sys.modules.get("tensorflow")
        if tf is not None:  # the import inside the block started TensorFlow: find its devices now
            tf.config.list_physical_devices()


def setup(
    *,
    needs_mib: int | None = None,
    seed: int = 42,
    quick: bool | None = None,
    onednn: bool = True,
) -> bool:
    """What every notebook's Setup repeats, in one call; returns whether quick mode is on.

    Starts TensorFlow and Keras quietly (:func:`quiet_startup`, oneDNN's CPU kernels on unless
    ``onednn=False``), decides quick mode, seeds Python, NumPy and Keras (:func:`set_seed`), and
    prints one line saying what it found. After it, ``import keras`` in the notebook is instant and
    silent: Keras is already loaded.

    ``quick`` is the one switch a learner flips, in the notebook itself, the same on Colab, Binder,
    Kaggle or a laptop: ``quick=True`` for smaller, faster training runs, ``quick=False`` for the
    full ones. Left at None, :func:`quick_mode` decides: ``MNIST_QUICK`` if set, else on by itself
    where the full run's measured peak memory (``needs_mib``) would not fit, or on Binder.

    >>> QUICK = setup(needs_mib=1_500, quick=None)
    Python 3.11.7 · Keras 3.15.1 · quick mode off · seed 42
    """
    import platform

    with quiet_startup(onednn=onednn):
        import keras
    if quick is None:
        quick = quick_mode(needs_mib)
    elif not isinstance(quick, bool):
        raise ValueError(f"quick should be True, False or None (decide by itself), got {quick!r}")
    set_seed(seed)
    mode = "on" if quick else "off"
    print(
        f"Python {platform.python_version()} · Keras {keras.__version__} · "
        f"quick mode {mode} · seed {seed}"
    )
    return quick
