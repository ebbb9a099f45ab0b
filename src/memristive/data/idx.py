"""Reader for the IDX format of MNIST-style files (LeCun et al.), plain or gzip.

Header: two zero bytes, a type code (0x08 = unsigned byte), the number of
dimensions ``d``, then ``d`` big-endian uint32 sizes, then the data.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from memristive.errors import MemristiveError

_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | Path) -> np.ndarray:
    """The array stored in IDX file ``path`` (``.gz`` is decompressed), in the file's own dtype.

    NumPy, not torch: IDX stores big-endian integers and floats, which torch tensors cannot hold;
    :func:`memristive.data.load_dataset` turns the arrays into tensors.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as exc:
        raise MemristiveError(f"cannot read IDX file {path}: {exc}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _TYPES:
        raise MemristiveError(f"{path} is not an IDX file (bad magic number)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_TYPES[raw[2]])
    expected = int(np.prod(dims)) * dtype.itemsize
    if len(raw) - header != expected:
        raise MemristiveError(f"{path}: header promises {expected} data bytes, file holds {len(raw) - header}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims)
