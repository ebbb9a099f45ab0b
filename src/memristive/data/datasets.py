"""Datasets: ``digits`` (embedded), ``mnist`` and ``fashion-mnist`` (IDX files), ``mnist-test``.

``mnist-test`` is the canonical MNIST test set alone (10,000 images, the only MNIST these
offline machines hold), split into a fixed 8,000 training and 2,000 test images.

IDX files are looked for in ``data_dir`` (and its ``NAME/`` sub-folder) alone when it is
given, else, in order, in ``$MEMRISTIVE_DATA`` (and its ``NAME/`` sub-folder), the Debian
package path ``/usr/share/datasets/NAME`` (``apt-get install dataset-fashion-mnist``), and
the download cache ``~/.cache/memristive/NAME``. With ``download=True`` missing files are
fetched from the standard public mirrors and checked against their published MD5 before use.
Images and labels must agree in count and labels lie in 0..9. Pixels are scaled to [0, 1].
"""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from memristive.data.idx import read_idx
from memristive.errors import MemristiveError

_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
_MIRRORS = {
    "mnist": "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "fashion-mnist": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
}
# MD5 of the published .gz files (MNIST: LeCun's site; Fashion-MNIST: its README).
_MD5 = {
    "mnist": ("f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
              "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"),
    "fashion-mnist": ("8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                      "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"),
}
DATASETS = ("digits", "mnist", "fashion-mnist", "mnist-test")
_TEST_SPLIT = 8000
_CLASSES = 10  # MNIST and Fashion-MNIST both have ten classes


@dataclass(frozen=True)
class Dataset:
    """Train/test split with images in [0, 1] as float32 ``[n, h, w]`` and int64 labels.

    Examples:
        >>> from memristive.data import load_dataset
        >>> data = load_dataset("digits")  # embedded: scikit-learn's 8 x 8 digits
        >>> data.image_shape, data.n_classes, len(data.subset(100, 50).x_train)
        ((8, 8), 10, 100)
    """

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor

    @property
    def image_shape(self) -> tuple[int, int]:
        """(height, width) of one image."""
        return tuple(self.x_train.shape[1:])

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return int(self.y_train.max().item()) + 1

    def subset(self, n_train: int | None, n_test: int | None) -> "Dataset":
        """The first ``n_train`` / ``n_test`` examples (``None``: all)."""
        return Dataset(self.name, self.x_train[:n_train], self.y_train[:n_train], self.x_test[:n_test], self.y_test[:n_test])


def _digits() -> Dataset:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = torch.tensor(bunch.images / 16.0, dtype=torch.float32)
    y = torch.tensor(bunch.target, dtype=torch.int64)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))  # fixed split
    n_train = 1257  # 70 / 30
    tr, te = order[:n_train], order[n_train:]
    return Dataset("digits", x[tr], y[tr], x[te], y[te])


def _candidate_dirs(name: str, data_dir: str | Path | None) -> list[Path]:
    """Where to look: an explicit ``data_dir`` (and its ``name`` subfolder) only, else the environment's
    folder, the system's datasets and the download cache."""
    if data_dir is not None:
        return [Path(data_dir), Path(data_dir) / name]
    dirs = []
    if os.environ.get("MEMRISTIVE_DATA"):
        env = Path(os.environ["MEMRISTIVE_DATA"])
        dirs += [env, env / name]
    dirs += [Path("/usr/share/datasets") / name, cache_dir(name)]
    return dirs


def cache_dir(name: str) -> Path:
    """Where downloads of dataset ``name`` are kept."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "memristive" / name


def _find(stem: str, dirs: list[Path]) -> Path | None:
    for folder in dirs:
        for candidate in (folder / f"{stem}.gz", folder / stem):
            if candidate.is_file():
                return candidate
    return None


def _download(name: str, index: int) -> Path:
    stem = _FILES[index]
    target = cache_dir(name) / f"{stem}.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    url = _MIRRORS[name] + f"{stem}.gz"
    partial = target.with_suffix(".part")
    try:
        with urllib.request.urlopen(url, timeout=30) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise MemristiveError(f"{name}: cannot download {url} ({exc}); supply the IDX files with --data-dir") from None
    digest = hashlib.md5(partial.read_bytes()).hexdigest()
    if digest != _MD5[name][index]:
        partial.unlink(missing_ok=True)
        raise MemristiveError(f"{name}: {url} failed its checksum (md5 {digest}, expected {_MD5[name][index]})")
    partial.rename(target)
    return target


def _idx_dataset(name: str, data_dir: str | Path | None, download: bool) -> Dataset:
    if data_dir is not None and not Path(data_dir).is_dir():
        raise MemristiveError(f"--data-dir {data_dir}: no such folder")
    test_only = name == "mnist-test"
    source = "mnist" if test_only else name
    dirs = _candidate_dirs(source, data_dir) + (_candidate_dirs(name, data_dir) if test_only else [])
    paths = []
    for index, stem in enumerate(_FILES):
        if test_only and index < 2:
            continue
        path = _find(stem, dirs)
        if path is None and download:
            path = _download(source, index)
        if path is None:
            searched = ", ".join(str(d) for d in dirs)
            raise MemristiveError(f"dataset {name!r}: {stem}[.gz] not found in {searched} (use --data-dir)")
        paths.append(path)
    arrays = [read_idx(p) for p in paths]
    for (images, labels), (image_path, label_path) in zip(zip(arrays[::2], arrays[1::2]), zip(paths[::2], paths[1::2])):
        if images.ndim != 3 or labels.ndim != 1:
            raise MemristiveError(f"{image_path}, {label_path}: need images [n, h, w] and labels [n], got "
                                  f"{images.shape} and {labels.shape}")
        if len(images) != len(labels):
            raise MemristiveError(f"{image_path} and {label_path} differ: {len(images)} images vs {len(labels)} labels")
        if labels.size and not (0 <= int(labels.min()) and int(labels.max()) < _CLASSES):
            raise MemristiveError(f"{label_path}: labels must lie in 0..{_CLASSES - 1}, found "
                                  f"{int(labels.min())}..{int(labels.max())}")
    if test_only:
        images, labels = arrays
        arrays = [images[:_TEST_SPLIT], labels[:_TEST_SPLIT], images[_TEST_SPLIT:], labels[_TEST_SPLIT:]]
    x_train, x_test = (torch.tensor(a.astype(np.float32) / 255.0) for a in (arrays[0], arrays[2]))
    y_train, y_test = (torch.tensor(a.astype(np.int64)) for a in (arrays[1], arrays[3]))
    return Dataset(name, x_train, y_train, x_test, y_test)


def load_dataset(name: str, data_dir: str | Path | None = None, download: bool = False) -> Dataset:
    """Load dataset ``name`` (one of :data:`DATASETS`); a clear error if it is absent."""
    if name == "digits":
        return _digits()
    if name not in DATASETS:
        raise MemristiveError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    return _idx_dataset(name, data_dir, download)
