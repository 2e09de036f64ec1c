"""What a path is when it is not the file expected: the words every error message builds on."""

from __future__ import annotations

import os
import socket

import pytest

from mnist_helpers.files import file_sha256, path_problem


def test_a_regular_file_has_no_problem_and_the_rest_are_named(tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "photo.png")
    (tmp_path / "dangling").symlink_to(tmp_path / "gone.png")
    assert path_problem(tmp_path / "photo.png") is None
    assert path_problem(tmp_path / "link") is None  # a link to a file is that file
    assert path_problem(tmp_path / "folder") == "is a directory"
    assert path_problem(str(tmp_path / "pipe")) == "is a named pipe (FIFO)"
    assert path_problem(tmp_path / "nowhere") == "does not exist"
    assert path_problem(tmp_path / "dangling") == (
        f"is a broken symbolic link (its target {tmp_path / 'gone.png'} does not exist)"
    )
    assert path_problem(tmp_path / "photo.png" / "inside").startswith("cannot be reached (")


def test_a_socket_and_a_device_are_named(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock"))
        assert path_problem(tmp_path / "sock") == "is a socket"
    finally:
        server.close()
    assert path_problem("/dev/null") == "is a character device"


def test_file_sha256_is_the_sha256_of_the_bytes(tmp_path):
    """The published SHA-256 of b"abc", so a hash of the path's name or of text would fail."""
    (tmp_path / "f").write_bytes(b"abc")
    assert file_sha256(tmp_path / "f") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert file_sha256(str(tmp_path / "f")) == file_sha256(tmp_path / "f")


def test_first_line_keeps_one_line_of_an_error_and_its_type():
    from mnist_helpers.files import first_line

    assert first_line(ValueError("bad value\nmore detail")) == "ValueError: bad value"
    assert first_line(KeyError()) == "KeyError"
    assert first_line(RuntimeError("x" * 500)) == "RuntimeError: " + "x" * 200


def test_a_nul_byte_is_named_not_raised(tmp_path):
    """``Path.stat`` raises ``ValueError: embedded null byte``; the helpers name it instead."""
    from mnist_helpers.files import nul_byte_message

    path = str(tmp_path / "seven\x00.png")
    assert path_problem(path) == "contains a NUL byte (\\x00)"
    assert nul_byte_message(path, "image", "the name of an image file") == (
        f"the image path {path!r} contains a NUL byte (\\x00): expected the name of an image file"
    )
    assert "\\x00" in repr(path) and "\x00" not in nul_byte_message(path, "image", "a file")
    assert nul_byte_message(tmp_path / "seven.png", "image", "a file") is None


def test_a_path_no_file_could_have_is_refused_with_the_error_asked_for(tmp_path):
    """``checked_path``, which every reader of a path calls first: an empty path (``Path("")``
    is the current folder) and a NUL byte raise the caller's error; any other path comes back."""
    from mnist_helpers.files import checked_path

    class Refused(ValueError):
        pass

    with pytest.raises(Refused, match="^the image path is empty: expected a photo$"):
        checked_path("", "image", "a photo", Refused)
    with pytest.raises(ValueError, match="^the model path .* contains a NUL byte"):
        checked_path(str(tmp_path / "m\x00.keras"), "model", "a model")
    assert checked_path(str(tmp_path / "seven.png"), "image", "a photo") == tmp_path / "seven.png"


def test_the_restore_hint_names_git_and_pip_and_how_to_remake_the_file():
    """One sentence for every shipped file: the path as git knows it, and the package's pip
    install as the notebooks' Colab cells run it."""
    from mnist_helpers.course import install_url
    from mnist_helpers.files import COURSE_ROOT, restore_hint

    hint = restore_hint(COURSE_ROOT / "mnist_helpers" / "data" / "mnist.npz", "rebuild it")
    assert hint.startswith("Restore it with `git checkout -- mnist_helpers/data/mnist.npz` in")
    assert f'`pip install --force-reinstall --no-deps "mnist-helpers @ {install_url()}"`' in hint
    assert hint.endswith("; or rebuild it.") and "\n" not in hint
