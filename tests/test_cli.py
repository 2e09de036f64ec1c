"""``python -m mnist_helpers predict``: one line per image, clear errors, JSON on request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mnist_helpers.__main__ import main

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


def test_runs_as_python_dash_m_without_tensorflow_noise():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "MNIST_"))}
    done = subprocess.run(
        [sys.executable, "-m", "mnist_helpers", "predict", str(SEVEN), str(DIGITS / "nope.png")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1
    assert done.stdout.startswith(f"{SEVEN}: 7 (")
    assert done.stderr.strip().splitlines() == [f"error: no such image file: {DIGITS / 'nope.png'}"]
