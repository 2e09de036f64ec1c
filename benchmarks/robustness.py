"""How well a model reads digits written unlike MNIST's, and photographed as people photograph.

    python benchmarks/robustness.py                     # the shipped model, 2,000 test digits
    python benchmarks/robustness.py --split validation  # digits it never trained on, for tuning
    python benchmarks/robustness.py --model runs/05_best_model.keras --n 1000 --photos 0

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

Then the first ``--photos`` digits (default 200) are written on paper and photographed by a
simulated phone camera (``benchmarks/camera.py``), once per photo condition: even light, a
gradient, a vignette, a lamp's hot spot, shadows soft, hard, deep, of a phone, over the digit or
beside it, ruled and squared paper, cream paper and blue ink, grey paper and pencil, perspective
with the desk showing, JPEG at quality 40, chalk on a board, 12-megapixel photos with the digit
a small part of them, and "everything", each drawn at random (a shadow half the time), on three
times as many digits (``EVERYTHING_TIMES``), as is even light. Each photo goes to ``to_mnist``
as the JPEG file's bytes, as an upload would. Each condition is compared with even light on the
same digits, so the gap is what the condition costs, not which digits it drew. The record keeps
how long ``to_mnist`` took on the 12-megapixel photos (the median).

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
sys.path.insert(0, str(ROOT / "benchmarks"))  # stale and camera, beside this file

from camera import EVEN_LIGHT, PHOTO_CONDITIONS, everything, snap  # noqa: E402
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


#: ... and "everything": each photo's conditions drawn at random. It stands for photos as people
#: take them, whose failures are rare and of many kinds: on three times as many digits, one photo
#: moves its figure by a sixth of a point, not half a point. Even light, which every condition
#: is compared with, is taken of as many.
EVERYTHING = "photo: everything"
EVERYTHING_TIMES = 3
PHOTO_NAMES = [*PHOTO_CONDITIONS, EVERYTHING]


def photo_bytes(name: str, digit: np.ndarray, i: int, split: str) -> bytes:
    """Digit number ``i`` of ``split`` photographed under condition ``name``, as a JPEG file."""
    k = PHOTO_NAMES.index(name)
    rng = np.random.default_rng([k, i, 1 if split == "test" else 0])  # the same photo each run
    shot = everything(rng) if name == EVERYTHING else PHOTO_CONDITIONS[name]
    return snap(digit, rng, shot)


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
    parser.add_argument(
        "--photos",
        type=int,
        default=200,
        help='digits per photo condition (default 200; three times as many for "everything" '
        "and for even light, which each is compared with)",
    )
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

    def score(name: str, sources, labels: np.ndarray) -> tuple[np.ndarray, list[float]]:
        """Each source read through to_mnist and by the model; a refusal counts as a mistake.
        Which were read right, and the seconds each took."""
        read, refused, seconds = [], [], []
        for k, source in enumerate(sources):
            start = time.perf_counter()
            try:
                read.append(to_mnist(source))
            except ImageError:
                refused.append(k)
                read.append(np.zeros((28, 28), np.float32))
            seconds.append(time.perf_counter() - start)
        guesses = model.predict(np.stack(read)[..., None], batch_size=500, verbose=0).argmax(axis=1)
        guesses[refused] = -1  # a blank picture may happen to be read as the right digit
        right = guesses == labels
        accuracy = float(right.mean())
        results[name] = {"accuracy": round(accuracy, 4), "refused": len(refused)}
        print(f"{name:34s} {accuracy:.2%}  ({len(refused)} refused by to_mnist)", flush=True)
        return right, seconds

    results = {}
    for name, change in CONDITIONS.items():
        score(name, (np.clip(change(img), 0, 255).astype(np.uint8) for img in photos), y)
    hard = [c for c in CONDITIONS if c != "clean"]
    mean = float(np.mean([results[c]["accuracy"] for c in hard]))
    print(f"{'mean of the six changes':34s} {mean:.2%}")
    seconds_12mp, below = [], {}  # points below even light on the same digits
    digits_everything_and_even_light = len(x[: EVERYTHING_TIMES * args.photos])
    others = [name for name in PHOTO_NAMES if name != EVEN_LIGHT]
    for name in [EVEN_LIGHT, *others] if args.photos else []:  # even light first: the baseline
        count = (
            digits_everything_and_even_light if name in (EVERYTHING, EVEN_LIGHT) else args.photos
        )
        shots = (photo_bytes(name, d, i, args.split) for i, d in enumerate(x[:count]))
        right, seconds = score(name, shots, y[:count])
        if name == EVEN_LIGHT:
            even = right
        else:
            below[name] = round(100 * float(even[:count].mean() - right.mean()), 2)
        if "12 megapixels" in name:
            seconds_12mp = seconds
    record = json.loads(args.out.read_text()) if args.out.exists() else {}
    run = {
        "model_sha256": file_sha256(model_file),
        "to_mnist_code_sha256": code_sha256(PREPROCESSING),
        "measured": time.strftime("%Y-%m-%d"),
        "conditions": results,
        "mean_of_changes": round(mean, 4),
    }
    if args.photos:
        worst = max(others, key=lambda c: below[c])
        shadowed = [c for c in PHOTO_NAMES if "shadow" in c]
        run["photos"] = {
            "digits_per_condition": args.photos,
            "digits_everything_and_even_light": digits_everything_and_even_light,
            "worst_condition": worst,
            "worst_below_even_light_points": below[worst],
            "below_even_light_points": below,
            "shadowed_mean": round(float(np.mean([results[c]["accuracy"] for c in shadowed])), 4),
            "to_mnist_seconds_12_megapixels_median": round(float(np.median(seconds_12mp)), 3),
        }
        print(json.dumps(run["photos"], indent=1))
    record[f"{args.label or model_file.name} · {args.split} · {args.n}"] = run
    args.out.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
