"""How well a model reads digits written unlike MNIST's: thick and thin pens, blur, low resolution.

    python benchmarks/robustness.py                     # the shipped model, 2,000 test digits
    python benchmarks/robustness.py --split validation  # digits it never trained on, for tuning
    python benchmarks/robustness.py --model runs/05_best_model.keras --n 1000

Each MNIST digit is turned into a "photo" (dark ink on light paper, 112 × 112 pixels, the digit
scaled up smoothly), changed the way a real pen, camera or scanner changes it, and read back
through ``to_mnist`` like any photo, then by the model:

* ``clean``: the photo as it is (what the pipeline alone costs);
* ``thick pen`` / ``very thick pen``: strokes widened by a grey dilation (about 2 and 3 MNIST
  pixels);
* ``thin pen``: strokes thinned by a grey erosion (about 1 MNIST pixel);
* ``blurred``: a Gaussian blur (sigma of about 0.75 MNIST pixels);
* ``low resolution``: taken at 14 × 14 pixels and scaled back up;
* ``low resolution, blurred``: both.

Which digits: ``--split test`` (default) reports on MNIST's test digits, the same ones every
notebook reports on; ``--split validation`` uses the last 6,000 training digits, which notebook 05
holds out for validation, and is the one to tune augmentations against (tuning against the test
digits would make their score a measurement of the tuning). Nothing here uses the course's 30
example photos. The accuracies go to ``benchmarks/robustness.json`` with the SHA-256 of the model
file and of the code of ``mnist_helpers/external.py`` (``to_mnist``; comments and docstrings do
not count), so ``benchmarks/stale.py`` reports a record that no longer describes the shipped model
or the preprocessing; ``--label`` names a run of another model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # stale, beside this file

from stale import code_sha256  # noqa: E402

RECORD = ROOT / "benchmarks" / "robustness.json"
PREPROCESSING = ROOT / "mnist_helpers" / "external.py"  # to_mnist and the rules it refuses by
SIDE = 112  # the "photo": 4 × MNIST's 28 pixels
SCALE = SIDE // 28


def photo(digit: np.ndarray) -> np.ndarray:
    """An MNIST digit (white on black, 0-255) as a 112 × 112 photo: dark ink on light paper."""
    big = Image.fromarray(digit.astype(np.uint8)).resize((SIDE, SIDE), Image.Resampling.BICUBIC)
    return 255.0 - np.asarray(big, dtype=np.float32)


def thicker(img: np.ndarray, mnist_pixels: float) -> np.ndarray:
    size = int(round(mnist_pixels * SCALE)) | 1
    return ndimage.grey_erosion(img, size=(size, size))  # dark ink grows where paper shrinks


def thinner(img: np.ndarray, mnist_pixels: float) -> np.ndarray:
    size = int(round(mnist_pixels * SCALE)) | 1
    return ndimage.grey_dilation(img, size=(size, size))


def blurred(img: np.ndarray, mnist_sigma: float = 0.75) -> np.ndarray:
    return ndimage.gaussian_filter(img, sigma=mnist_sigma * SCALE)


def low_resolution(img: np.ndarray, side: int = 14) -> np.ndarray:
    small = Image.fromarray(img.astype(np.uint8)).resize((side, side), Image.Resampling.BOX)
    return np.asarray(small.resize((SIDE, SIDE), Image.Resampling.BILINEAR), dtype=np.float32)


CONDITIONS = {
    "clean": lambda img: img,
    "thick pen": lambda img: thicker(img, 2),
    "very thick pen": lambda img: thicker(img, 3),
    "thin pen": lambda img: thinner(img, 1),
    "blurred": blurred,
    "low resolution": low_resolution,
    "low resolution, blurred": lambda img: blurred(low_resolution(img)),
}


def digits(split: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    from mnist_helpers import load_mnist

    (x_train, y_train), (x_test, y_test) = load_mnist()
    if split == "validation":
        return x_train[-6000:][:n], y_train[-6000:][:n]
    return x_test[:n], y_test[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["test", "validation"], default="test")
    parser.add_argument("--n", type=int, default=2000, help="how many digits (default 2,000)")
    parser.add_argument("--model", type=Path, default=None, help="a .keras file (default: shipped)")
    parser.add_argument("--out", type=Path, default=RECORD)
    parser.add_argument("--label", help="the record's name for the model (default: its file name)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from mnist_helpers import to_mnist
    from mnist_helpers.config import quiet_startup
    from mnist_helpers.external import ImageError
    from mnist_helpers.files import file_sha256
    from mnist_helpers.model import check_model_file, load_course_model

    with quiet_startup(onednn=True):
        import keras  # noqa: F401

    model_file = check_model_file(args.model)
    model = load_course_model(model_file)
    x, y = digits(args.split, args.n)
    photos = [photo(d) for d in x]
    results = {}
    for name, change in CONDITIONS.items():
        read, refused = [], 0
        for img in photos:
            try:
                read.append(to_mnist(np.clip(change(img), 0, 255).astype(np.uint8)))
            except ImageError:
                refused += 1
                read.append(np.zeros((28, 28), np.float32))  # a refusal counts as a mistake
        probs = model.predict(np.stack(read)[..., None], batch_size=500, verbose=0)
        accuracy = float((probs.argmax(axis=1) == y).mean())
        results[name] = {"accuracy": round(accuracy, 4), "refused": refused}
        print(f"{name:24s} {accuracy:.2%}  ({refused} refused by to_mnist)", flush=True)
    hard = [c for c in CONDITIONS if c != "clean"]
    mean = float(np.mean([results[c]["accuracy"] for c in hard]))
    print(f"{'mean of the six changes':24s} {mean:.2%}")
    record = json.loads(args.out.read_text()) if args.out.exists() else {}
    record[f"{args.label or model_file.name} · {args.split} · {args.n}"] = {
        "model_sha256": file_sha256(model_file),
        "to_mnist_code_sha256": code_sha256(PREPROCESSING),
        "measured": time.strftime("%Y-%m-%d"),
        "conditions": results,
        "mean_of_changes": round(mean, 4),
    }
    args.out.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
