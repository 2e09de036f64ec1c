"""images/digits: the external photos are what images/README.md says, made by the script."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import load_script
from PIL import Image

from mnist_helpers.external import example_images

ROOT = Path(__file__).resolve().parents[1]
DIGITS = ROOT / "images" / "digits"


def test_the_script_makes_exactly_the_committed_images(tmp_path):
    load_script("make_external_images").main(out=tmp_path / "digits", readme=tmp_path / "README.md")
    made = sorted(p.name for p in (tmp_path / "digits").iterdir())
    assert made == sorted(p.name for p in DIGITS.iterdir())
    for name in made:
        assert (tmp_path / "digits" / name).read_bytes() == (DIGITS / name).read_bytes(), name
    readme = (ROOT / "images" / "README.md").read_text(encoding="utf-8")
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == readme
    shadowed = load_script("make_external_images").SHADOWED  # notebook 06's, beside the 30
    assert (tmp_path / shadowed).read_bytes() == (ROOT / "images" / shadowed).read_bytes()


def test_the_photos_cover_what_real_photos_do():
    photos = example_images()
    labels = np.array([label for _, label in photos])
    assert len(photos) >= 30 and np.bincount(labels, minlength=10).min() >= 3
    opened = [Image.open(path) for path, _ in photos]
    assert sum(im.format == "JPEG" for im in opened) >= 5
    assert sum(max(im.size) >= 1000 for im in opened) >= 3
    assert any(im.getexif().get(0x0112, 1) != 1 for im in opened), "one needs an EXIF rotation"
    assert any(im.mode == "RGBA" for im in opened), "one needs a transparent background"
    assert sum("chalkboard" in path.name for path, _ in photos) >= 3


def test_the_readme_lists_every_photo_with_its_label():
    readme = (ROOT / "images" / "README.md").read_text(encoding="utf-8")
    for path, label in example_images():
        assert f"| [{path.name}](digits/{path.name}) | {label} |" in readme
