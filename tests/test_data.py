"""Datasets and the IDX reader."""

import gzip
from pathlib import Path

import numpy as np
import pytest

from memristive.data import load_dataset, read_idx
from memristive.errors import MemristiveError

MNIST_TEST = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist-test"


def test_digits_split_is_fixed_and_scaled():
    a, b = load_dataset("digits"), load_dataset("digits")
    assert a.x_train.shape == (1257, 8, 8) and a.x_test.shape == (540, 8, 8)
    assert a.x_train.min() >= 0 and a.x_train.max() <= 1
    assert (a.y_test == b.y_test).all() and a.n_classes == 10


@pytest.mark.skipif(not MNIST_TEST.is_dir(), reason="../shared/data/mnist-test not present")
def test_idx_reader_on_canonical_mnist_test_set():
    images = read_idx(MNIST_TEST / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(MNIST_TEST / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(labels).tolist()[:3] == [980, 1135, 1032]


def test_idx_reader_round_trip_and_errors(tmp_path):
    data = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    raw = bytes([0, 0, 8, 3]) + b"".join(int(d).to_bytes(4, "big") for d in data.shape) + data.tobytes()
    (tmp_path / "a.gz").write_bytes(gzip.compress(raw))
    np.testing.assert_array_equal(read_idx(tmp_path / "a.gz"), data)
    (tmp_path / "bad").write_bytes(b"\x01\x02\x03")
    with pytest.raises(MemristiveError, match="not an IDX file"):
        read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(raw[:-3])
    with pytest.raises(MemristiveError, match="data bytes"):
        read_idx(tmp_path / "short")


def test_missing_dataset_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(MemristiveError, match="not found"):
        load_dataset("mnist", data_dir=tmp_path)
    with pytest.raises(MemristiveError, match="unknown dataset"):
        load_dataset("cifar")


def _idx(path, array):
    """An uncompressed IDX file of unsigned bytes (type code 0x08)."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def _fake_mnist(folder, train=(6, 6), test=(4, 4), top_label=9):
    folder.mkdir(parents=True, exist_ok=True)
    (n_img, n_lab), (m_img, m_lab) = train, test
    _idx(folder / "train-images-idx3-ubyte", np.zeros((n_img, 4, 4)))
    _idx(folder / "train-labels-idx1-ubyte", np.arange(n_lab) % 10)
    _idx(folder / "t10k-images-idx3-ubyte", np.zeros((m_img, 4, 4)))
    _idx(folder / "t10k-labels-idx1-ubyte", np.minimum(np.arange(m_lab), top_label) if m_lab else np.zeros(0))
    return folder


def test_idx_files_that_disagree_are_refused_by_name(tmp_path):
    good = load_dataset("mnist", data_dir=_fake_mnist(tmp_path / "good"))
    assert good.x_train.shape == (6, 4, 4) and good.y_test.tolist() == [0, 1, 2, 3]
    with pytest.raises(MemristiveError, match="differ: 6 images vs 5 labels"):
        load_dataset("mnist", data_dir=_fake_mnist(tmp_path / "count", train=(6, 5)))
    labels = np.array([0, 1, 200, 3])
    folder = _fake_mnist(tmp_path / "range")
    _idx(folder / "t10k-labels-idx1-ubyte", labels)
    with pytest.raises(MemristiveError, match=r"labels must lie in 0..9, found 0..200"):
        load_dataset("mnist", data_dir=folder)


def test_an_explicit_data_dir_is_never_replaced_by_another_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MEMRISTIVE_DATA", str(_fake_mnist(tmp_path / "env" / "mnist")))
    assert load_dataset("mnist").x_train.shape[0] == 6  # found through the environment
    with pytest.raises(MemristiveError, match="no such folder"):
        load_dataset("mnist", data_dir=tmp_path / "nonexistent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(MemristiveError, match="not found in"):
        load_dataset("mnist", data_dir=tmp_path / "empty")
