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

import torch

from memristive.crossbar.programming import line_voltages
from memristive.errors import MemristiveError

READ_SCHEMES = ("grounded", "floating", "v/2", "v/3")


def _line_voltages(G: torch.Tensor, i: int, j: int, v: float, scheme: str) -> tuple[torch.Tensor, torch.Tensor]:
    if scheme in ("v/2", "v/3"):
        return line_voltages(scheme, G.shape, i, j, v, dtype=G.dtype, device=G.device)
    n, m = G.shape
    if scheme == "grounded":
        rows, cols = G.new_zeros(n), G.new_zeros(m)
    else:
        rows, cols = _floating(G, i, j, v)
    rows[i], cols[j] = v, 0.0
    return rows, cols


def _floating(G: torch.Tensor, i: int, j: int, v: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Voltages of floating rows and columns when row i is at v and column j at 0."""
    n, m = G.shape
    free_r = torch.arange(n, device=G.device) != i
    free_c = torch.arange(m, device=G.device) != j
    g_rc = G[free_r][:, free_c]
    # KCL: floating row r: (sum_k G_rk) u_r - sum_{k free} G_rk w_k = G_rj * 0
    #      floating col c: (sum_r G_rc) w_c - sum_{r free} G_rc u_r = G_ic * v
    a = torch.cat([torch.cat([torch.diag(G[free_r].sum(1)), -g_rc], 1),
                   torch.cat([-g_rc.T, torch.diag(G[:, free_c].sum(0))], 1)])
    b = torch.cat([G.new_zeros(n - 1), G[i, free_c] * v])
    x, info = torch.linalg.solve_ex(a, b)
    if info.item():  # a line with no conductance floats at any voltage: take the least-norm one
        x = torch.linalg.pinv(a) @ b
    rows, cols = G.new_zeros(n), G.new_zeros(m)
    rows[free_r], cols[free_c] = x[: n - 1], x[n - 1 :]
    return rows, cols


def _array(G) -> torch.Tensor:
    """``G`` as a tensor: a floating tensor as it is (dtype, device), anything else as float64."""
    if isinstance(G, torch.Tensor) and G.is_floating_point():
        return G
    return torch.as_tensor(G, dtype=torch.float64)


def read_current(G, i: int, j: int, read_v: float = 0.25, scheme: str = "floating") -> torch.Tensor:
    """Current sensed on column ``j`` when device ``(i, j)`` of ``G`` (S, a tensor or array) is read under
    ``scheme``, A: a 0-d tensor on ``G``'s device."""
    G = _array(G)
    if G.ndim != 2 or not (0 <= i < G.shape[0] and 0 <= j < G.shape[1]):
        raise MemristiveError(f"device ({i}, {j}) is not in an array of shape {tuple(G.shape)}")
    if scheme not in READ_SCHEMES:
        raise MemristiveError(f"unknown read scheme {scheme!r}; known: {', '.join(READ_SCHEMES)}")
    rows, _ = _line_voltages(G, i, j, read_v, scheme)
    return G[:, j] @ rows


def read_error(G, i: int, j: int, read_v: float = 0.25, scheme: str = "floating") -> torch.Tensor:
    """Relative read error ``I / (read_v G_ij) - 1`` caused by the other devices (0-d tensor)."""
    G = _array(G)
    return read_current(G, i, j, read_v, scheme) / (read_v * G[i, j]) - 1.0
