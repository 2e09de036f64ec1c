"""What a path really is when it is not the file that was expected, for clear error messages.

The course reads three kinds of file (photos, the shipped MNIST, the trained model). A learner
can hand any of them a folder, a pipe (``<(…)`` on a command line), a broken link or a name with a
NUL byte in it; these helpers name what arrived so each error can say so, and say how to get a
shipped file back (``restore_hint``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

from mnist_helpers.course import install_url

_KINDS = {
    stat.S_ISDIR: "a directory",
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISSOCK: "a socket",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
}


#: The folder that holds the package: paths in a clone of the course are relative to it.
COURSE_ROOT = Path(__file__).resolve().parents[1]


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as hex: what the benchmark records name a model file by.

    >>> digest = file_sha256("mnist_helpers/data/course_model.keras")
    """
    return hashlib.sha256(checked_path(path, "file", "the name of a file").read_bytes()).hexdigest()


def checked_path(
    path: str | Path, what: str, expected: str, error: type[Exception] = ValueError
) -> Path:
    r"""``path`` as a ``Path``, or ``error`` with one line when no file could have that name.

    Every reader of a path the course takes calls this first. An empty string would become
    ``Path(".")``, the current folder; a NUL byte makes ``open`` raise ``embedded null byte``
    from deep inside. ``what`` names the path, ``expected`` what should have come.

    >>> checked_path("", "image", "the name of an image file")
    Traceback (most recent call last):
    ValueError: the image path is empty: expected the name of an image file
    """
    if str(path) == "":
        raise error(f"the {what} path is empty: expected {expected}")
    nul = nul_byte_message(path, what, expected)
    if nul:
        raise error(nul)
    return Path(path)


def nul_byte_message(path: str | Path, what: str, expected: str) -> str | None:
    r"""The one-line error for a path that holds a NUL byte; None for any other path.

    No file name can hold a NUL byte (``\x00``); ``open`` and ``Path.stat`` answer one with
    ``ValueError: embedded null byte`` from deep inside, which names neither the path nor what
    was expected. Every reader of a path checks it with this first: ``what`` names the path,
    ``expected`` what should have come.

    >>> print(nul_byte_message("seven\x00.png", "image", "the name of an image file"))
    the image path 'seven\x00.png' contains a NUL byte (\x00): expected the name of an image file
    """
    if "\x00" not in str(path):
        return None
    return f"the {what} path {str(path)!r} contains a NUL byte (\\x00): expected {expected}"


def restore_hint(shipped: str | Path, remake: str) -> str:
    """The sentence that ends every message about a missing or damaged file the course ships.

    ``shipped`` is the file inside the package (``mnist_helpers/data/...``), ``remake`` how to
    build it again. The sentence names both ways to get the file back: ``git checkout`` in a
    clone of the course, and reinstalling the package where pip installed it (Colab, Kaggle).

    >>> restore_hint(COURSE_ROOT / "mnist_helpers/data/mnist.npz", "rebuild it with ...")
    "Restore it with `git checkout -- mnist_helpers/data/mnist.npz` in the course's folder (a …"
    """
    shipped = Path(shipped)
    with contextlib.suppress(ValueError):
        shipped = shipped.resolve().relative_to(COURSE_ROOT)
    return (
        f"Restore it with `git checkout -- {shipped.as_posix()}` in the course's folder (a "
        "clone), or, where pip installed the course (Colab, Kaggle), with `pip install "
        f'--force-reinstall --no-deps "mnist-helpers @ {install_url()}"`; or {remake}.'
    )


def path_problem(path: str | Path) -> str | None:
    """Why ``path`` is not a regular file, as words to put after it; None when it is one.

    The answer reads after the path: ``"does not exist"``, ``"is a broken symbolic link (its
    target ... does not exist)"``, ``"is a directory"``, ``"is a named pipe (FIFO)"``, and so
    on. A file without read permission is still a file: opening it is where that shows.

    >>> path_problem("/tmp")
    'is a directory'
    """
    if "\x00" in str(path):
        return "contains a NUL byte (\\x00)"
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"is a broken symbolic link (its target {os.readlink(path)} does not exist)"
        return "does not exist"
    except OSError as err:  # a path through a file, a loop of links, no permission on a folder
        return f"cannot be reached ({err.strerror or err})"
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS.items() if test(mode)), "not a regular file")
    return f"is {kind}"


def first_line(err: BaseException) -> str:
    """``Type: first line of the message``, at most 200 characters of it, for one-line errors
    (Keras's messages can run to a page of config).

    >>> first_line(ValueError("bad value\nmore detail"))
    'ValueError: bad value'
    """
    text = (str(err).strip().splitlines() or [""])[0][:200]
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
