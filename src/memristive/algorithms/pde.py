"""PDE solving on arrays with precision extension (seed 002, section 6; Zidan et al., Nat. Electron. 1, 411, 2018).

A sparse coefficient matrix is split into ``tile x tile`` blocks; the blocks that are all zero are
skipped (no array), every other block is one :class:`~memristive.crossbar.CrossbarArray` whose
weights are bit-sliced over ``K`` planes of ``b`` bits (``WeightMapping(slices=K, slice_bits=b)``:
each slice's partial products are digitised and added by shift-and-add), so a product ``A x`` is
one read per non-zero block (:class:`BlockOperator`).

Poisson: ``-div(kappa grad u) = f`` on an ``ny x nx`` interior grid of spacing ``h`` with
``u = 0`` on the boundary, the 5-point finite-volume matrix ``A`` (``kappa`` at the cell faces,
:func:`poisson_matrix`). Jacobi iteration with the diagonal ``D`` applied digitally:

    u_(k+1) = u_k + D^-1 (f - A u_k),

so the residual is the only matrix product, and the iteration stops when the update is below
``tol`` of ``|u|``. Wave: ``u_tt = c^2 lap(u)`` stepped by leapfrog, ``u_(t+1) = M u_t - u_(t-1)``
with ``M = 2 I - r^2 L`` (``L`` the constant-coefficient 5-point matrix times ``h^2``,
``r = c dt / h <= 1 / sqrt 2``), ``M`` held by the arrays.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import torch

from memristive.crossbar import CrossbarArray, Periphery, WeightMapping
from memristive.devices.base import DeviceModel
from memristive.errors import require


def _index(ny: int, nx: int) -> torch.Tensor:
    return torch.arange(ny * nx).reshape(ny, nx)


def poisson_matrix(ny: int, nx: int, kappa: torch.Tensor | None = None, h: float | None = None) -> torch.Tensor:
    """The 5-point matrix of ``-div(kappa grad u)`` on an ``ny x nx`` interior grid, dense ``[ny nx, ny nx]``.

    ``kappa``: conductivity at the ``(ny + 2) x (nx + 2)`` grid points including the boundary (default 1);
    face values are the means of the two points; ``h``: spacing (default ``1 / (nx + 1)``).
    """
    require(isinstance(ny, int) and isinstance(nx, int) and ny >= 1 and nx >= 1, f"grid {ny} x {nx}: need >= 1 x 1")
    kappa = torch.ones(ny + 2, nx + 2, dtype=torch.float64) if kappa is None else kappa.double()
    require(tuple(kappa.shape) == (ny + 2, nx + 2), f"kappa of shape {tuple(kappa.shape)}: need {(ny + 2, nx + 2)}")
    require(bool((kappa > 0).all()), "kappa must be > 0 everywhere")
    h = 1.0 / (nx + 1) if h is None else h
    index = _index(ny, nx)
    a = torch.zeros(ny * nx, ny * nx, dtype=torch.float64)
    inner = kappa[1:-1, 1:-1]
    for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        face = 0.5 * (inner + kappa[1 + dy:ny + 1 + dy, 1 + dx:nx + 1 + dx]) / h**2
        a[index.flatten(), index.flatten()] += face.flatten()
        rows = index[max(0, -dy):ny - max(0, dy), max(0, -dx):nx - max(0, dx)]
        cols = index[max(0, dy):ny + min(0, dy) or None, max(0, dx):nx + min(0, dx) or None]
        faces = face[max(0, -dy):ny - max(0, dy), max(0, -dx):nx - max(0, dx)]
        a[rows.flatten(), cols.flatten()] -= faces.flatten()
    return a


class BlockOperator:
    """``y = A x`` by array reads of the non-zero ``tile x tile`` blocks of ``matrix`` (module docstring).

    Args:
        matrix: ``A`` [N, N] (dense; its zero blocks get no array).
        tile: rows and columns of one array; ``N`` must be a multiple of it.
        model: the devices of every array.
        mapping: slices and bits per weight (its ``w_max`` is set to ``max |A|``).
        periphery: DAC / ADC of every array.
        import_error: the relative programming error of writing the blocks.
        generator: where that error's draws come from.

    Examples:
        >>> import torch
        >>> from memristive.crossbar import WeightMapping
        >>> from memristive.devices import get_preset
        >>> a = poisson_matrix(4, 4)  # 16 unknowns, 5-point stencil
        >>> operator = BlockOperator(a, 4, get_preset("taox-hfox").ideal(), WeightMapping(slices=8, slice_bits=4))
        >>> x = torch.linspace(0, 1, 16, dtype=torch.float64)
        >>> len(operator.blocks), bool(torch.allclose(operator(x), a @ x, atol=1e-3))  # the zero blocks get no array
        (10, True)
    """

    def __init__(self, matrix: torch.Tensor, tile: int, model: DeviceModel, mapping: WeightMapping | None = None,
                 periphery: Periphery | None = None, *, import_error: float = 0.0,
                 generator: torch.Generator | None = None) -> None:
        n = matrix.shape[0]
        require(matrix.ndim == 2 and matrix.shape[1] == n, f"a matrix of shape {tuple(matrix.shape)}: need square")
        require(isinstance(tile, int) and tile >= 1, f"tile={tile} must be an integer >= 1")
        require(n % tile == 0, f"a {n} x {n} matrix does not split into {tile} x {tile} arrays")
        scale = float(matrix.abs().max())
        require(scale > 0, "the matrix is all zeros")
        mapping = dataclasses.replace(mapping or WeightMapping(), w_max=scale)
        self.size, self.tile, self.count = n, tile, n // tile
        self.blocks: dict[tuple[int, int], CrossbarArray] = {}
        for i in range(self.count):
            for j in range(self.count):
                block = matrix[i * tile:(i + 1) * tile, j * tile:(j + 1) * tile]
                if not bool((block != 0).any()):
                    continue
                array = CrossbarArray(tile, tile, model, mapping, periphery, generator=generator,
                                      dtype=torch.float64, device=matrix.device)
                array.program(block.t(), import_error=import_error, generator=generator)  # rows: inputs x_J
                self.blocks[(i, j)] = array

    @property
    def skipped_share(self) -> float:
        """Share of the blocks that are all zero and need no array."""
        return 1.0 - len(self.blocks) / self.count**2

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """``A x`` for ``x`` [..., N]: one read of each non-zero block, summed per block row."""
        require(x.shape[-1] == self.size, f"{x.shape[-1]} inputs for a {self.size} x {self.size} operator")
        t = self.tile
        y = torch.zeros_like(x, dtype=torch.float64)
        for (i, j), array in self.blocks.items():
            y[..., i * t:(i + 1) * t] += array.matvec(x[..., j * t:(j + 1) * t].double())
        return y


@dataclass(frozen=True)
class JacobiRun:
    """What :func:`jacobi` returns: the solution ``u``, the ``iterations`` run, whether the update fell below
    ``tol`` (``converged``) or ``|u|`` grew past ``1e8`` times its first iterate (``diverged``), and the
    relative update of every iteration (``updates``).

    Examples:
        >>> import torch
        >>> a = poisson_matrix(4, 4)
        >>> run = jacobi(lambda x: a @ x, torch.diagonal(a), torch.ones(16, dtype=torch.float64), tol=1e-10)
        >>> run.converged, bool(torch.allclose(a @ run.u, torch.ones(16, dtype=torch.float64), atol=1e-8))
        (True, True)
    """

    u: torch.Tensor
    iterations: int
    converged: bool
    diverged: bool
    updates: torch.Tensor


def jacobi(multiply, diagonal: torch.Tensor, f: torch.Tensor, *, tol: float = 1e-10, max_iter: int = 10_000,
           u0: torch.Tensor | None = None) -> JacobiRun:
    """``u <- u + (f - A u) / D`` until ``|du| <= tol |u|`` (or divergence); ``multiply(u)`` gives ``A u``
    (e.g. a :class:`BlockOperator`), ``diagonal`` is ``D``."""
    require(tol > 0 and isinstance(max_iter, int) and max_iter >= 1, f"need tol > 0 and max_iter >= 1, got "
            f"{tol}, {max_iter}")
    require(bool((diagonal != 0).all()), "Jacobi needs a diagonal without zeros")
    u = torch.zeros_like(f, dtype=torch.float64) if u0 is None else u0.double().clone()
    updates, first = [], None
    for k in range(1, max_iter + 1):
        du = (f - multiply(u)) / diagonal
        u = u + du
        size = float(u.norm())
        first = size if first is None else first
        updates.append(float(du.norm()) / max(size, torch.finfo(torch.float64).tiny))
        if updates[-1] <= tol:
            return JacobiRun(u, k, True, False, torch.tensor(updates))
        if not size <= 1e8 * max(first, torch.finfo(torch.float64).tiny):  # also catches inf and nan
            return JacobiRun(u, k, False, True, torch.tensor(updates))
    return JacobiRun(u, max_iter, False, False, torch.tensor(updates))


def wave_matrix(ny: int, nx: int, courant: float) -> torch.Tensor:
    """``M = 2 I - r^2 L`` of the leapfrog wave step (``L = h^2 A`` of the constant-coefficient Poisson matrix)."""
    require(0 < courant <= 2**-0.5, f"courant={courant}: leapfrog is stable for 0 < r <= 1/sqrt(2)")
    laplacian = poisson_matrix(ny, nx, h=1.0)
    return 2 * torch.eye(ny * nx, dtype=torch.float64) - courant**2 * laplacian


def leapfrog(multiply, u0: torch.Tensor, u1: torch.Tensor, steps: int) -> torch.Tensor:
    """States ``u_t`` [steps + 2, N] of ``u_(t+1) = M u_t - u_(t-1)`` from ``u_0``, ``u_1``
    (``multiply(u)`` gives ``M u``)."""
    require(isinstance(steps, int) and steps >= 0, f"steps={steps} must be an integer >= 0")
    states = [u0.double(), u1.double()]
    for _ in range(steps):
        states.append(multiply(states[-1]) - states[-2])
    return torch.stack(states)
