"""Conjugate gradients for the crossbar's nodal equations on the row nodes alone, the wires as preconditioner.

The nodal matrix of :mod:`memristive.crossbar.circuit`, with the row-wire node voltages
``r`` and the column-wire node voltages ``c`` as the two blocks, is::

    [ P_r  -D  ] [r]   [b_r]
    [ -D   P_c ] [c] = [b_c]

``P_r`` holds every row wire as an independent tridiagonal line (segment conductances, the
driver end, each node's device conductance on the diagonal), ``P_c`` every column wire
likewise (the sense end), and ``D = diag(G)`` couples row node ``(i, j)`` to column node
``(i, j)``. Eliminating the column nodes exactly, ``c = P_c^-1 (b_c + D r)`` (one
tridiagonal solve per column line), leaves the SPD Schur complement::

    S r = (P_r - D P_c^-1 D) r = b_r + D P_c^-1 b_c

solved by conjugate gradients preconditioned with ``P_r``; both line solves are LAPACK
``pttrf``/``pttrs``, O(N M). With wires 10^4-10^5 times more conductive than devices, IR
drop is a property of the lines, which are solved exactly; ``P_r^-1 S = I - P_r^-1 D P_c^-1 D``
has its eigenvalues in ``(1 - rho^2, 1]``, ``rho`` the block-Jacobi coupling of the full system,
so CG on the Schur complement needs about half the iterations of CG on the full system at the
same cost per step (the red-black reduction; Saad, *Iterative Methods for Sparse Linear
Systems*, 2nd ed., section 8.1): 3-4 iterations at 64 x 64, 4-8 at 256 x 256 and 9-18 at
1024 x 1024 for 0.1-1 ohm per segment and a 1e-12 relative residual.

Vectors are batch first: ``[B, N, M]`` over the row nodes. The device conductances are
``[N, M]`` (one matrix, ``B`` right-hand sides) or ``[B, N, M]`` (one matrix per vector, as in
the Newton steps of nonlinear devices: the lines of all vectors then form one long system).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import lapack

from memristive.errors import MemristiveError


@dataclass(frozen=True)
class Wires:
    """Segment conductances of the array's lines, S: rows, columns, driver end, sense end.

    Examples:
        >>> wires = Wires(g_row=1.0, g_col=1.0, g_drive=1e3, g_sense=1e3)  # 1 ohm segments, 1 mOhm driver and sense
        >>> wires.row_diagonal(3).tolist()  # each row node's wire conductance on the diagonal, S
        [1001.0, 2.0, 1.0]
    """

    g_row: float
    g_col: float
    g_drive: float
    g_sense: float

    def row_diagonal(self, m: int) -> np.ndarray:
        """Wire conductance at each of a row's ``m`` nodes: driver segment at node 0, open at node m-1."""
        diagonal = np.full(m, 2 * self.g_row)
        diagonal[0] = self.g_drive + (self.g_row if m > 1 else 0.0)
        if m > 1:
            diagonal[-1] = self.g_row
        return diagonal

    def column_diagonal(self, n: int) -> np.ndarray:
        """Wire conductance at each of a column's ``n`` nodes: open at node 0, sense segment at n-1."""
        diagonal = np.full(n, 2 * self.g_col)
        diagonal[0] = self.g_col
        diagonal[-1] = self.g_col + self.g_sense if n > 1 else self.g_sense
        return diagonal


class _Lines:
    """Independent SPD tridiagonal lines ``[K, lines, length]`` with one off-diagonal ``-g``, factorised once.

    ``K`` is 1 (every vector of a batch sees the same lines) or the batch size (one set of
    lines per vector, stacked into one system).
    """

    def __init__(self, diagonal: np.ndarray, g: float) -> None:
        self.diagonal, self.off = diagonal, -g
        coupling = np.full(diagonal.shape, self.off)
        coupling[..., -1] = 0.0  # no segment between one line's end and the next line's start
        if diagonal.size == 1:  # one node: LAPACK takes no empty off-diagonal
            self._d, self._e = diagonal.ravel(), None
            return
        factor_d, factor_e, info = lapack.dpttrf(diagonal.ravel(), coupling.ravel()[:-1])
        if info != 0:
            raise MemristiveError(f"wire matrix is not positive definite (LAPACK pttrf info {info})")
        self._d, self._e = factor_d, factor_e

    def solve(self, x: np.ndarray) -> np.ndarray:
        """The lines' inverse applied to ``x`` [B, lines, length] (a new array)."""
        shape = x.shape
        if self._e is None:
            return x / self._d
        b = x.reshape(shape[0], -1).T if self.diagonal.shape[0] == 1 else x.reshape(-1)
        y, info = lapack.dpttrs(self._d, self._e, b)
        if info != 0:
            raise MemristiveError(f"wire solve failed (LAPACK pttrs info {info})")
        return (y.T if y.ndim == 2 else y).reshape(shape)

    def apply(self, x: np.ndarray) -> np.ndarray:
        """The lines' matrix applied to ``x`` [B, lines, length]."""
        y = self.diagonal * x
        y[..., :-1] += self.off * x[..., 1:]
        y[..., 1:] += self.off * x[..., :-1]
        return y


def _transposed(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x.transpose(0, 2, 1))


class NodalSystem:
    """The nodal equations of one array reduced to its row nodes (module docstring), factorised once.

    Args:
        g: device conductances, S, ``[N, M]`` or ``[B, N, M]`` (float64).
        wires: the segment conductances.

    Examples:
        >>> import numpy as np
        >>> system = NodalSystem(np.full((4, 4), 1e-4), Wires(g_row=1.0, g_col=1.0, g_drive=1e6, g_sense=1e6))
        >>> system.g.shape  # [batch, rows, cols]: the device conductances it was built on
        (1, 4, 4)
    """

    def __init__(self, g: np.ndarray, wires: Wires) -> None:
        g = g[None] if g.ndim == 2 else g
        _, n, m = g.shape
        self.g, self._g_t = g, _transposed(g)
        self.rows = _Lines(wires.row_diagonal(m) + g, wires.g_row)
        self.columns = _Lines(wires.column_diagonal(n) + self._g_t, wires.g_col)

    def column_voltages(self, v_row: np.ndarray, b_col: np.ndarray | None = None) -> np.ndarray:
        """Column-node voltages ``P_c^-1 (b_c + D r)`` for row-node voltages ``v_row`` [B, N, M], in the same layout."""
        injected = self.g * v_row if b_col is None else self.g * v_row + b_col
        return self._through_columns(injected)

    def _through_columns(self, injected: np.ndarray) -> np.ndarray:
        """``P_c^-1`` applied to currents injected into the column nodes [B, N, M], in the same layout."""
        return _transposed(self.columns.solve(_transposed(injected)))

    def schur(self, x: np.ndarray) -> np.ndarray:
        """``S x = P_r x - D P_c^-1 D x`` for row-node vectors ``x`` [B, N, M]."""
        return self.rows.apply(x) - self.g * self.column_voltages(x)

    def solve(self, b_row: np.ndarray, b_col: np.ndarray | None = None, reference: np.ndarray | None = None,
              rtol: float = 1e-12, max_iter: int = 500) -> tuple[np.ndarray, np.ndarray, int]:
        """Node voltages for injected currents ``b_row`` (and ``b_col``), A, [B, N, M], starting from 0 V.

        Returns ``(v_row, v_col, iterations)``; stops when every vector's residual 2-norm is
        below ``rtol`` times its ``reference`` [B] (A; default: the 2-norm of its right-hand
        side), else raises. For a read, pass the 2-norm of the device currents with ideal
        wires: ``rtol`` is then relative to the currents the array carries, not to the much
        larger Norton currents of the sources.
        """
        f = b_row if b_col is None else b_row + self.g * self._through_columns(b_col)
        x, r = np.zeros_like(f), f.copy()
        target = (rtol * (np.sqrt(_dots(r, r)) if reference is None else reference)) ** 2  # on squared norms
        z = self.rows.solve(r)
        p, rz = z, _dots(r, z)
        for iteration in range(max_iter + 1):
            if np.all(_dots(r, r) <= target):
                return x, self.column_voltages(x, b_col), iteration
            if iteration == max_iter:
                break
            q = self.schur(p)
            alpha = rz / _positive(_dots(p, q))  # a zero direction (zero residual) takes no step
            x += alpha[:, None, None] * p
            r -= alpha[:, None, None] * q
            z = self.rows.solve(r)
            rz_new = _dots(r, z)
            p = z + (rz_new / _positive(rz))[:, None, None] * p
            rz = rz_new
        raise MemristiveError(f"CG did not converge in {max_iter} iterations (relative residual above {rtol:g})")


def _positive(a: np.ndarray) -> np.ndarray:
    """``a`` with its non-positive entries (directions of a converged vector) replaced by 1."""
    return np.where(a > 0, a, 1.0)


def _dots(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One dot product per vector of a batch [B, ...]."""
    return np.einsum("bij,bij->b", a, b)
