"""Normalised weight-update curves and the nonlinearity label nu.

A device that takes ``P`` identical pulses from ``Gmin`` to ``Gmax`` follows
NeuroSim's exponential update model (Chen et al., IEDM 2017; seed 002 section 4)

    G(p) = B (1 - exp(-p / A)) + Gmin,   B = (Gmax - Gmin) / (1 - exp(-P / A)).

With ``x = p / P`` and ``nu = P / A`` the normalised curve is

    y(x; nu) = (1 - exp(-nu x)) / (1 - exp(-nu)),        y(x; 0) = x.

``nu > 0`` is concave (steep near Gmin), ``nu < 0`` convex (steep near Gmax);
``y(x; -nu) = 1 - y(1 - x; nu)``. Potentiation moves ``x`` up, depression moves it
down along the same axis with the LTD label, so a saturating LTD curve has
``nu_ltd < 0`` (NeuroSim's convention). The label is *defined* by the largest
signed deviation of the normalised curve from the straight line,

    D(nu) = y(x*; nu) - x*,   x* = ln(nu / (1 - exp(-nu))) / nu,

which is odd and strictly increasing in ``nu``; any measured curve gets its label as
``nu = D^-1(D_measured)`` (:func:`label_from_curve`), with no fit of a model.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.optimize import brentq

from memristive.errors import MemristiveError

_LINEAR_EPS = 1e-6
NU_LIMIT = 60.0
"""Largest |nu| handled; beyond it the curve is a step for any practical pulse count."""


def _safe_nu(nu: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    linear = nu.abs() < _LINEAR_EPS
    return torch.where(linear, torch.ones_like(nu), nu), linear


def shape(x: torch.Tensor, nu: torch.Tensor) -> torch.Tensor:
    """Normalised curve ``y(x; nu)`` for ``x`` in [0, 1] (broadcasting)."""
    x, nu = torch.broadcast_tensors(torch.as_tensor(x), torch.as_tensor(nu, dtype=torch.as_tensor(x).dtype))
    safe, linear = _safe_nu(nu)
    y = torch.expm1(-safe * x) / torch.expm1(-safe)
    return torch.where(linear, x, y)


def inverse_shape(y: torch.Tensor, nu: torch.Tensor) -> torch.Tensor:
    """Pulse position ``x`` with ``y(x; nu) = y``: ``x = -ln(1 + y (exp(-nu) - 1)) / nu``."""
    y, nu = torch.broadcast_tensors(torch.as_tensor(y), torch.as_tensor(nu, dtype=torch.as_tensor(y).dtype))
    safe, linear = _safe_nu(nu)
    x = -torch.log1p(y.clamp(0.0, 1.0) * torch.expm1(-safe)) / safe
    return torch.where(linear, y, x).clamp(0.0, 1.0)


def max_deviation(nu: float) -> float:
    """Signed largest deviation ``D(nu)`` of ``y(x; nu)`` from the line ``y = x``."""
    if abs(nu) < _LINEAR_EPS:
        return 0.0
    x_star = math.log(nu / -math.expm1(-nu)) / nu
    return math.expm1(-nu * x_star) / math.expm1(-nu) - x_star


def label_from_deviation(deviation: float) -> float:
    """Invert :func:`max_deviation`: the label ``nu`` whose curve deviates by ``deviation``."""
    bound = max_deviation(NU_LIMIT)
    if not -bound < deviation < bound:
        raise MemristiveError(
            f"curve deviation {deviation:.4f} is outside (-{bound:.4f}, {bound:.4f}): "
            "the curve is not monotonic or is a step"
        )
    if abs(deviation) < 1e-12:
        return 0.0
    return brentq(lambda nu: max_deviation(nu) - deviation, -NU_LIMIT, NU_LIMIT, xtol=1e-10)


def label_from_curve(conductance: np.ndarray | torch.Tensor) -> float:
    """Nonlinearity label of one monotonic pulse-response curve (LTP rising or LTD falling).

    ``conductance[k]`` is the state after ``k`` pulses (``k = 0..P``). As in NeuroSim,
    both directions are read on the ascending pulse axis (an LTD curve is reversed so
    it runs from its low end to its high end): an LTD curve that drops fast first
    then gets a *negative* label, as in NeuroSim's device table (Ag:a-Si: -4.88).
    """
    g = np.asarray(conductance, dtype=float)
    if g.ndim != 1 or g.size < 3:
        raise MemristiveError("a pulse-response curve needs at least 3 points in one dimension")
    if g[-1] < g[0]:
        g = g[::-1]
    span = g[-1] - g[0]
    if span == 0:
        raise MemristiveError("pulse-response curve has no net change; its nonlinearity is undefined")
    y = (g - g[0]) / span
    x = np.linspace(0.0, 1.0, g.size)
    dev = y - x
    return label_from_deviation(float(dev[np.argmax(np.abs(dev))]))
