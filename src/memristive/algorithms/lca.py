"""Sparse coding by the locally competitive algorithm on a crossbar array (seed 002, Eqs. 1-2).

Rozell et al. (Neural Comput. 20, 2526, 2008); on memristors Sheridan et al. (Nat. Nanotechnol. 12,
784, 2017). The dictionary ``D`` [m inputs, n atoms] is held by an ``m x n`` array; the membrane
potentials ``u`` follow (seed 002, Eq. 2)

    du/dt = (-u + (x - x_hat)^T D + a) / tau,    x_hat = D a^T,    a = T_lambda(u),

so every step is one transposed read (``x_hat`` from ``a`` driven on the columns) and one forward
read (``(x - x_hat)^T D`` driven on the rows), with no ``D^T D`` product. Euler steps of
``eta = dt / tau``. ``T_lambda`` is the soft threshold ``sign(u) max(|u| - lambda, 0)`` (the fixed
points then minimise ``1/2 |x - D a|^2 + lambda |a|_1``, the Lasso) or seed 002's hard threshold
``a = u where u > lambda``; ``nonnegative`` keeps only positive coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.crossbar import CrossbarArray
from memristive.errors import require

THRESHOLDS = ("soft", "hard")


@dataclass(frozen=True)
class Coding:
    """What :meth:`LCA.encode` returns: coefficients ``a`` [batch, n], potentials ``u``, the ``steps`` run and the
    cost ``1/2 |x - D a|^2 + lambda |a|_1`` per sample after each step (``costs`` [steps, batch]).

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> lca = LCA(CrossbarArray(4, 4, get_preset("taox-hfox").ideal(), WeightMapping(w_max=1.0),
        ...                         generator=torch.Generator().manual_seed(0), dtype=torch.float64), lam=0.1)
        >>> lca.store(torch.eye(4, dtype=torch.float64))
        >>> coding = lca.encode(torch.tensor([[1.0, 0.0, 0.5, 0.0]], dtype=torch.float64))
        >>> [round(a, 2) for a in coding.a[0].tolist()]  # soft threshold: each input less lambda
        [0.9, 0.0, 0.4, 0.0]
    """

    a: torch.Tensor
    u: torch.Tensor
    steps: int
    costs: torch.Tensor


class LCA:
    """The locally competitive algorithm with its dictionary in ``array`` (module docstring).

    Args:
        array: an ``m x n`` :class:`~memristive.crossbar.CrossbarArray` (inputs x atoms).
        lam: the threshold ``lambda`` (> 0).
        eta: the Euler step ``dt / tau`` in (0, 1].
        threshold: ``"soft"`` or ``"hard"``.
        nonnegative: only positive coefficients.

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> lca = LCA(CrossbarArray(4, 2, get_preset("taox-hfox").ideal(), WeightMapping(w_max=1.0),
        ...                         generator=torch.Generator().manual_seed(0), dtype=torch.float64), lam=0.05)
        >>> lca.store(torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [0.0, 0.0]], dtype=torch.float64))
        >>> a = lca.encode(torch.tensor([[0.0, 1.0, 0.0, 0.0]], dtype=torch.float64)).a
        >>> [round(v, 2) for v in a[0].tolist()]  # only the matching atom is active
        [0.0, 0.95]
    """

    def __init__(self, array: CrossbarArray, lam: float, eta: float = 0.1, threshold: str = "soft",
                 nonnegative: bool = False) -> None:
        require(lam > 0, f"lam={lam} must be > 0")
        require(0 < eta <= 1, f"eta={eta} must be in (0, 1]")
        require(threshold in THRESHOLDS, f"threshold={threshold!r} must be one of {THRESHOLDS}")
        self.array, self.lam, self.eta, self.threshold, self.nonnegative = array, lam, eta, threshold, nonnegative

    def store(self, dictionary: torch.Tensor, **program) -> None:
        """Write ``dictionary`` [m, n] into the array (``program``: see :meth:`CrossbarArray.program`)."""
        shape = (self.array.rows, self.array.cols)
        require(tuple(dictionary.shape) == shape, f"a dictionary of shape {tuple(dictionary.shape)} does not fit "
                f"an array of {shape[0]} x {shape[1]} (tile the array or choose its size)")
        self.array.program(dictionary.to(self.array.dtype), **program)

    def activation(self, u: torch.Tensor) -> torch.Tensor:
        """``a = T_lambda(u)``."""
        if self.nonnegative:
            u = u.clamp_min(0)
        if self.threshold == "soft":
            return torch.sign(u) * (u.abs() - self.lam).clamp_min(0)
        return torch.where(u.abs() > self.lam, u, torch.zeros_like(u))

    def reconstruct(self, a: torch.Tensor) -> torch.Tensor:
        """``x_hat = D a^T``: one transposed read, ``[batch, m]``."""
        return self.array.matvec(a, transposed=True)

    def cost(self, x: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        """``1/2 |x - D a|^2 + lambda |a|_1`` per sample, with ``D`` the weights the devices hold."""
        residual = x - a @ self.array.weights().t()
        return 0.5 * residual.square().sum(-1) + self.lam * a.abs().sum(-1)

    def encode(self, x: torch.Tensor, steps: int = 200, u0: torch.Tensor | None = None) -> Coding:
        """``steps`` Euler steps of the potentials for inputs ``x`` [batch, m] (from ``u0``, default 0)."""
        require(x.ndim == 2 and x.shape[1] == self.array.rows,
                f"inputs of shape {tuple(x.shape)}: need [batch, {self.array.rows}]")
        require(isinstance(steps, int) and steps >= 1, f"steps={steps} must be an integer >= 1")
        x = x.to(self.array.dtype)
        u = torch.zeros(x.shape[0], self.array.cols, dtype=x.dtype, device=x.device) if u0 is None else u0.clone()
        a = self.activation(u)
        costs = []
        for _ in range(steps):
            drive = self.array.matvec(x - self.reconstruct(a))  # (x - x_hat)^T D
            u = u + self.eta * (drive + a - u)
            a = self.activation(u)
            costs.append(self.cost(x, a))
        return Coding(a, u, steps, torch.stack(costs))
