"""Circuit-level VMM of a passive (0T1R) crossbar with wire resistance.

Topology (the contract of issue 3): an ``N x M`` array; row ``i`` is driven by the
ideal source ``V[i]`` at its column-0 end through one wire segment (plus an optional
driver resistance); column ``j`` is held at 0 V at its row-``(N-1)`` end through one
wire segment (plus an optional sense resistance); every segment between neighbouring
cross-points has the wire resistance ``r_row`` (rows) or ``r_col`` (columns); device
``(i, j)`` joins row node ``(i, j)`` to column node ``(i, j)``.

Kirchhoff's current law at all ``2 N M`` nodes gives, column by column, with
``r_j`` / ``c_j`` the row-wire / column-wire node voltages of column ``j``,
``D_j = diag(G[:, j])`` and ``T`` the column wire's Laplacian (its grounded end
included)::

    (gl_j + gr_j) r_j - gl_j r_{j-1} - gr_j r_{j+1} + D_j (r_j - c_j) = b_j
    T c_j + D_j (c_j - r_j) = 0

(``gl_0`` is the driver segment, ``r_{-1} = V``; ``gr_{M-1} = 0``). Eliminating each
column's wire, ``c_j = H_j D_j r_j`` with ``H_j = (T + D_j)^-1``, leaves a
block-tridiagonal system in the ``r_j`` with dense ``N x N`` blocks
``A_j = diag(gl_j + gr_j) + D_j - D_j H_j D_j`` (``H_j`` in closed form, O(N^2)) and couplings ``-g_row I``. It is
solved exactly by a Schur-complement sweep from the last column,
``S_j = (A_j - g_row^2 S_{j+1})^-1``, then ``r_0 = S_0 g_drv V`` and
``r_j = S_j (b_j + g_row r_{j-1})``: ``O(M N^3)`` dense (BLAS-3) work, no iteration,
exact however strong the IR drop. The column currents are ``I_j = c_j[N-1] g_sense``.

The effective conductance matrix (``I = V M_eff``) comes from the same backward sweep
alone, by carrying the output functionals ``w_j = g_sense (H_j D_j)[N-1, :]`` along
(``R_j = [w_j ; g_row R_{j+1}] S_j``, ``M_eff = g_drv R_0^T``), in ``O(N^2 + N M)``
memory; circuit-accurate inference on a batch is then one matmul.
For one or a few vectors on the CPU the same equations are solved faster by conjugate
gradients on the row nodes alone, the column nodes eliminated exactly and the wires as
preconditioner (:mod:`memristive.crossbar.line_pcg`; ``method`` of :meth:`PassiveCrossbar.solve`).
Nonlinear devices (:class:`SinhIV`) are solved by Newton's method, each step the same
linear solve with the devices' slope conductances.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np
import torch

from memristive.crossbar.line_pcg import NodalSystem, Wires
from memristive.errors import MemristiveError

SOLVE_METHODS = ("auto", "sweep", "pcg")
PCG_MAX_BATCH = 16  # "auto": above this many vectors one sweep costs less than a CG solve per vector
SWEEP_MAX_BYTES = 2 * 1024**3  # "auto" never asks the sweep for more memory than this


class _TwoTerminal:
    """What every device conduction offers besides its ``current`` and ``slope``."""

    def operating_point(self, g, v):
        """Currents (A) and slopes dI/dV (S) at voltages ``v``."""
        return self.current(g, v), self.slope(g, v)


@dataclass(frozen=True)
class SinhIV(_TwoTerminal):
    """Device conduction ``I = (G / b) sinh(b V)``: slope ``G`` at 0 V, superlinear above.

    Its nonlinearity ``0.5 I(V) / I(V/2) = cosh(b V / 2)``; :meth:`from_nonlinearity`
    picks ``b`` for a target ratio at a voltage (seed 003: ~2 at 1 V).

    Examples:
        >>> iv = SinhIV.from_nonlinearity(2.0, 1.0)  # I(1 V) = 4 I(0.5 V): seed 003's nonlinearity
        >>> round(iv.b_per_v, 4), round(float(iv.current(100e-6, 1.0) / iv.current(100e-6, 0.5)), 3)
        (2.6339, 4.0)
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
        return cls(b_per_v=float(2 * np.arccosh(ratio) / voltage))

    def current(self, g, v):
        """Device currents for small-signal conductances ``g`` at voltages ``v``, A."""
        lib = torch if isinstance(v, torch.Tensor) else np
        return g / self.b_per_v * lib.sinh(self.b_per_v * v)

    def slope(self, g, v):
        """dI/dV, S."""
        lib = torch if isinstance(v, torch.Tensor) else np
        return g * lib.cosh(self.b_per_v * v)

    def voltage(self, g, i):
        """The voltage at which devices of small-signal conductance ``g`` carry ``i``, V (:meth:`current` inverted)."""
        lib = torch if isinstance(i, torch.Tensor) else np
        return lib.arcsinh(self.b_per_v * i / g) / self.b_per_v


@dataclass(frozen=True)
class Ohmic(_TwoTerminal):
    """Device conduction ``I = G V``, in :class:`SinhIV`'s interface.

    Examples:
        >>> Ohmic().current(50e-6, 0.2), Ohmic().voltage(50e-6, 1e-5)  # A, V
        (1e-05, 0.2)
    """

    def current(self, g, v):
        """Device currents, A."""
        return g * v

    def slope(self, g, v):
        """dI/dV, S."""
        return g + 0 * v

    def voltage(self, g, i):
        """Voltage at current ``i``, V."""
        return i / g


@dataclass
class CircuitSolution:
    """Node voltages and column currents of one solve (batch first; float64 tensors on ``G``'s device).

    Attributes:
        currents: column output currents, A, [batch, M].
        v_row: row-wire node voltages, V, [batch, N, M].
        v_col: column-wire node voltages, V, [batch, N, M].
        kirchhoff: computes the largest current-law residual of these node voltages (see :attr:`residual`).
        iterations: Newton iterations (0 for linear devices).
        method: the linear solver used, ``"sweep"`` or ``"pcg"``.

    Examples:
        >>> import torch
        >>> G = torch.full((8, 8), 50e-6, dtype=torch.float64)
        >>> solution = PassiveCrossbar(G, r_row=1.0, r_col=1.0).solve(torch.full((8,), 0.2, dtype=torch.float64))
        >>> tuple(solution.currents.shape), solution.residual < 1e-9  # column currents (A), Kirchhoff's residual
        ((1, 8), True)
    """

    currents: torch.Tensor
    v_row: torch.Tensor
    v_col: torch.Tensor
    kirchhoff: Callable[[torch.Tensor, torch.Tensor], float] = field(repr=False)
    iterations: int = 0
    method: str = "sweep"

    @cached_property
    def residual(self) -> float:
        """Largest Kirchhoff current-law residual at any node, A, from the circuit's equations (on first use)."""
        return self.kirchhoff(self.v_row, self.v_col)


def _spd_inverse(matrix: torch.Tensor) -> torch.Tensor:
    return torch.cholesky_inverse(torch.linalg.cholesky(matrix))


WIRE_OHMS = (1e-9, 1e9)
"""Wire segment resistances a circuit takes, ohm: below ``1e-9`` the wires are ideal to float64 precision next to
any device (use the ideal read), above ``1e9`` they are no longer wires."""


def check_wires(r_row: float, r_col: float, r_driver: float = 0.0, r_sense: float = 0.0) -> None:
    """Segment resistances in :data:`WIRE_OHMS`, driver and sense resistances in ``[0, 1e9]`` ohm, else a
    :class:`MemristiveError` naming the value."""
    low, high = WIRE_OHMS
    for name, value in (("r_row", r_row), ("r_col", r_col)):
        if not low <= value <= high:
            raise MemristiveError(f"{name}={value} must be in [{low:g}, {high:g}] ohm (use crossbar.vmm for ideal wires)")
    for name, value in (("r_driver", r_driver), ("r_sense", r_sense)):
        if not 0 <= value <= high:
            raise MemristiveError(f"{name}={value} must be in [0, {high:g}] ohm")


class PassiveCrossbar:
    """A passive crossbar of conductances ``G`` [N, M] (S) with wire resistance per segment.

    Args:
        G: small-signal device conductances, S, [N rows, M columns] (array or tensor;
            a CUDA tensor solves on the GPU).
        r_row: resistance of one row-wire segment, ohm (in :data:`WIRE_OHMS`).
        r_col: resistance of one column-wire segment, ohm (in :data:`WIRE_OHMS`).
        r_driver: series resistance of each row driver, ohm.
        r_sense: series resistance of each column's sense amplifier, ohm.
        iv: device conduction; ``None`` for ohmic (linear) devices.

    ``wires`` holds the segment conductances (:class:`~memristive.crossbar.line_pcg.Wires`).

    Examples:
        >>> import torch
        >>> G = torch.full((64, 64), 100e-6, dtype=torch.float64)
        >>> V = torch.full((1, 64), 0.2, dtype=torch.float64)
        >>> xbar = PassiveCrossbar(G, r_row=1.0, r_col=1.0)
        >>> ideal = V @ G
        >>> exact = xbar.solve(V).currents
        >>> round((1 - exact.sum() / ideal.sum()).item(), 4)  # share of the current lost to IR drop
        0.2145
        >>> torch.allclose(V @ xbar.effective_conductance(), exact, rtol=1e-9)  # one matrix for every input
        True
    """

    def __init__(self, G, r_row: float, r_col: float, r_driver: float = 0.0, r_sense: float = 0.0,
                 iv: SinhIV | None = None) -> None:
        G = torch.as_tensor(G, dtype=torch.float64)
        if G.ndim != 2 or 0 in G.shape:
            raise MemristiveError(f"G must be a non-empty 2-D array of conductances, got shape {tuple(G.shape)}")
        if not 0 <= float(G.min()) <= float(G.max()) < float("inf"):  # NaN fails every comparison
            raise MemristiveError("G must hold finite conductances >= 0 S")
        check_wires(r_row, r_col, r_driver, r_sense)
        self.G = G
        self.n_rows, self.n_cols = G.shape
        self.r_row, self.r_col, self.r_driver, self.r_sense = r_row, r_col, r_driver, r_sense
        self.iv = iv
        self.g_row, self.g_col = 1.0 / r_row, 1.0 / r_col
        self.g_drive = 1.0 / (r_row + r_driver)
        self.g_sense = 1.0 / (r_col + r_sense)
        self.wires = Wires(self.g_row, self.g_col, self.g_drive, self.g_sense)
        self._m_eff: torch.Tensor | None = None

    @cached_property
    def _col_diag(self) -> torch.Tensor:
        """The column wire's Laplacian ``T``'s diagonal, [N]."""
        return torch.as_tensor(self.wires.column_diagonal(self.n_rows), device=self.G.device)

    @cached_property
    def _row_diag(self) -> torch.Tensor:
        return torch.as_tensor(self.wires.row_diagonal(self.n_cols), device=self.G.device)

    @cached_property
    def _lower(self) -> torch.Tensor:
        """``i >= k`` over an N x N block: where ``max(i, k)`` is the row index."""
        index = torch.arange(self.n_rows, device=self.G.device)
        return index[:, None] >= index[None, :]

    # -- the sweep ------------------------------------------------------------------
    def _wire_inverses(self, d: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Every column's ``H_j = (T + D_j)^-1`` in O(N^2), as (diagonal, log-ratio sums), [N, M].

        For a tridiagonal SPD matrix with diagonal ``a`` and off-diagonal ``b``, forward
        pivots ``p_i = a_i - b^2 / p_(i-1)`` and backward pivots ``q_i = a_i - b^2 / q_(i+1)``
        give ``H_ii = 1 / (p_i + q_i - a_i)`` and ``H_ik = H_kk prod_(l=i)^(k-1) (-b / p_l)``
        for ``i < k``; products are sums of logs, so nothing overflows.
        """
        a = self._col_diag[:, None] + d
        forward, backward = torch.empty_like(a), torch.empty_like(a)
        forward[0], backward[-1] = a[0], a[-1]
        b2 = self.g_col**2
        for i in range(1, self.n_rows):
            forward[i] = a[i] - b2 / forward[i - 1]
            backward[-1 - i] = a[-1 - i] - b2 / backward[-i]
        diagonal = 1.0 / (forward + backward - a)
        log_ratio = torch.log(self.g_col / forward[:-1])
        cumulative = torch.cat([torch.zeros_like(a[:1]), torch.cumsum(log_ratio, dim=0)])
        return diagonal, cumulative

    def _column(self, d: torch.Tensor, inverses, j: int, s_next: torch.Tensor | None):
        """``H_j`` and ``S_j`` of column ``j`` for device conductances ``d`` [N, M]."""
        dj = d[:, j]
        diagonal, cumulative = inverses
        c = cumulative[:, j]
        h = (c[:, None] - c[None, :]).abs_().neg_().exp_()  # in place: N^2 work dominates below the inverse
        h.mul_(torch.where(self._lower, diagonal[:, j, None], diagonal[None, :, j]))  # times H_kk, k = max(i, k)
        a = torch.outer(dj, dj).mul_(h).neg_()
        if s_next is not None:
            a.add_(s_next, alpha=-self.g_row**2)
        a.diagonal().add_(self._row_diag[j] + dj)
        return h, _spd_inverse(a)

    def _sweep(self, d: torch.Tensor, b_row: torch.Tensor, b_col: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Node voltages [B, N, M] for injections ``b_row``, ``b_col`` [B, N, M], by the exact Schur sweep."""
        b_row, b_col = b_row.permute(1, 2, 0), b_col.permute(1, 2, 0)  # [N, M, B]: one column's block is [N, B]
        m = self.n_cols
        hs, ss, betas = [None] * m, [None] * m, [None] * m
        s_next = beta_next = None
        inverses = self._wire_inverses(d)
        for j in range(m - 1, -1, -1):
            hs[j], ss[j] = self._column(d, inverses, j, s_next)
            beta = b_row[:, j] + d[:, j, None] * (hs[j] @ b_col[:, j])
            if beta_next is not None:
                beta = beta + self.g_row * (s_next @ beta_next)
            betas[j], s_next, beta_next = beta, ss[j], beta
        v_row, v_col = torch.empty_like(b_row), torch.empty_like(b_col)
        previous = None
        for j in range(m):
            rhs = betas[j] if previous is None else betas[j] + self.g_row * previous
            v_row[:, j] = ss[j] @ rhs
            v_col[:, j] = hs[j] @ (d[:, j, None] * v_row[:, j] + b_col[:, j])
            previous = v_row[:, j]
        return v_row.permute(2, 0, 1), v_col.permute(2, 0, 1)

    def _pcg(self, d: torch.Tensor, b_row: torch.Tensor, b_col: torch.Tensor | None, rtol: float,
             reference: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Node voltages [B, N, M] by CG on the row nodes (:class:`~memristive.crossbar.line_pcg.NodalSystem`,
        CPU); ``d`` [N, M] or one matrix per vector [B, N, M]; ``reference`` [B]: the residual norms ``rtol``
        is relative to."""
        system = NodalSystem(d.cpu().numpy(), self.wires)
        v_row, v_col, _ = system.solve(b_row.cpu().numpy(), None if b_col is None else b_col.cpu().numpy(),
                                       None if reference is None else reference.cpu().numpy(), rtol=rtol)
        return torch.from_numpy(v_row).to(d.device), torch.from_numpy(v_col).to(d.device)

    def effective_conductance(self) -> torch.Tensor:
        """The matrix ``M`` [N, M] (float64, on ``G``'s device) with column currents ``I = V M`` (linear devices only)."""
        if self.iv is not None:
            raise MemristiveError("effective_conductance needs linear devices (iv=None)")
        return self._effective()

    def _effective(self) -> torch.Tensor:
        if self._m_eff is None:
            d = self.G
            rows = None
            s_next = None
            inverses = self._wire_inverses(d)
            for j in range(self.n_cols - 1, -1, -1):
                h, s = self._column(d, inverses, j, s_next)
                w = self.g_sense * h[-1] * d[:, j]
                stacked = w[None] if rows is None else torch.cat([w[None], self.g_row * rows])
                rows, s_next = stacked @ s, s
            self._m_eff = self.g_drive * rows.t()
        return self._m_eff

    # -- public solve -----------------------------------------------------------------
    def _inputs(self, V) -> torch.Tensor:
        v = torch.as_tensor(V, dtype=torch.float64, device=self.G.device)
        v = v.unsqueeze(0) if v.ndim == 1 else v
        if v.ndim != 2 or v.shape[1] != self.n_rows:
            raise MemristiveError(f"V must have {self.n_rows} row voltages per vector, got shape {tuple(np.shape(V))}")
        return v

    def _sources(self, v: torch.Tensor) -> torch.Tensor:
        """Norton currents of the drivers into the row nodes, A, [B, N, M] (column 0 only)."""
        b = torch.zeros(v.shape[0], self.n_rows, self.n_cols, dtype=torch.float64, device=v.device)
        b[:, :, 0] = self.g_drive * v
        return b

    def _kcl(self, v_row: torch.Tensor, v_col: torch.Tensor, v: torch.Tensor,
             device: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Net current leaving every node (row nodes, column nodes), A, [B, N, M]; ``device``: the devices'
        currents at these node voltages, when already known."""
        if device is None:
            dv = v_row - v_col
            device = self.G * dv if self.iv is None else self.iv.current(self.G, dv)
        f_row = device.clone()
        f_row[..., 0] += self.g_drive * (v_row[..., 0] - v)
        wire = self.g_row * (v_row[..., 1:] - v_row[..., :-1])  # current along each row segment, rightwards
        f_row[..., :-1] -= wire
        f_row[..., 1:] += wire
        f_col = -device
        f_col[:, -1] += self.g_sense * v_col[:, -1]
        wire = self.g_col * (v_col[:, 1:] - v_col[:, :-1])  # current along each column segment, downwards
        f_col[:, :-1] -= wire
        f_col[:, 1:] += wire
        return f_row, f_col

    def _residual(self, v_row: torch.Tensor, v_col: torch.Tensor, *, v: torch.Tensor) -> float:
        """Largest Kirchhoff current-law residual at any node, A."""
        f_row, f_col = self._kcl(v_row, v_col, v)
        return float(torch.maximum(f_row.abs().max(), f_col.abs().max()))

    def solve(self, V, rtol: float = 1e-12, max_iter: int = 50, method: str = "auto") -> CircuitSolution:
        """Solve for a vector ``V`` [N] or a batch [B, N] of row voltages.

        ``method``: ``"sweep"`` (exact Schur sweep, any batch, CPU or GPU), ``"pcg"``
        (conjugate gradients on the row nodes preconditioned by the wires until the
        residual 2-norm is below ``rtol`` of the device currents', CPU) or ``"auto"`` (on
        the CPU ``"pcg"`` for up to 16 vectors, or whenever the sweep's Schur blocks,
        ``16 M N^2`` bytes, would pass 2 GiB; else ``"sweep"``).
        Linear devices: one linear solve. Nonlinear: Newton until the KCL residual is
        below ``rtol`` of the largest device current, else an error naming it.
        """
        if method not in SOLVE_METHODS:
            raise MemristiveError(f"unknown method {method!r}; known: {', '.join(SOLVE_METHODS)}")
        v = self._inputs(V)
        if method == "auto":
            sweep_bytes = 16 * self.n_cols * self.n_rows**2
            few = v.shape[0] <= PCG_MAX_BATCH or sweep_bytes > SWEEP_MAX_BYTES
            method = "pcg" if self.G.device.type == "cpu" and few else "sweep"
        sources = self._sources(v)
        if method == "pcg":
            device_currents = torch.sqrt(v**2 @ (self.G**2).sum(dim=1))  # 2-norm of G_ij V_i: ideal wires
            v_row, v_col = self._pcg(self.G, sources, None, rtol, device_currents)
        else:
            v_row, v_col = self._sweep(self.G, sources, torch.zeros_like(sources))
        iterations = 0
        if self.iv is not None:
            v_row, v_col, iterations = self._newton(v, v_row, v_col, rtol, max_iter, method)
        return CircuitSolution(currents=self.g_sense * v_col[:, -1], v_row=v_row, v_col=v_col,
                               kirchhoff=partial(self._residual, v=v), iterations=iterations, method=method)

    def _newton(self, v, v_row, v_col, rtol, max_iter, method):
        scale = float(self.iv.current(self.G.max(), v.abs().max()))
        current, slope = self.iv.operating_point(self.G, v_row - v_col)  # one evaluation per iterate
        f_row, f_col = self._kcl(v_row, v_col, v, current)
        for iteration in range(1, max_iter + 1):
            if method == "pcg":  # the Jacobian differs from vector to vector
                dr, dc = self._pcg(slope, f_row, f_col, rtol)
            else:
                steps = [self._sweep(slope[k], f_row[k:k + 1], f_col[k:k + 1]) for k in range(v.shape[0])]
                dr, dc = torch.cat([step[0] for step in steps]), torch.cat([step[1] for step in steps])
            v_row, v_col = v_row - dr, v_col - dc
            current, slope = self.iv.operating_point(self.G, v_row - v_col)
            f_row, f_col = self._kcl(v_row, v_col, v, current)
            if float(torch.maximum(f_row.abs().max(), f_col.abs().max())) <= rtol * max(scale, 1e-30):
                return v_row, v_col, iteration
        raise MemristiveError(f"Newton did not converge in {max_iter} iterations (KCL residual above {rtol:g} relative)")
