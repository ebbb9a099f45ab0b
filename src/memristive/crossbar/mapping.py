"""Signed weights <-> planes of conductances: differential pairs, N devices per weight, bit slices.

A weight ``w`` in ``[-w_max, w_max]`` is held by ``slices x 2 x copies`` devices (the
*planes* of an array, plane index ``(slice, side, copy)``, side 0 = G+, 1 = G-). It is read
back as a signed sum of their conductances over the window ``R = Gmax - Gmin``,

    w = (w_max / R) sum_p c_p G_p,   c_(k, side, n) = (+1 | -1) s_k / copies,

so a column current ``sum_p c_p V G_p`` is proportional to ``V w`` (the ``Gmin`` offsets of a
pair cancel). Placements of a normalised weight ``u = w / w_max``:

* ``"one-sided"``: the device of the weight's sign carries ``|u|``, the other sits at ``Gmin``
  (least read power; ex-situ programming);
* ``"balanced"``: both devices start at mid-range and move apart by ``u / 2`` each (room to
  move both ways; in-situ push-pull training; analog only);
* ``"reference"``: no pair; the ``copies`` devices of a weight are read against a reference
  column at mid-window, ``w = w_max (2 mean_n(G_n) - Gmin - Gmax) / R`` (Boybat et al.'s
  non-differential architecture; analog, ideal reads); a weight is depressed by depressing its
  own devices (for PCM: a reset);
* ``copies = N``: N devices of equal significance on each side, all written alike (the
  multi-memristive synapse, Boybat et al., Nat. Commun. 9, 2514, 2018);
* ``slices = K`` of ``slice_bits = b`` bits: ``|u|`` is rounded to ``Kb`` bits and split into K
  digits ``d_k`` of b bits, slice k holding ``d_k / (2^b - 1)`` of the window with significance
  ``s_k = (2^b - 1) 2^(b k) / (2^(Kb) - 1)``; the slices' ADC outputs are recombined by
  shift-and-add (NeuroSim-style accelerators; the precision extension of in-memory PDE
  solvers). ``slice_bits = 0`` is one analog slice (``s_0 = 1``).

``readout="share"`` reads each device as its position in its *present* window instead of its
conductance in the model's nominal window (``R = 1``, ``G_p`` the share): for models with
several windows, such as the dual-mode device whose diffusive and nonvolatile windows differ
(seed 000's pruning reads a weight as ``w_max (s+ - s-)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.errors import MemristiveError

SCHEMES = ("one-sided", "balanced", "reference")
READOUTS = ("conductance", "share")


@dataclass(frozen=True)
class WeightMapping:
    """How a weight matrix is spread over planes of devices (see the module docstring).

    Attributes:
        scheme: ``"one-sided"``, ``"balanced"`` (differential pairs) or ``"reference"`` (no pair).
        w_max: weight that a full-window difference represents.
        copies: devices of equal significance per side of a weight (>= 1).
        slices: bit slices (>= 1); more than one needs ``slice_bits >= 1``.
        slice_bits: bits per slice (0: analog).
        readout: ``"conductance"`` (nominal window) or ``"share"`` (each device's present window).

    Examples:
        >>> import torch
        >>> mapping = WeightMapping("one-sided", w_max=1.0)
        >>> g = mapping.to_conductances(torch.tensor([[0.5, -0.25]], dtype=torch.float64), 1e-6, 11e-6)
        >>> mapping.planes, (1e6 * g).round(decimals=3).tolist()  # a pair per weight: [plane, row, col] in uS
        (2, [[[6.0, 1.0]], [[1.0, 3.5]]])
        >>> mapping.to_weights(g, 1e-6, 11e-6).tolist()
        [[0.5, -0.25]]
    """

    scheme: str = "one-sided"
    w_max: float = 1.0
    copies: int = 1
    slices: int = 1
    slice_bits: int = 0
    readout: str = "conductance"

    def __post_init__(self) -> None:
        if self.readout not in READOUTS:
            raise MemristiveError(f"readout={self.readout!r} must be one of {READOUTS}")
        if self.scheme not in SCHEMES:
            raise MemristiveError(f"scheme={self.scheme!r} must be one of {SCHEMES}")
        if not self.w_max > 0:
            raise MemristiveError(f"w_max={self.w_max} must be > 0")
        for name in ("copies", "slices"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise MemristiveError(f"{name}={value} must be an integer >= 1")
        if not isinstance(self.slice_bits, int) or not 0 <= self.slice_bits <= 16:
            raise MemristiveError(f"slice_bits={self.slice_bits} must be an integer in 0..16 (0 = analog)")
        if self.slices > 1 and self.slice_bits == 0:
            raise MemristiveError(f"slices={self.slices} needs slice_bits >= 1 (analog weights use one slice)")
        if self.scheme != "one-sided" and self.slice_bits:
            raise MemristiveError(f"the {self.scheme} scheme is analog: use slice_bits=0 (or scheme='one-sided')")

    @property
    def sides(self) -> int:
        """Devices of one weight read with opposite signs: 2 (a differential pair) or 1 (``"reference"``)."""
        return 1 if self.scheme == "reference" else 2

    @property
    def planes(self) -> int:
        """Devices per weight: ``slices x sides x copies``."""
        return self.slices * self.sides * self.copies

    def significance(self) -> list[float]:
        """``s_k`` of every slice (1 for one analog slice)."""
        if not self.slice_bits:
            return [1.0]
        b, total = self.slice_bits, 2 ** (self.slices * self.slice_bits) - 1
        return [(2**b - 1) * 2 ** (b * k) / total for k in range(self.slices)]

    def coefficients(self, **factory) -> torch.Tensor:
        """``c_p`` of every plane, shape ``[planes]`` (``factory``: dtype, device); ``2 / copies`` against a
        reference."""
        if self.scheme == "reference":
            return torch.full((self.copies,), 2.0 / self.copies, **factory)
        c = torch.tensor([[[s * side / self.copies] * self.copies for side in (1.0, -1.0)] for s in self.significance()],
                         **factory)
        return c.flatten()

    def _shares(self, u: torch.Tensor) -> torch.Tensor:
        """Window shares of every one-sided plane for normalised weights ``u`` in [-1, 1]: ``[planes, *u.shape]``."""
        magnitude = u.abs()
        if self.slice_bits:
            b = self.slice_bits
            level = torch.round(magnitude * (2 ** (self.slices * b) - 1))
            digits = [torch.remainder(torch.floor(level / 2 ** (b * k)), 2**b) / (2**b - 1) for k in range(self.slices)]
        else:
            digits = [magnitude]
        planes = []
        for digit in digits:
            for side in (u > 0, u < 0):
                planes += [torch.where(side, digit, torch.zeros_like(digit))] * self.copies
        return torch.stack(planes)

    def to_conductances(self, weight: torch.Tensor, g_min: float, g_max: float) -> torch.Tensor:
        """Target conductances (S) of every plane for ``weight`` (clipped to [-w_max, w_max]), ``[planes, ...]``."""
        u = weight.clamp(-self.w_max, self.w_max) / self.w_max
        if self.scheme == "reference":
            return (g_min + 0.5 * (u + 1) * (g_max - g_min)).expand(self.copies, *u.shape).clone()
        if self.scheme == "balanced":
            mid, delta = 0.5 * (g_min + g_max), u * (g_max - g_min)
            return torch.stack([side for side in (mid + 0.5 * delta, mid - 0.5 * delta) for _ in range(self.copies)])
        return g_min + self._shares(u) * (g_max - g_min)

    def to_weights(self, g: torch.Tensor, g_min: float, g_max: float) -> torch.Tensor:
        """Weights held by conductances ``g`` of shape ``[planes, ...]``: ``(w_max / R) sum_p c_p G_p``."""
        c = self.coefficients(dtype=g.dtype, device=g.device).view(-1, *([1] * (g.ndim - 1)))
        weights = (c * g).sum(0) * (self.w_max / (g_max - g_min))
        return weights - self.w_max * (g_min + g_max) / (g_max - g_min) if self.scheme == "reference" else weights

    def reference(self, g_min: float, g_max: float) -> float:
        """Conductance each plane's read is compared with, S: mid-window against a reference column, else 0
        (a pair's ``Gmin`` offsets cancel)."""
        return 0.5 * (g_min + g_max) if self.scheme == "reference" else 0.0
