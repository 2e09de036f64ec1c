"""What a path really is when it is not the file that was expected, for clear error messages.

The course reads three kinds of file (photos, the shipped MNIST, the trained model). A learner
can hand any of them a folder, a pipe (``<(…)`` on a command line) or a broken link; these
helpers name what arrived so each error can say so.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

_KINDS = {
    stat.S_ISDIR: "a directory",
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISSOCK: "a socket",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
}


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as hex: what the benchmark records name a model file by.

    >>> digest = file_sha256("mnist_helpers/data/course_model.keras")
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def path_problem(path: str | Path) -> str | None:
    """Why ``path`` is not a regular file, as words to put after it; None when it is one.

    The answer reads after the path: ``"does not exist"``, ``"is a broken symbolic link (its
    target ... does not exist)"``, ``"is a directory"``, ``"is a named pipe (FIFO)"``, and so
    on. A file without read permission is still a file: opening it is where that shows.

    >>> path_problem("/tmp")
    'is a directory'
    """
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
