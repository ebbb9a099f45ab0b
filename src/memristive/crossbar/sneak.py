"""Reading one device of an array: sneak paths under each biasing of the other lines, for any cell type.

Device ``(i, j)`` is read by driving row ``i`` at ``read_v`` and sensing column ``j`` at
virtual ground; the current sensed is ``I = sum_r G_rj u_r`` (``u`` the row voltages).
The unselected lines are (wires ideal):

* ``"grounded"``: all at 0 V, so only ``G_ij`` reaches column ``j``;
* ``"v/2"``: all at ``read_v / 2``; ``"v/3"``: rows at ``read_v / 3``, columns at ``2 read_v / 3``;
* ``"floating"``: undriven; their voltages follow from Kirchhoff's current law on the
  bipartite network of floating rows and columns, solved exactly (dense, ``N + M - 2``
  unknowns), and the sneak paths ``(i, k) -> (l, k) -> (l, j)`` add to the read.

:func:`read_current` returns the sensed current, :func:`read_error` its relative error
against the cell alone, ``I / I_ij - 1``. Passive (0T1R) arrays are the default; a 1S1R array's
selectors (:mod:`memristive.crossbar.cells`) make the floating lines' network nonlinear (solved by
Newton's method), and a 1T1R array reads with only the selected row's transistors on, so every sneak
path passes an off transistor.
"""

from __future__ import annotations

import torch

from memristive.crossbar.cells import PASSIVE, Cell, Conduction
from memristive.crossbar.programming import line_voltages
from memristive.errors import MemristiveError

READ_SCHEMES = ("grounded", "floating", "v/2", "v/3")


NEWTON_STEPS = 60
"""Most Newton steps of a floating-line solve with nonlinear cells (ohmic passive cells take one)."""

NEWTON_RTOL = 1e-9
"""A floating-line solve stops when no line's net current exceeds this share of the cell current at the read
voltage times the longer line's length."""


def _line_voltages(G: torch.Tensor, i: int, j: int, v: float, scheme: str, cell: Cell = PASSIVE,
                   iv: Conduction | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    if scheme in ("v/2", "v/3"):
        return line_voltages(scheme, G.shape, i, j, v, dtype=G.dtype, device=G.device)
    n, m = G.shape
    if scheme == "grounded":
        rows, cols = G.new_zeros(n), G.new_zeros(m)
    else:
        rows, cols = _floating(G, i, j, v, cell, iv)
    rows[i], cols[j] = v, 0.0
    return rows, cols


def _gates(G: torch.Tensor, i: int, cell: Cell) -> torch.Tensor | bool:
    """Each cell's gate while row ``i`` is read: only row ``i``'s transistors are on (no gate: all on)."""
    if not cell.gated:
        return True
    return (torch.arange(G.shape[0], device=G.device) == i)[:, None]


def _floating(G: torch.Tensor, i: int, j: int, v: float, cell: Cell,
              iv: Conduction | None) -> tuple[torch.Tensor, torch.Tensor]:
    """Voltages of floating rows and columns when row i is at v and column j at 0, by Newton's method on
    Kirchhoff's current law (each step the bipartite network of the cells' slope conductances; one step, the
    exact linear solve, for ohmic passive cells)."""
    n, m = G.shape
    free_r = torch.arange(n, device=G.device) != i
    free_c = torch.arange(m, device=G.device) != j
    on = _gates(G, i, cell)
    rows, cols = G.new_zeros(n), G.new_zeros(m)
    rows[i] = v

    def net(rows: torch.Tensor, cols: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Current leaving each floating row, then each floating column (A), and the cells' slopes (S)."""
        current, slope = cell.operating_point(rows[:, None] - cols[None, :], G, iv, on)
        return torch.cat([current.sum(1)[free_r], -current.sum(0)[free_c]]), slope

    scale = float(cell.current(torch.as_tensor(v, dtype=G.dtype, device=G.device), G.max(), iv)) * max(n, m)
    f, s = net(rows, cols)
    for _ in range(NEWTON_STEPS):
        s_rc = s[free_r][:, free_c]
        # KCL: floating row r: (sum_k s_rk) du_r - sum_{k free} s_rk dw_k = -f_r
        #      floating col c: (sum_r s_rc) dw_c - sum_{r free} s_rc du_r = -f_c
        a = torch.cat([torch.cat([torch.diag(s[free_r].sum(1)), -s_rc], 1),
                       torch.cat([-s_rc.T, torch.diag(s[:, free_c].sum(0))], 1)])
        x, info = torch.linalg.solve_ex(a, -f)
        if info.item():  # a line with no conductance floats at any voltage: take the least-norm one
            x = torch.linalg.pinv(a) @ -f
        norm, step = float(f.abs().max()), 1.0
        for _ in range(30):  # backtrack until the residual falls
            trial_r, trial_c = rows.clone(), cols.clone()
            trial_r[free_r] += step * x[: n - 1]
            trial_c[free_c] += step * x[n - 1 :]
            trial, trial_slope = net(trial_r, trial_c)
            if float(trial.abs().max()) < norm or step < 1e-6:
                break
            step /= 2
        rows, cols, f, s = trial_r, trial_c, trial, trial_slope
        if float(f.abs().max()) <= NEWTON_RTOL * scale or (cell.access is None and iv is None):
            break
    else:
        raise MemristiveError(f"floating-line solve did not converge in {NEWTON_STEPS} Newton steps")
    return rows, cols


def _array(G) -> torch.Tensor:
    """``G`` as a tensor: a floating tensor as it is (dtype, device), anything else as float64."""
    if isinstance(G, torch.Tensor) and G.is_floating_point():
        return G
    return torch.as_tensor(G, dtype=torch.float64)


def read_current(G, i: int, j: int, read_v: float = 0.25, scheme: str = "floating", cell: Cell = PASSIVE,
                 iv: Conduction | None = None) -> torch.Tensor:
    """Current sensed on column ``j`` when cell ``(i, j)`` of an array of ``cell`` cells with device conductances ``G``
    (S, a tensor or array; conduction ``iv``, ``None`` ohmic) is read at ``read_v`` (the cell's voltage) under
    ``scheme``, A: a 0-d tensor on ``G``'s device. In a 1T1R array only row ``i``'s gates are on."""
    G = _array(G)
    if G.ndim != 2 or not (0 <= i < G.shape[0] and 0 <= j < G.shape[1]):
        raise MemristiveError(f"device ({i}, {j}) is not in an array of shape {tuple(G.shape)}")
    if scheme not in READ_SCHEMES:
        raise MemristiveError(f"unknown read scheme {scheme!r}; known: {', '.join(READ_SCHEMES)}")
    rows, _ = _line_voltages(G, i, j, read_v, scheme, cell, iv)
    return cell.current(rows[:, None], G[:, j : j + 1], iv, _gates(G, i, cell)).sum()


def read_error(G, i: int, j: int, read_v: float = 0.25, scheme: str = "floating", cell: Cell = PASSIVE,
               iv: Conduction | None = None) -> torch.Tensor:
    """Relative read error ``I / I_ij - 1`` caused by the other cells, ``I_ij`` the current of cell ``(i, j)`` alone
    at ``read_v`` (``read_v G_ij`` for an ohmic passive device; 0-d tensor)."""
    G = _array(G)
    alone = cell.current(torch.as_tensor(read_v, dtype=G.dtype, device=G.device), G[i, j], iv)
    return read_current(G, i, j, read_v, scheme, cell, iv) / alone - 1.0
