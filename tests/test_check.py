"""``python -m mnist_helpers check``: one line a check, a clear line for each broken part of an
install, exit status 1 on a failure and 0 otherwise, never a traceback nor TensorFlow's noise."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import run_course_cli

from mnist_helpers import check, config
from mnist_helpers.__main__ import main
from mnist_helpers.data import DATA_FILE, RESTORE_HINT, load_mnist
from mnist_helpers.external import example_images

ROOT = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^(ok  |warn|FAIL|skip)  \S")


@pytest.fixture(scope="module")
def test_digits():
    return load_mnist()[1]


@pytest.fixture
def no_memory_limit(monkeypatch):
    """Quick mode left to the environment, on a machine with no memory limit and no Binder."""
    for name in (config.QUICK_ENV, "MEM_LIMIT", *config.BINDER_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "_CGROUP_LIMITS", ())


def report(capsys, argv: list[str]) -> tuple[int, list[str]]:
    """Run the command line in this process: its exit status and its lines after the header."""
    status = main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    header, *lines = out.out.splitlines()
    assert header == check.HEADER
    assert all(LINE.match(line) for line in lines[:-1]), lines
    return status, lines


# ---- the Python ------------------------------------------------------------------------------


def test_the_supported_pythons_are_the_makefiles():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    supported = re.search(r"^SUPPORTED_PYTHONS := (.+)$", makefile, re.M).group(1).split()
    assert [f"{a}.{b}" for a, b in check.SUPPORTED_PYTHONS] == supported


def test_a_python_outside_the_supported_ones_fails_saying_which_to_install():
    old, new = check.check_python((3, 10, 4)), check.check_python((3, 14, 0))
    assert old.line == (
        "FAIL  Python 3.10.4 is too old: install Python 3.11, 3.12 or 3.13, "
        "and make the .venv with it"
    )
    assert new.status == "FAIL" and new.text.startswith("Python 3.14.0 is too new")
    assert check.check_python((3, 13, 1)).status == "ok"
    assert check.check_python().text.startswith(f"Python {sys.version.split()[0]} (")


def test_an_old_python_makes_the_command_fail(monkeypatch, capsys):
    monkeypatch.setattr(check, "running_python", lambda: (3, 10, 14))
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # and no TensorFlow: nothing trains
    status, lines = report(capsys, ["check"])
    assert status == 1
    assert lines[0].startswith("FAIL  Python 3.10.14 is too old: install Python 3.11")


# ---- the packages ----------------------------------------------------------------------------


def test_a_missing_optional_package_is_a_warning(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipycanvas", None)  # `import ipycanvas` fails
    checks = check.check_packages(check.import_packages(("numpy", "ipycanvas")))
    assert [c.status for c in checks] == ["ok", "warn"]
    assert checks[0].text.startswith("NumPy ")
    assert checks[1].text.startswith("ipycanvas is not installed: only notebook 06's drawing pad")
    assert "`pip install ipycanvas`" in checks[1].text


def test_missing_packages_share_one_line_saying_how_to_install_them(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    monkeypatch.setitem(sys.modules, "seaborn", None)
    tf_error = ModuleNotFoundError("No module named 'tensorflow'", name="tensorflow")
    found = {**check.import_packages(("tensorflow", "seaborn", "numpy")), "keras": tf_error}
    failed = [c for c in check.check_packages(found) if c.status == "FAIL"]
    assert [c.text for c in failed] == [
        f"TensorFlow, seaborn are not installed for {sys.executable}: run `pip install -r "
        "requirements.txt` in the course folder, or run this check with the course's .venv Python"
    ]  # Keras, which failed only for want of TensorFlow, is not a second line


def test_a_package_that_breaks_while_it_starts_or_keras_2_fails():
    broken = ImportError("DLL load failed while importing _pywrap_tensorflow_internal\nmore")
    checks = check.check_packages({"tensorflow": broken, "keras": "2.15.0", "numpy": "2.4.6"})
    failed = [c.text for c in checks if c.status == "FAIL"]
    assert failed[0].startswith(
        "TensorFlow is installed but does not import (ImportError: DLL load failed while "
        "importing _pywrap_tensorflow_internal): run `pip install -r requirements.txt`"
    )
    assert failed[1].startswith("Keras 2.15.0 is too old, the course needs Keras 3")


def test_without_tensorflow_the_command_fails_and_skips_what_needs_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    status, lines = report(capsys, ["check"])
    assert status == 1
    assert f"FAIL  TensorFlow is not installed for {sys.executable}" in "\n".join(lines)
    assert [line[:4] for line in lines if "model" in line or "photo" in line] == ["skip"] * 2
    assert lines[-1].startswith("Not ready: 1 check failed")


# ---- the data and the model ------------------------------------------------------------------


def test_damaged_data_fails_with_how_to_restore_it(tmp_path, monkeypatch, capsys):
    damaged = bytearray(DATA_FILE.read_bytes())
    damaged[5_000_000] ^= 0xFF
    (tmp_path / "mnist.npz").write_bytes(bytes(damaged))
    monkeypatch.setattr("mnist_helpers.data.DATA_FILE", tmp_path / "mnist.npz")
    data, arrays = check.check_data()
    assert arrays is None and data.status == "FAIL"
    assert data.text.startswith(f"The MNIST data file {tmp_path / 'mnist.npz'} cannot be read")
    assert "Restore it with `git checkout -- mnist_helpers/data/mnist.npz`" in data.text
    monkeypatch.setattr("mnist_helpers.data.DATA_FILE", tmp_path / "gone.npz")
    status, lines = report(capsys, ["check", "--quick"])
    assert status == 1
    assert [line for line in lines if line.startswith("FAIL")] == [
        f"FAIL  The MNIST data file {tmp_path / 'gone.npz'} is missing. {RESTORE_HINT}"
    ]
    assert "not tried on test digits" in "\n".join(lines)


def test_the_shipped_model_reads_the_test_digits(test_digits):
    line, model = check.check_model(test_digits, sample=500)
    assert model is not None and line.status == "ok"
    accuracy = float(re.search(r"reads ([\d.]+)% of 500 test digits right", line.text).group(1))
    assert accuracy >= 98


def test_a_model_with_the_wrong_weights_fails(test_digits, monkeypatch):
    from mnist_helpers.model import course_cnn

    monkeypatch.setattr("mnist_helpers.model.load_course_model", lambda: course_cnn())
    line, _ = check.check_model(test_digits, sample=200)
    assert line.status == "FAIL" and "test digits right, not the 98% it should" in line.text


def test_mnist_model_at_a_missing_or_garbage_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_MODEL", str(tmp_path / "nothing.keras"))
    line, model = check.check_model(None)
    assert model is None and line.text == (
        f"MNIST_MODEL is {tmp_path / 'nothing.keras'}, which does not exist: "
        "unset MNIST_MODEL to use the course's model"
    )
    (tmp_path / "garbage.keras").write_text("not a model")
    monkeypatch.setenv("MNIST_MODEL", str(tmp_path / "garbage.keras"))
    line, model = check.check_model(None)
    assert model is None and line.status == "FAIL"
    assert line.text.startswith("MNIST_MODEL is set (unset MNIST_MODEL to use the course's model)")
    assert "it is not a complete zip archive" in line.text and "\n" not in line.text


# ---- a photo ---------------------------------------------------------------------------------


def test_a_photo_of_the_course_is_read(test_digits):
    model = check.check_model(None)[1]
    line = check.check_photo(model)
    assert line.status == "ok" and line.text.startswith("a photo: ")
    path, label = example_images()[0]
    assert f"{Path('images', 'digits', path.name)} read as {label} (" in line.text


def test_without_the_photos_a_test_digit_on_paper_is_read(test_digits, tmp_path):
    x_test, y_test = test_digits
    paper = check.on_paper(x_test[0])
    assert paper.shape == (360, 480) and paper.dtype.name == "uint8"
    assert paper[0, 0] > 200 and paper.min() < 80  # dark ink on white paper
    model = check.check_model(None)[1]
    line = check.check_photo(model, (x_test[0], int(y_test[0])), folder=tmp_path)
    assert line.status == "ok" and f"drawn on paper read as {y_test[0]} (" in line.text
    wrong = check.check_photo(model, (x_test[0], 3), folder=tmp_path)
    assert wrong.status == "warn" and wrong.text.endswith("but it is a 3")
    assert check.check_photo(model, None, folder=tmp_path).status == "skip"


# ---- the speed -------------------------------------------------------------------------------


def test_a_few_training_steps_give_seconds_per_epoch_and_a_verdict():
    seconds = check.time_epoch(steps=3, warmup=1)
    assert 0 < seconds < 3_600
    verdict = check.speed_verdict(seconds)
    assert verdict.status in ("ok", "warn")
    assert verdict.text.startswith(f"training speed: {seconds:.1f} s per epoch of notebook 03's")


def test_the_verdict_says_quick_mode_beyond_the_limit():
    ref = check.Reference(epoch_seconds=12.0, full_seconds=1_320.0, cores=2)
    slow = check.speed_verdict(24.0, ref)
    assert slow.status == "warn" and slow.text == (
        "training speed: 24.0 s per epoch of notebook 03's CNN (54,000 digits), 2.0x slower than "
        "the course's 2-core reference (12.0 s): full runs of 03 to 05 would take about 44 min "
        "here; use quick mode in the workshop (MNIST_QUICK=1, or quick=True in mh.setup)"
    )
    at_limit = check.speed_verdict(12.0 * check.SLOWER_LIMIT, ref)
    assert at_limit.status == "ok" and at_limit.text.endswith(
        "full runs fit, 03 to 05 take about 33 min here"
    )
    assert "about as fast as the course's" in check.speed_verdict(12.5, ref).text
    assert "2.0x faster than" in check.speed_verdict(6.0, ref).text


def test_the_reference_constants_are_the_records(tmp_path):
    recorded = check.reference_machine()
    assert recorded == check.Reference(
        check.REFERENCE_EPOCH_SECONDS, check.REFERENCE_FULL_SECONDS, check.REFERENCE_CORES
    ), "benchmarks/ was measured again: copy its figures into mnist_helpers/check.py"
    assert check.reference_machine(tmp_path) == recorded  # no records there: the constants


def test_the_speed_line_is_in_the_report(monkeypatch, capsys, no_memory_limit):
    monkeypatch.setattr(check, "time_epoch", lambda steps: 30.0)
    status, lines = report(capsys, ["check"])
    assert status == 0
    [speed] = [line for line in lines if "training speed" in line]
    assert speed.startswith("warn  training speed: 30.0 s per epoch") and "quick mode" in speed


# ---- quick mode ------------------------------------------------------------------------------


def test_needs_mib_are_the_notebooks():
    """Read as text: the notebooks may be being executed in place while the tests run."""
    found = {}
    for notebook in sorted((ROOT / "notebooks").glob("0[2-5]_*.ipynb")):
        [mib] = re.findall(r"needs_mib=([\d_]+)", notebook.read_text(encoding="utf-8"))
        found[notebook.name[:2]] = int(mib)
    assert found == check.NEEDS_MIB


def test_quick_mode_says_whether_it_is_on_and_why(monkeypatch, no_memory_limit):
    off = check.check_quick_mode()
    assert (
        off.line
        == "ok    quick mode: off (MNIST_QUICK is not set, and the memory here fits full runs)"
    )
    monkeypatch.setenv("MEM_LIMIT", str(1_900 * 1024 * 1024))
    assert check.check_quick_mode().text.startswith(
        "quick mode: on by itself in notebooks 04, 05 (this server may use 1,900 MiB"
    )
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    assert "this is a Binder session" in check.check_quick_mode().text
    monkeypatch.setenv("MNIST_QUICK", "1")
    assert check.check_quick_mode().text == "quick mode: on (MNIST_QUICK=1)"
    monkeypatch.setenv("MNIST_QUICK", "maybe")
    failed = check.check_quick_mode()
    assert failed.status == "FAIL" and failed.text.endswith(
        "set it to 1 (quick) or 0 (full runs), or unset it"
    )


# ---- the whole report ------------------------------------------------------------------------


def test_an_unforeseen_error_is_one_fail_line(monkeypatch, capsys):
    def broken():
        raise RuntimeError("something no one foresaw")

    monkeypatch.setattr(check, "check_quick_mode", broken)
    status, lines = report(capsys, ["check", "--quick"])
    assert status == 1
    assert lines[-2].startswith(
        "FAIL  the quick mode check failed unexpectedly: RuntimeError: something no one foresaw "
        "(please report it at https://github.com/"
    )


def test_the_summary_counts_failures_and_warnings():
    ok, warn, fail = (check.Check(s, "t", "x") for s in ("ok", "warn", "FAIL"))
    assert check.summary([ok, ok]) == ("Ready for the course.", 0)
    assert check.summary([ok, warn]) == ("Ready for the course, with 1 warning (warn above).", 0)
    line, status = check.summary([fail, warn, fail])
    assert status == 1 and line.startswith("Not ready: 2 checks failed: fix them")


def test_python_dash_m_passes_here_without_noise():
    done = run_course_cli("check", "--quick")
    assert done.returncode == 0, done.stdout
    assert done.stderr == ""  # no TensorFlow start-up notices, no warnings
    lines = done.stdout.splitlines()
    assert lines[0] == check.HEADER and lines[-1].startswith("Ready for the course")
    assert all(LINE.match(line) for line in lines[1:-1]), lines
    assert [line[6:12] for line in lines[1:4]] == ["Python", "Tensor", "MNIST "]


def test_python_dash_m_with_a_missing_model_fails_in_one_line():
    done = run_course_cli("check", "--quick", MNIST_MODEL="/tmp/nothing.keras")
    assert done.returncode == 1 and done.stderr == ""
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAIL")]
    assert failed == [
        "FAIL  MNIST_MODEL is /tmp/nothing.keras, which does not exist: "
        "unset MNIST_MODEL to use the course's model"
    ]
    assert "Traceback" not in done.stdout


# ---- a Python that cannot even start the package ---------------------------------------------

NOTHING_INSTALLED = (
    "TensorFlow, Keras, NumPy, matplotlib, SciPy, Pillow, scikit-learn, seaborn are not installed "
    f"for {sys.executable}: run `pip install -r requirements.txt` in the course folder, or run "
    "this check with the course's .venv Python"
)


def test_a_python_with_nothing_installed_is_told_so_not_shown_a_traceback():
    """``python -S`` leaves site-packages out, as a learner's bare system Python is: importing
    the package fails at NumPy, before the command line starts, and still no traceback."""
    done = run_course_cli("check", flags=("-S",))
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines() == [
        check.HEADER,
        f"FAIL  {NOTHING_INSTALLED}",
        "Not ready: 1 check failed: fix it (FAIL above), then run this check again.",
    ]
    done = run_course_cli("predict", "images/digits/7_marker.jpg", flags=("-S",))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"error: {NOTHING_INSTALLED}\n")


def test_a_start_that_fails_otherwise_is_one_line_too(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["-m", "check"])
    monkeypatch.setattr(check, "running_python", lambda: (3, 9, 18))
    check.explain_failed_start(RuntimeError, RuntimeError("no one foresaw this"), None)
    assert capsys.readouterr().out.splitlines()[1:-1] == [
        "FAIL  Python 3.9.18 is too old: install Python 3.11, 3.12 or 3.13, and make the .venv "
        "with it"
    ]
    monkeypatch.setattr(sys, "argv", ["-m", "predict", "x.png"])
    monkeypatch.setattr(check, "running_python", lambda: (3, 12, 1))
    check.explain_failed_start(RuntimeError, RuntimeError("no one foresaw this"), None)
    assert capsys.readouterr().err.startswith(
        "error: the course's package cannot start: RuntimeError: no one foresaw this (please "
        "report it at https://github.com/"
    )
