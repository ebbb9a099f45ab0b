"""Reading one device of a passive (0T1R) array: sneak paths under each biasing of the other lines.

Device ``(i, j)`` is read by driving row ``i`` at ``read_v`` and sensing column ``j`` at
virtual ground; the current sensed is ``I = sum_r G_rj u_r`` (``u`` the row voltages).
The unselected lines are (wires ideal):

* ``"grounded"``: all at 0 V, so only ``G_ij`` reaches column ``j``;
* ``"v/2"``: all at ``read_v / 2``; ``"v/3"``: rows at ``read_v / 3``, columns at ``2 read_v / 3``;
* ``"floating"``: undriven; their voltages follow from Kirchhoff's current law on the
  bipartite network of floating rows and columns, solved exactly (dense, ``N + M - 2``
  unknowns), and the sneak paths ``(i, k) -> (l, k) -> (l, j)`` add to the read.

:func:`read_current` returns the sensed current, :func:`read_error` its relative error
against the device alone, ``I / (read_v G_ij) - 1``.
"""

from __future__ import annotations

import numpy as np
import torch

from memristive.crossbar.programming import line_voltages
from memristive.errors import MemristiveError

READ_SCHEMES = ("grounded", "floating", "v/2", "v/3")


def _line_voltages(G: np.ndarray, i: int, j: int, v: float, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    if scheme in ("v/2", "v/3"):
        rows, cols = line_voltages(scheme, G.shape, i, j, v, dtype=torch.float64)
        return rows.numpy(), cols.numpy()
    n, m = G.shape
    rows, cols = (np.zeros(n), np.zeros(m)) if scheme == "grounded" else _floating(G, i, j, v)
    rows[i], cols[j] = v, 0.0
    return rows, cols


def _floating(G: np.ndarray, i: int, j: int, v: float) -> tuple[np.ndarray, np.ndarray]:
    """Voltages of floating rows and columns when row i is at v and column j at 0."""
    n, m = G.shape
    free_r, free_c = np.arange(n) != i, np.arange(m) != j
    g_rc = G[np.ix_(free_r, free_c)]
    # KCL: floating row r: (sum_k G_rk) u_r - sum_{k free} G_rk w_k = G_rj * 0
    #      floating col c: (sum_r G_rc) w_c - sum_{r free} G_rc u_r = G_ic * v
    a = np.block([[np.diag(G[free_r].sum(1)), -g_rc], [-g_rc.T, np.diag(G[:, free_c].sum(0))]])
    b = np.concatenate([np.zeros(free_r.sum()), G[i, free_c] * v])
    try:
        x = np.linalg.solve(a, b)
    except np.linalg.LinAlgError:  # a line with no conductance floats at any voltage: take the least-norm one
        x = np.linalg.lstsq(a, b, rcond=None)[0]
    rows, cols = np.zeros(n), np.zeros(m)
    rows[free_r], cols[free_c] = x[: free_r.sum()], x[free_r.sum() :]
    return rows, cols


def read_current(G, i: int, j: int, read_v: float = 0.25, scheme: str = "floating") -> float:
    """Current sensed on column ``j`` when device ``(i, j)`` is read under ``scheme``, A."""
    G = np.asarray(G, dtype=float)
    if G.ndim != 2 or not (0 <= i < G.shape[0] and 0 <= j < G.shape[1]):
        raise MemristiveError(f"device ({i}, {j}) is not in an array of shape {G.shape}")
    if scheme not in READ_SCHEMES:
        raise MemristiveError(f"unknown read scheme {scheme!r}; known: {', '.join(READ_SCHEMES)}")
    rows, _ = _line_voltages(G, i, j, read_v, scheme)
    return float(G[:, j] @ rows)


def read_error(G, i: int, j: int, read_v: float = 0.25, scheme: str = "floating") -> float:
    """Relative read error ``I / (read_v G_ij) - 1`` caused by the other devices."""
    G = np.asarray(G, dtype=float)
    return read_current(G, i, j, read_v, scheme) / (read_v * G[i, j]) - 1.0
