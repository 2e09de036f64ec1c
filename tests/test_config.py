"""Quick mode, seeding and the quiet TensorFlow import."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import numpy as np
import pytest

from mnist_helpers import QUICK_ENV, config, quick_mode, set_seed


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_quick_mode_on(monkeypatch, value):
    monkeypatch.setenv(QUICK_ENV, value)
    assert quick_mode() is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off", ""])
def test_quick_mode_off(monkeypatch, value):
    monkeypatch.setenv(QUICK_ENV, value)
    assert quick_mode() is False


def test_quick_mode_off_by_default(monkeypatch):
    monkeypatch.delenv(QUICK_ENV, raising=False)
    assert quick_mode() is False


def test_quick_mode_rejects_a_typo(monkeypatch):
    monkeypatch.setenv(QUICK_ENV, "quick")
    with pytest.raises(ValueError, match="MNIST_QUICK should be 1/true/yes/on.*'quick'"):
        quick_mode()


# --- quick mode where memory is tight (Binder, a small JupyterHub) -------------------------


@pytest.fixture
def limited(monkeypatch, tmp_path):
    """A server whose cgroup allows ``limit`` MiB (None: no limit), with no MNIST_QUICK set."""

    def make(limit_mib, binder=False):
        cgroup = tmp_path / "memory.max"
        cgroup.write_text(f"{limit_mib * 1024 * 1024}\n" if limit_mib else "max\n")
        monkeypatch.setattr(config, "_CGROUP_LIMITS", (cgroup,))
        monkeypatch.delenv(QUICK_ENV, raising=False)
        monkeypatch.delenv("MEM_LIMIT", raising=False)
        for name in config.BINDER_ENV:
            monkeypatch.delenv(name, raising=False)
        if binder:
            monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")

    return make


def test_memory_limit_reads_cgroup_v2_and_v1_and_jupyterhub(tmp_path, monkeypatch):
    monkeypatch.delenv("MEM_LIMIT", raising=False)
    v2, v1, missing = tmp_path / "memory.max", tmp_path / "limit_in_bytes", tmp_path / "none"
    v2.write_text("max\n")
    v1.write_text(f"{2048 * 1024 * 1024}\n")
    assert config.memory_limit_mib((missing,)) is None
    assert config.memory_limit_mib((v2,)) is None  # "max": unlimited
    assert config.memory_limit_mib((v2, v1)) == 2048
    v1.write_text("9223372036854771712\n")  # cgroup v1's way of saying unlimited
    assert config.memory_limit_mib((v1,)) is None
    monkeypatch.setenv("MEM_LIMIT", str(1024 * 1024 * 1024))  # what JupyterHub passes, in bytes
    assert config.memory_limit_mib((v2,)) == 1024
    v2.write_text(f"{512 * 1024 * 1024}\n")
    assert config.memory_limit_mib((v2,)) == 512  # the tighter of the two


def test_on_binder(monkeypatch):
    for name in config.BINDER_ENV:
        monkeypatch.delenv(name, raising=False)
    assert not config.on_binder()
    monkeypatch.setenv(
        "BINDER_REPO_URL", "https://github.com/handwritten-digits/keras-mnist-course"
    )
    assert config.on_binder()


def test_quick_mode_switches_itself_on_where_the_full_run_would_not_fit(limited, capsys):
    limited(1024)
    assert quick_mode(needs_mib=1300) is True
    said = capsys.readouterr().out
    assert "switched on by itself" in said and "1,024 MiB" in said and "1,300 MiB" in said
    assert f"{QUICK_ENV}=0" in said  # and how to override it
    assert "Binder" not in said


def test_quick_mode_switches_itself_on_for_training_notebooks_on_binder(limited, capsys):
    limited(2048, binder=True)
    assert quick_mode(needs_mib=1300) is True  # fits, but Binder's CPUs are shared
    said = capsys.readouterr().out
    assert "Binder" in said and "2,048 MiB" in said and "1,300 MiB" in said
    assert quick_mode() is False  # a notebook that trains nothing stays as it is
    limited(None, binder=True)  # a BinderHub with no limit it tells about
    assert quick_mode(needs_mib=1300) is True
    assert "1-2 GB" in capsys.readouterr().out


def test_quick_mode_stays_off_where_the_full_run_fits(limited, capsys):
    limited(2048)
    assert quick_mode(needs_mib=2048 - config.SERVER_MIB) is False
    assert quick_mode(needs_mib=2048 - config.SERVER_MIB + 1) is True
    capsys.readouterr()
    assert quick_mode() is False  # a notebook that states no need never switches by itself
    limited(None)
    assert quick_mode(needs_mib=100_000) is False  # no limit known: a laptop
    assert capsys.readouterr().out == ""


def test_an_explicit_choice_beats_the_automatic_one(limited, monkeypatch, capsys):
    limited(1024, binder=True)
    monkeypatch.setenv(QUICK_ENV, "0")
    assert quick_mode(needs_mib=4000) is False
    limited(None)
    monkeypatch.setenv(QUICK_ENV, "1")
    assert quick_mode(needs_mib=10) is True
    assert capsys.readouterr().out == ""


def _draws():
    import keras

    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    legacy_numpy = np.random.rand(3)  # noqa: NPY002 – the global state is what set_seed seeds
    return random.random(), legacy_numpy, keras.ops.convert_to_numpy(layer.kernel)


def test_set_seed_makes_python_numpy_and_keras_repeat():
    assert set_seed(123) == 123
    first = _draws()
    set_seed(123)
    again = _draws()
    set_seed(124)
    other = _draws()
    for a, b, c in zip(first, again, other, strict=True):
        assert np.array_equal(a, b)
        assert not np.array_equal(a, c)


def _python(script: str) -> subprocess.CompletedProcess:
    """Run ``script`` in a fresh Python (a new process: stderr and TensorFlow start clean)."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)


def test_quiet_stderr_silences_c_level_and_python_writes():
    """What a C library writes to descriptor 2 (TensorFlow's notices) and what Python writes to
    sys.stderr both vanish inside the block; both come back after it."""
    script = (
        "import os, sys\n"
        "from mnist_helpers import quiet_stderr\n"
        "with quiet_stderr():\n"
        "    os.write(2, b'from C\\n')\n"
        "    print('from Python', file=sys.stderr)\n"
        "os.write(2, b'after C\\n')\n"
        "print('after Python', file=sys.stderr)\n"
    )
    done = _python(script)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["after C", "after Python"]


def test_quiet_stderr_lets_exceptions_through_and_restores_stderr():
    script = (
        "import os\n"
        "from mnist_helpers import quiet_stderr\n"
        "try:\n"
        "    with quiet_stderr():\n"
        "        import no_such_module\n"
        "except ImportError as err:\n"
        "    print(err.name)\n"
        "os.write(2, b'after\\n')\n"
    )
    done = _python(script)
    assert (done.stdout, done.stderr) == ("no_such_module\n", "after\n")


def test_quiet_startup_imports_tensorflow_silently_and_keeps_errors_visible():
    """Keras imported inside the block prints nothing (oneDNN's notice included); afterwards the
    log level still lets C++ errors through (2, not 3) and a choice made before is kept."""
    script = (
        "import os\n"
        "from mnist_helpers import quiet_startup\n"
        "with quiet_startup(onednn=True):\n"
        "    import keras\n"
        "print(os.environ['TF_CPP_MIN_LOG_LEVEL'], os.environ['TF_ENABLE_ONEDNN_OPTS'])\n"
        "os.write(2, b'after\\n')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert (done.stdout, done.stderr) == ("2 1\n", "after\n")
    env["TF_ENABLE_ONEDNN_OPTS"] = "0"  # set by the learner: quiet_startup leaves it alone
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.stdout == "2 0\n"


def test_quiet_startup_lets_tensorflow_find_its_devices_inside_the_block():
    """TensorFlow's full build (Colab's) reports at its first computation, as a C++ error, that a
    machine without a GPU has no CUDA device; the block looks for devices while stderr is off.
    (A stand-in TensorFlow records the call and prints what the real one prints.)"""
    script = (
        "import os, sys, types\n"
        "from mnist_helpers import quiet_startup\n"
        "def devices():\n"
        "    print('devices listed')\n"
        "    os.write(2, b'E cuda_platform.cc:51] failed call to cuInit: CUDA error (303)\\n')\n"
        "fake = types.ModuleType('tensorflow')\n"
        "fake.config = types.SimpleNamespace(list_physical_devices=devices)\n"
        "with quiet_startup():\n"
        "    sys.modules['tensorflow'] = fake  # what `import keras` does\n"
        "os.write(2, b'after\\n')\n"
    )
    done = _python(script)
    assert (done.stdout, done.stderr) == ("devices listed\n", "after\n")


def test_setup_starts_keras_quietly_decides_quick_mode_and_seeds():
    """A notebook's one Setup call: Keras imported with nothing on stderr, quick mode read from
    MNIST_QUICK, the seed applied (two calls give the same random numbers), one line printed."""
    script = (
        "import sys, random\n"
        "import mnist_helpers as mh\n"
        "quick = mh.setup(seed=7)\n"
        "assert 'keras' in sys.modules\n"
        "import numpy as np\n"
        "first = (random.random(), np.random.rand())\n"
        "mh.setup(seed=7)\n"
        "assert (random.random(), np.random.rand()) == first\n"
        "print('returned', quick)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    for value, mode in (("1", True), ("0", False)):
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={**env, QUICK_ENV: value},
            timeout=300,
        )
        assert done.stderr == "", done.stderr
        lines = done.stdout.splitlines()
        word = "on" if mode else "off"
        assert lines[0].startswith("Python 3.") and f"· quick mode {word} · seed 7" in lines[0]
        assert lines[-1] == f"returned {mode}"


def test_setup_takes_the_learners_quick_switch_over_the_environment(monkeypatch, capsys):
    """``quick=True`` in the Setup cell is the one switch on every platform; None defers."""
    from mnist_helpers import setup

    monkeypatch.setenv(QUICK_ENV, "0")
    assert setup(quick=True, seed=1) is True
    assert "quick mode on · seed 1" in capsys.readouterr().out
    monkeypatch.setenv(QUICK_ENV, "1")
    assert setup(quick=False) is False
    assert setup(quick=None) is True
    with pytest.raises(ValueError, match="quick should be True, False or None"):
        setup(quick="yes")
