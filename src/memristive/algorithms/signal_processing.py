"""Analogue signal processing by array reads: the 2-D DCT and convolution filters (seed 002, section 6).

Li et al. (Nat. Electron. 1, 52, 2018) ran both on a 128 x 64 1T1R array.

DCT: the array holds ``C^T`` of the orthonormal ``n x n`` DCT-II matrix,
``C_ki = a_k cos(pi (2 i + 1) k / (2 n))``, ``a_0 = sqrt(1/n)``, ``a_k = sqrt(2/n)``. A block ``X`` is
transformed by two passes of forward reads, ``Y = C X C^T`` (rows, then columns), and restored by
two passes of transposed reads of the same array, ``X = C^T Y C`` (:class:`ArrayDCT`).

Convolution: each kernel is one column of an array, each ``k x k`` patch of the image one input
vector, so one read gives every kernel's response at that pixel (``'valid'`` cross-correlation, as
:func:`scipy.signal.correlate2d`; :func:`array_filter`).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from memristive.crossbar import CrossbarArray
from memristive.errors import require


def dct_matrix(n: int, dtype: torch.dtype = torch.float64, device: torch.device | str | None = None) -> torch.Tensor:
    """The orthonormal DCT-II matrix ``C`` [n, n] (``Y = C x`` transforms a column ``x``)."""
    require(isinstance(n, int) and n >= 1, f"n={n} must be an integer >= 1")
    k = torch.arange(n, dtype=dtype, device=device)[:, None]
    i = torch.arange(n, dtype=dtype, device=device)[None, :]
    c = torch.cos(math.pi * (2 * i + 1) * k / (2 * n)) * math.sqrt(2.0 / n)
    c[0] = math.sqrt(1.0 / n)
    return c


def to_blocks(image: torch.Tensor, n: int) -> torch.Tensor:
    """An image [H, W] (both multiples of ``n``) as blocks ``[H/n, W/n, n, n]``."""
    require(image.ndim == 2, f"an image of shape {tuple(image.shape)}: need [height, width]")
    h, w = image.shape
    require(h % n == 0 and w % n == 0, f"an image of {h} x {w} does not split into {n} x {n} blocks")
    return image.reshape(h // n, n, w // n, n).transpose(1, 2)


def from_blocks(blocks: torch.Tensor) -> torch.Tensor:
    """The inverse of :func:`to_blocks`."""
    rows, cols, n, _ = blocks.shape
    return blocks.transpose(1, 2).reshape(rows * n, cols * n)


class ArrayDCT:
    """The 2-D ``n x n`` block DCT by reads of an ``n x n`` array holding ``C^T`` (module docstring).

    Args:
        array: a square :class:`~memristive.crossbar.CrossbarArray`; its mapping's ``w_max`` must be at
            least ``sqrt(2 / n)`` (the largest entry of ``C``).
        import_error: the programming error of writing ``C^T`` (see :meth:`CrossbarArray.program`).
        generator: where that error's draws come from.
        method: how ``C^T`` is written (``"direct"`` or ``"write_verify"``).
        verify: the write-verify settings of ``method="write_verify"``.

    Examples:
        >>> import math, torch
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> array = CrossbarArray(8, 8, get_preset("taox-hfox").ideal(), WeightMapping(w_max=math.sqrt(2 / 8)),
        ...                       generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        >>> dct = ArrayDCT(array)
        >>> blocks = torch.rand(3, 8, 8, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
        >>> bool(torch.allclose(dct.inverse(dct.forward(blocks)), blocks, atol=1e-9))  # exact on ideal devices
        True
    """

    def __init__(self, array: CrossbarArray, *, import_error: float = 0.0, method: str = "direct", verify=None,
                 generator: torch.Generator | None = None) -> None:
        require(array.rows == array.cols, f"a DCT needs a square array, got {array.rows} x {array.cols}")
        n = array.rows
        require(array.mapping.w_max >= math.sqrt(2.0 / n) * (1 - 1e-12),
                f"w_max={array.mapping.w_max} is below the largest DCT entry sqrt(2/{n}) = {math.sqrt(2.0 / n):.4g}")
        self.array, self.n = array, n
        self.matrix = dct_matrix(n, array.dtype, array.conductances().device)
        array.program(self.matrix.t(), method, import_error=import_error, verify=verify, generator=generator)

    def _rows(self, x: torch.Tensor, transposed: bool) -> torch.Tensor:
        return self.array.matvec(x, transposed=transposed)

    def forward(self, blocks: torch.Tensor) -> torch.Tensor:
        """``Y = C X C^T`` of blocks [..., n, n]: forward reads of the rows, then of the columns."""
        require(blocks.shape[-2:] == (self.n, self.n),
                f"blocks of shape {tuple(blocks.shape)} for a {self.n}-point DCT")
        z = self._rows(blocks, False)  # X C^T
        return self._rows(z.transpose(-1, -2), False).transpose(-1, -2)  # C (X C^T)

    def inverse(self, coefficients: torch.Tensor) -> torch.Tensor:
        """``X = C^T Y C`` of coefficient blocks [..., n, n]: transposed reads of the same array."""
        require(coefficients.shape[-2:] == (self.n, self.n),
                f"coefficients of shape {tuple(coefficients.shape)} for a {self.n}-point DCT")
        z = self._rows(coefficients, True)  # Y C
        return self._rows(z.transpose(-1, -2), True).transpose(-1, -2)  # C^T (Y C)


def keep_largest(coefficients: torch.Tensor, share: float) -> torch.Tensor:
    """Coefficient blocks [..., n, n] with all but the ``ceil(share n^2)`` largest |values| of each set to 0."""
    require(0 < share <= 1, f"share={share} must be in (0, 1]")
    flat = coefficients.flatten(-2)
    keep = math.ceil(share * flat.shape[-1])
    index = flat.abs().topk(keep, dim=-1).indices
    kept = torch.zeros_like(flat).scatter_(-1, index, flat.gather(-1, index))
    return kept.reshape(coefficients.shape)


def psnr_db(image: torch.Tensor, reference: torch.Tensor, peak: float = 1.0) -> float:
    """``10 log10(peak^2 / MSE)`` of ``image`` against ``reference``, dB (inf when equal)."""
    mse = float((image - reference).square().mean())
    return math.inf if mse == 0 else 10 * math.log10(peak**2 / mse)


def array_filter(image: torch.Tensor, array: CrossbarArray) -> torch.Tensor:
    """``'valid'`` cross-correlation of ``image`` [H, W] with the kernels held by ``array`` ([k^2, kernels],
    one flattened ``k x k`` kernel per column): one read per pixel, ``[kernels, H - k + 1, W - k + 1]``."""
    require(image.ndim == 2, f"an image of shape {tuple(image.shape)}: need [height, width]")
    k = math.isqrt(array.rows)
    require(k * k == array.rows, f"an array of {array.rows} rows does not hold square kernels")
    h, w = image.shape
    require(h >= k and w >= k, f"an image of {h} x {w} is smaller than the {k} x {k} kernels")
    patches = F.unfold(image[None, None].to(array.dtype), k)[0].t()  # [pixels, k^2], row-major patches
    return array.matvec(patches).t().reshape(array.cols, h - k + 1, w - k + 1)
