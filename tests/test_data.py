"""The shipped MNIST and the array helpers every notebook uses."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_helpers import MnistDataError, load_mnist, prepare_images, take_subset, train_val_split
from mnist_helpers.data import DATA_FILE, sha256_of


@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


def test_load_mnist_returns_keras_shapes_dtypes_and_order(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert (x_train.shape, y_train.shape) == ((60000, 28, 28), (60000,))
    assert (x_test.shape, y_test.shape) == ((10000, 28, 28), (10000,))
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    # The same digits in the same order as keras.datasets.mnist.load_data().
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_load_mnist_class_counts_and_pixel_statistics(mnist):
    (x_train, y_train), (_, y_test) = mnist
    assert np.bincount(y_train).tolist() == [
        5923,
        6742,
        5958,
        6131,
        5842,
        5421,
        5918,
        6265,
        5851,
        5949,
    ]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert x_train.mean() == pytest.approx(33.318421449829934, abs=1e-9)
    assert x_train.std() == pytest.approx(78.56748998339798, abs=1e-9)
    assert x_train.min() == 0 and x_train.max() == 255


def test_load_mnist_is_read_from_the_package_file(mnist, tmp_path):
    """The default path and an explicit copy give the same arrays: nothing comes from elsewhere."""
    copy = tmp_path / "mnist.npz"
    copy.write_bytes(DATA_FILE.read_bytes())
    (x_copy, _), _ = load_mnist(copy)
    assert np.array_equal(x_copy, mnist[0][0])


def _save_variant(path, mnist, **changes):
    (x_train, y_train), (x_test, y_test) = mnist
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    arrays.update(changes)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    np.savez(path, **arrays)
    return path


def test_one_changed_pixel_is_reported_as_damage(mnist, tmp_path):
    x = mnist[0][0].copy()
    x[123, 14, 14] ^= 1
    path = _save_variant(tmp_path / "mnist.npz", mnist, x_train=x)
    with pytest.raises(MnistDataError, match=r"damaged: 'x_train'.*git checkout"):
        load_mnist(path)


def test_one_swapped_label_is_reported_as_damage(mnist, tmp_path):
    y = mnist[1][1].copy()
    y[[0, 1]] = y[[1, 0]]
    path = _save_variant(tmp_path / "mnist.npz", mnist, y_test=y)
    with pytest.raises(MnistDataError, match="'y_test' does not match its SHA-256"):
        load_mnist(path)


def test_a_missing_array_is_named(mnist, tmp_path):
    path = _save_variant(tmp_path / "mnist.npz", mnist, y_train=None)
    with pytest.raises(MnistDataError, match="no array 'y_train'"):
        load_mnist(path)


def test_wrong_dtype_is_reported_before_hashing(mnist, tmp_path):
    path = _save_variant(tmp_path / "mnist.npz", mnist, y_test=mnist[1][1].astype(np.int64))
    with pytest.raises(MnistDataError, match=r"'y_test' as int64 \(10000,\), expected uint8"):
        load_mnist(path)


@pytest.mark.parametrize(
    "content",
    [b"", b"PK\x03\x04 truncated zip"],
    ids=["empty", "truncated"],
)
def test_an_unreadable_file_gives_a_clear_error(tmp_path, content):
    path = tmp_path / "mnist.npz"
    path.write_bytes(content)
    with pytest.raises(MnistDataError, match="cannot be read.*Restore it"):
        load_mnist(path)


def test_a_byte_flipped_in_the_compressed_stream_is_damage_not_a_zlib_error(tmp_path):
    data = bytearray(DATA_FILE.read_bytes())
    data[100] ^= 0xFF  # early in x_train's deflate stream
    path = tmp_path / "mnist.npz"
    path.write_bytes(bytes(data))
    with pytest.raises(MnistDataError, match=r"cannot be read \(zlib\.error: .*Restore it"):
        load_mnist(path)


def test_an_npy_saved_in_its_place_is_named(tmp_path):
    path = tmp_path / "mnist.npz"
    with path.open("wb") as f:
        np.save(f, np.zeros((3, 28, 28), np.uint8))
    with pytest.raises(
        MnistDataError, match=r"holds one ndarray \(an \.npy file.*expected an \.npz"
    ):
        load_mnist(path)


def test_a_directory_or_a_broken_link_says_what_it_is(tmp_path):
    (tmp_path / "folder.npz").mkdir()
    with pytest.raises(MnistDataError, match="is a directory, not an .npz file. Restore it"):
        load_mnist(tmp_path / "folder.npz")
    (tmp_path / "link.npz").symlink_to(tmp_path / "gone.npz")
    with pytest.raises(FileNotFoundError, match="broken symbolic link .*gone.npz.*Restore it"):
        load_mnist(tmp_path / "link.npz")


def test_a_truncated_real_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(DATA_FILE.read_bytes()[:5_000_000])
    with pytest.raises(MnistDataError, match="Restore it"):
        load_mnist(path)


def test_a_missing_file_says_how_to_restore_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"missing\. Restore it .*build_mnist_npz\.py"):
        load_mnist(tmp_path / "nowhere.npz")


def test_sha256_of_depends_on_every_byte():
    a = np.zeros((2, 3), np.uint8)
    b = a.copy()
    b[1, 2] = 1
    assert sha256_of(a) != sha256_of(b)
    assert sha256_of(a) == sha256_of(np.asfortranarray(a))  # C-order bytes, whatever the layout


# --- prepare_images ----------------------------------------------------------------------


def test_prepare_images_scales_to_unit_float32_with_channel_axis():
    x = np.zeros((1, 28, 28), np.uint8)
    x[0, 0, 1], x[0, 5, 5] = 51, 255
    out = prepare_images(x)
    assert out.shape == (1, 28, 28, 1) and out.dtype == np.float32
    assert out.min() == 0.0 and out.max() == 1.0
    assert out[0, 0, 1, 0] == pytest.approx(0.2)


def test_prepare_images_matches_dividing_by_255_and_leaves_its_input_alone():
    """Scaling happens in place on prepare_images' own copy, to halve the peak memory on the full
    data. The result must still be bit-for-bit ``x.astype(float32) / 255`` for every pixel value,
    and the caller's digits must come back untouched."""
    x = np.arange(256, dtype=np.uint8).repeat(4)[: 28 * 28].reshape(1, 28, 28)
    before = x.copy()
    assert np.array_equal(prepare_images(x)[..., 0], x.astype(np.float32) / 255.0)
    assert np.array_equal(x, before)


def test_prepare_images_without_channel_axis_and_single_digit():
    assert prepare_images(np.zeros((3, 28, 28), np.uint8), channel_axis=False).shape == (3, 28, 28)
    assert prepare_images(np.zeros((28, 28), np.uint8)).shape == (28, 28, 1)


@pytest.mark.parametrize(
    "x, message",
    [
        (np.zeros((5, 28, 28), np.float32), "expected uint8 pixels 0..255.*got float32"),
        (np.zeros((5, 784), np.uint8), r"shaped \(n, 28, 28\).*got \(5, 784\)"),
        (np.zeros((5, 32, 32), np.uint8), r"got \(5, 32, 32\)"),
    ],
)
def test_prepare_images_rejects_wrong_input(x, message):
    with pytest.raises(ValueError, match=message):
        prepare_images(x)


# --- splits ------------------------------------------------------------------------------


def _indexed(n=1000, classes=10):
    """Images whose first pixel is their index, so splits can be traced back."""
    x = np.zeros((n, 28, 28), np.int32)
    x[:, 0, 0] = np.arange(n)
    y = np.arange(n) % classes
    return x, y


def test_train_val_split_partitions_the_data_and_keeps_class_shares():
    x, y = _indexed()
    (x_tr, y_tr), (x_val, y_val) = train_val_split(x, y, val_size=200, seed=1)
    idx_tr, idx_val = x_tr[:, 0, 0], x_val[:, 0, 0]
    assert len(idx_val) == 200 and len(idx_tr) == 800
    assert set(idx_tr).isdisjoint(idx_val)
    assert sorted(np.concatenate([idx_tr, idx_val]).tolist()) == list(range(1000))
    assert np.array_equal(y[idx_val], y_val)  # labels travel with their images
    assert np.bincount(y_val).tolist() == [20] * 10


def test_train_val_split_fraction_and_reproducibility():
    x, y = _indexed()
    first = train_val_split(x, y, val_size=0.1, seed=5)
    again = train_val_split(x, y, val_size=0.1, seed=5)
    other = train_val_split(x, y, val_size=0.1, seed=6)
    assert len(first[1][0]) == 100
    assert np.array_equal(first[1][0], again[1][0])
    assert not np.array_equal(first[1][0], other[1][0])


def test_train_val_split_rejects_mismatched_lengths():
    x, y = _indexed()
    with pytest.raises(ValueError, match="1000 images, 999 labels"):
        train_val_split(x, y[:-1])


def test_take_subset_is_stratified_and_a_no_op_when_large_enough():
    x, y = _indexed()
    xs, ys = take_subset(x, y, 300, seed=2)
    assert len(xs) == 300 and np.bincount(ys).tolist() == [30] * 10
    assert np.array_equal(y[xs[:, 0, 0]], ys)
    x_all, y_all = take_subset(x, y, 5000)
    assert x_all is x and y_all is y


def test_an_empty_path_is_named_not_taken_for_the_current_folder():
    with pytest.raises(ValueError, match="^the MNIST data path is empty: expected the name of an"):
        load_mnist("")
