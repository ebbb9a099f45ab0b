"""Circuit-level VMM of a passive (0T1R) crossbar with wire resistance.

Topology (the contract of issue 3): an ``N x M`` array; row ``i`` is driven by the
ideal source ``V[i]`` at its column-0 end through one wire segment (plus an optional
driver resistance); column ``j`` is held at 0 V at its row-``(N-1)`` end through one
wire segment (plus an optional sense resistance); every segment between neighbouring
cross-points has the wire resistance ``r_row`` (rows) or ``r_col`` (columns), and the
device ``(i, j)`` joins row node ``(i, j)`` to column node ``(i, j)``.

Nodal analysis (Kirchhoff's current law at every node) gives a sparse symmetric
positive-definite system ``Y v = b`` over the ``2 N M`` node voltages, with

    Y = [[L_row + D, -D], [-D, L_col + D]],   D = diag(G),

``L_row`` / ``L_col`` the wire Laplacians (the terminal segments add to the diagonal
of the end nodes) and ``b`` the driver injections ``V_i / (r_row + r_driver)``. The
column currents are ``I_j = v_col(N-1, j) / (r_col + r_sense)``.

* Linear devices: ``Y`` is factorised once (SuperLU) and reused for any number of
  input vectors; :meth:`PassiveCrossbar.effective_conductance` gives the matrix
  ``M`` with ``I = V M`` exactly, so batched circuit-accurate inference is a matmul.
* Nonlinear devices (``I = a sinh(b V)``, :class:`SinhIV`): Newton's method on the
  same sparse structure, refactorising the Jacobian each iteration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from memristive.errors import MemristiveError


@dataclass(frozen=True)
class SinhIV:
    """Device conduction ``I = (G / b) sinh(b V)``: slope ``G`` at 0 V, superlinear above.

    Its nonlinearity ``0.5 I(V) / I(V/2) = cosh(b V / 2)``; :meth:`from_nonlinearity`
    picks ``b`` for a target ratio at a voltage (seed 003: ~2 at 1 V).
    """

    b_per_v: float

    def __post_init__(self) -> None:
        if self.b_per_v <= 0:
            raise MemristiveError(f"b_per_v={self.b_per_v} must be > 0 1/V")

    @classmethod
    def from_nonlinearity(cls, ratio: float, voltage: float) -> "SinhIV":
        """The model with ``0.5 I(voltage) / I(voltage / 2) = ratio`` (ratio > 1)."""
        if ratio <= 1 or voltage <= 0:
            raise MemristiveError(f"need ratio > 1 and voltage > 0, got {ratio}, {voltage}")
        return cls(b_per_v=2 * np.arccosh(ratio) / voltage)

    def current(self, g: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Device currents for small-signal conductances ``g`` at voltages ``v``, A."""
        return g / self.b_per_v * np.sinh(self.b_per_v * v)

    def slope(self, g: np.ndarray, v: np.ndarray) -> np.ndarray:
        """dI/dV, S."""
        return g * np.cosh(self.b_per_v * v)


@dataclass
class CircuitSolution:
    """Node voltages and column currents of one solve (batch first).

    Attributes:
        currents: column output currents, A, [batch, M].
        v_row: row-wire node voltages, V, [batch, N, M].
        v_col: column-wire node voltages, V, [batch, N, M].
        residual: largest Kirchhoff current-law residual at any node, A.
        iterations: Newton iterations (0 for linear devices).
    """

    currents: np.ndarray
    v_row: np.ndarray
    v_col: np.ndarray
    residual: float
    iterations: int = 0


def _laplacian(n_nodes: int, a: np.ndarray, b: np.ndarray, g: np.ndarray | float) -> sp.coo_matrix:
    g = np.broadcast_to(g, a.shape)
    rows = np.concatenate([a, b, a, b])
    cols = np.concatenate([a, b, b, a])
    data = np.concatenate([g, g, -g, -g])
    return sp.coo_matrix((data, (rows, cols)), shape=(n_nodes, n_nodes))


class PassiveCrossbar:
    """A passive crossbar of conductances ``G`` [N, M] (S) with wire resistance per segment.

    Args:
        G: small-signal device conductances, S, [N rows, M columns].
        r_row: resistance of one row-wire segment, ohm (> 0).
        r_col: resistance of one column-wire segment, ohm (> 0).
        r_driver: series resistance of each row driver, ohm.
        r_sense: series resistance of each column's sense amplifier, ohm.
        iv: device conduction; ``None`` for ohmic (linear) devices.
    """

    def __init__(
        self,
        G: np.ndarray,
        r_row: float,
        r_col: float,
        r_driver: float = 0.0,
        r_sense: float = 0.0,
        iv: SinhIV | None = None,
    ) -> None:
        G = np.asarray(G, dtype=np.float64)
        if G.ndim != 2 or 0 in G.shape:
            raise MemristiveError(f"G must be a non-empty 2-D array of conductances, got shape {G.shape}")
        if np.any(G < 0) or not np.all(np.isfinite(G)):
            raise MemristiveError("G must hold finite conductances >= 0 S")
        for name, value in (("r_row", r_row), ("r_col", r_col)):
            if not value > 0:
                raise MemristiveError(f"{name}={value} must be > 0 ohm (use crossbar.vmm for ideal wires)")
        for name, value in (("r_driver", r_driver), ("r_sense", r_sense)):
            if value < 0:
                raise MemristiveError(f"{name}={value} must be >= 0 ohm")
        self.G = G
        self.n_rows, self.n_cols = G.shape
        self.r_row, self.r_col, self.r_driver, self.r_sense = r_row, r_col, r_driver, r_sense
        self.iv = iv
        self.g_drive = 1.0 / (r_row + r_driver)
        self.g_sense = 1.0 / (r_col + r_sense)
        self._wires = self._wire_matrix()
        self._lu = None

    # -- node numbering: row node (i, j) -> i M + j; column node (i, j) -> N M + i M + j
    @property
    def n_nodes(self) -> int:
        """Number of unknown node voltages, 2 N M."""
        return 2 * self.n_rows * self.n_cols

    def _wire_matrix(self) -> sp.csc_matrix:
        n, m = self.n_rows, self.n_cols
        nm = n * m
        idx = np.arange(nm).reshape(n, m)
        row_a, row_b = idx[:, :-1].ravel(), idx[:, 1:].ravel()
        col_a, col_b = nm + idx[:-1, :].ravel(), nm + idx[1:, :].ravel()
        terminals = np.zeros(2 * nm)
        terminals[idx[:, 0]] += self.g_drive
        terminals[nm + idx[-1, :]] += self.g_sense
        wires = (
            _laplacian(2 * nm, row_a, row_b, 1.0 / self.r_row)
            + _laplacian(2 * nm, col_a, col_b, 1.0 / self.r_col)
            + sp.diags(terminals)
        )
        return wires.tocsc()

    def _device_matrix(self, g: np.ndarray) -> sp.csc_matrix:
        nm = self.n_rows * self.n_cols
        a = np.arange(nm)
        return _laplacian(2 * nm, a, a + nm, g.ravel()).tocsc()

    def _rhs(self, v: np.ndarray) -> np.ndarray:
        b = np.zeros((self.n_nodes, v.shape[0]))
        b[np.arange(self.n_rows) * self.n_cols] = self.g_drive * v.T
        return b

    def _split(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n, m = self.n_rows, self.n_cols
        nodes = x.T.reshape(-1, 2, n, m)
        return nodes[:, 0], nodes[:, 1]

    def _factor(self):
        if self._lu is None:
            self._lu = spla.splu((self._wires + self._device_matrix(self.G)).tocsc(), permc_spec="COLAMD")
        return self._lu

    def _inputs(self, V) -> tuple[np.ndarray, bool]:
        v = np.asarray(V, dtype=np.float64)
        single = v.ndim == 1
        v = np.atleast_2d(v)
        if v.ndim != 2 or v.shape[1] != self.n_rows:
            raise MemristiveError(f"V must have {self.n_rows} row voltages per vector, got shape {np.shape(V)}")
        return v, single

    def _device_currents(self, v_row: np.ndarray, v_col: np.ndarray) -> np.ndarray:
        dv = v_row - v_col
        return self.G * dv if self.iv is None else self.iv.current(self.G, dv)

    def _residual(self, x: np.ndarray, v: np.ndarray) -> float:
        v_row, v_col = self._split(x)
        device = self._device_currents(v_row, v_col).reshape(v.shape[0], -1).T
        kcl = self._wires @ x - self._rhs(v)
        nm = self.n_rows * self.n_cols
        kcl[:nm] += device
        kcl[nm:] -= device
        return float(np.abs(kcl).max())

    def solve(self, V, tol_a: float = 1e-15, max_iter: int = 50) -> CircuitSolution:
        """Solve for a vector ``V`` [N] or a batch [B, N] of row voltages.

        Linear devices: one reused factorisation. Nonlinear: Newton until the KCL
        residual is below ``tol_a`` amperes plus 1e-12 of the largest device current,
        else an error naming the residual.
        """
        v, _ = self._inputs(V)
        rhs = self._rhs(v)
        iterations = 0
        if self.iv is None:
            x = self._factor().solve(rhs)
        else:
            x = self._newton(v, rhs, tol_a, max_iter)
            iterations = self._last_iterations
        v_row, v_col = self._split(x)
        currents = self.g_sense * v_col[:, -1, :]
        return CircuitSolution(currents, v_row, v_col, self._residual(x, v), iterations)

    def _newton(self, v: np.ndarray, rhs: np.ndarray, tol_a: float, max_iter: int) -> np.ndarray:
        nm = self.n_rows * self.n_cols
        x = spla.splu((self._wires + self._device_matrix(self.G)).tocsc()).solve(rhs)  # linear start
        scale = max(float(np.abs(v).max()) * float(self.G.max()), 1e-30)
        for iteration in range(1, max_iter + 1):
            # one right-hand side per vector: the Jacobian differs per vector, so solve each
            for k in range(v.shape[0]):
                v_row, v_col = self._split(x[:, k : k + 1])
                dv = (v_row - v_col)[0]
                current = self.iv.current(self.G, dv).ravel()
                f = self._wires @ x[:, k] - rhs[:, k]
                f[:nm] += current
                f[nm:] -= current
                jac = self._wires + self._device_matrix(self.iv.slope(self.G, dv))
                x[:, k] -= spla.splu(jac.tocsc()).solve(f)
            if self._residual(x, v) < tol_a + 1e-12 * scale:
                self._last_iterations = iteration
                return x
        raise MemristiveError(
            f"Newton did not converge in {max_iter} iterations (KCL residual {self._residual(x, v):.3e} A)"
        )

    def effective_conductance(self) -> np.ndarray:
        """The matrix ``M`` [N, M] with column currents ``I = V M`` (linear devices only).

        Column ``i`` of the solve with a unit source on row ``i``; built once from the
        reused factorisation, after which circuit-accurate inference is a matmul.
        """
        if self.iv is not None:
            raise MemristiveError("effective_conductance needs linear devices (iv=None)")
        x = self._factor().solve(self._rhs(np.eye(self.n_rows)))
        _, v_col = self._split(x)
        return self.g_sense * v_col[:, -1, :]
