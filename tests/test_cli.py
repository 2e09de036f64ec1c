"""``python -m mnist_helpers predict``: one line per image, clear errors, JSON on request."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import run_course_cli

from mnist_helpers.__main__ import main
from mnist_helpers.model import COURSE_MODEL

ROOT = Path(__file__).resolve().parents[1]
DIGITS = ROOT / "images" / "digits"
SEVEN, TWO = DIGITS / "7_marker.jpg", DIGITS / "2_scan.png"


def test_predicts_each_image_with_its_confidence(capsys):
    assert main(["predict", str(SEVEN), str(TWO)]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert len(lines) == 2 and out.err == ""
    assert lines[0].startswith(f"{SEVEN}: 7 (") and lines[0].endswith("%)")
    assert lines[1].startswith(f"{TWO}: 2 (")


def test_a_keras_too_old_for_the_shipped_file_still_predicts(keras_too_old, capsys):
    """As on Colab's Keras 3.10, which cannot rebuild a file saved by 3.15: it reads the weights."""
    assert main(["predict", str(SEVEN)]) == 0
    out = capsys.readouterr()
    assert out.out.startswith(f"{SEVEN}: 7 (") and out.err == ""


def test_top_three_and_json(capsys):
    assert main(["predict", "--top", "3", "--json", str(SEVEN)]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["file"] == str(SEVEN) and result["digit"] == 7
    probs = [t["probability"] for t in result["top"]]
    assert len(probs) == 3 and probs == sorted(probs, reverse=True)
    assert result["confidence"] == probs[0] and 0.5 < probs[0] <= 1.0
    assert len({t["digit"] for t in result["top"]}) == 3


def test_a_bad_file_gets_one_line_and_the_others_are_still_read(tmp_path, capsys):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a picture")
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (200, 200), 240).save(blank)
    code = main(["predict", str(bad), str(SEVEN), str(blank), str(tmp_path / "gone.png")])
    out = capsys.readouterr()
    assert code == 1
    assert out.out.splitlines() == [line for line in out.out.splitlines() if "7 (" in line]
    errors = out.err.splitlines()
    assert len(errors) == 3
    assert errors[0] == f"error: {bad} is not an image Pillow can read: expected PNG, JPEG, " + (
        "GIF, BMP, TIFF or WebP"
    )
    assert errors[1].startswith(f"error: {blank}: no digit found")  # the file named once
    assert errors[2] == f"error: no such image file: {tmp_path / 'gone.png'}"


def test_json_reports_errors_per_file(tmp_path, capsys):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    assert main(["predict", "--json", str(empty), str(TWO)]) == 1
    results = json.loads(capsys.readouterr().out)
    assert "empty" in results[0]["error"] and results[1]["digit"] == 2


def test_bad_options_are_refused(capsys):
    assert main(["predict", "--top", "11", str(SEVEN)]) == 2
    assert "--top should be between 1 and 10" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["predict"])
    assert exit_.value.code == 2


def test_a_missing_model_is_explained(tmp_path, capsys):
    assert main(["predict", "--model", str(tmp_path / "none.keras"), str(SEVEN)]) == 2
    assert "make model" in capsys.readouterr().err


def damaged_model(tmp_path: Path) -> Path:
    """A copy of the course's model with one byte flipped in the middle of its weights."""
    data = bytearray(COURSE_MODEL.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path = tmp_path / "damaged.keras"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("images", [[SEVEN], ["nope.png"], [SEVEN, "nope.png"]])
def test_a_bad_model_is_reported_first_in_one_line_with_status_2(tmp_path, capsys, images):
    """Checked before any image, so a bad --model is reported even when every image is bad."""
    for model in (tmp_path / "none.keras", damaged_model(tmp_path)):
        assert main(["predict", "--model", str(model), *map(str, images)]) == 2
        out = capsys.readouterr()
        assert out.out == "" and len(out.err.splitlines()) == 1
        assert out.err.startswith("error: ") and str(model) in out.err


def test_mnist_model_set_to_a_bad_file_is_reported_too(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MNIST_MODEL", str(damaged_model(tmp_path)))
    assert main(["predict", str(tmp_path / "gone.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot load the model ") and "fails its checksum" in err


def test_an_empty_model_or_image_argument_is_named(capsys):
    assert main(["predict", "--model", "", str(SEVEN)]) == 2
    assert capsys.readouterr().err == (
        "error: --model is empty: expected the path of a .keras model file\n"
    )
    assert main(["predict", ""]) == 1
    assert capsys.readouterr().err == (
        "error: the image path is empty: expected the name of an image file\n"
    )


def test_a_model_keras_cannot_rebuild_is_status_2(tmp_path, capsys):
    """A learner's network (not the course's, so there is no copy in code to read it into)."""
    path = tmp_path / "other.keras"
    with zipfile.ZipFile(COURSE_MODEL) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            data = data.replace(b'"kernel_size"', b'"kernel_extent"')
            out.writestr(info, data.replace(b'"name": "best_cnn"', b'"name": "my_cnn"'))
    assert main(["predict", "--model", str(path), str(SEVEN)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot load the model {path} (Keras ")
    assert "cannot rebuild" in err and len(err.splitlines()) == 1


def test_an_unexpected_failure_is_one_line_not_a_traceback(monkeypatch, capsys):
    def broken(source):
        raise RuntimeError("something no one foresaw")

    monkeypatch.setattr("mnist_helpers.external.to_mnist", broken)
    assert main(["predict", str(SEVEN)]) == 1
    assert capsys.readouterr().err == (
        f"error: {SEVEN}: cannot be read (RuntimeError: something no one foresaw)\n"
    )
    monkeypatch.setattr("mnist_helpers.__main__.predict_command", lambda args: 1 / 0)
    assert main(["predict", str(SEVEN)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unexpected ZeroDivisionError: ") and "issues" in err


def test_runs_as_python_dash_m_without_tensorflow_noise():
    done = run_course_cli("predict", str(SEVEN), str(DIGITS / "nope.png"))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{SEVEN}: 7 (")
    assert done.stderr.strip().splitlines() == [f"error: no such image file: {DIGITS / 'nope.png'}"]


def test_python_dash_m_never_shows_a_traceback(tmp_path):
    """As a learner runs it: a damaged model, then images that are all bad (no TensorFlow start)."""
    model = damaged_model(tmp_path)
    (tmp_path / "folder.png").mkdir()
    done = run_course_cli("predict", "--model", str(model), str(SEVEN))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"error: cannot load the model {model} (Keras ")
    assert len(done.stderr.splitlines()) == 1
    done = run_course_cli("predict", "", str(tmp_path / "folder.png"), str(tmp_path / "gone.png"))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "error: the image path is empty: expected the name of an image file",
        f"error: {tmp_path / 'folder.png'} is a directory, not an image file "
        "(PNG, JPEG, GIF, BMP, TIFF or WebP expected)",
        f"error: no such image file: {tmp_path / 'gone.png'}",
    ]
    assert "Traceback" not in done.stderr
