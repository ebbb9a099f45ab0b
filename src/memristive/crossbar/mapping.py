"""Signed weights <-> differential pairs of conductances.

A weight ``w`` in ``[-w_max, w_max]`` is the difference of two devices,
``w = w_max (G+ - G-) / (Gmax - Gmin)``, so the column current of the pair,
``I = V G+ - V G-``, is proportional to ``V w``.

Two placements of a given difference are offered:

* ``"one-sided"``: the device of the weight's sign carries it, the other sits at
  ``Gmin`` (least read power; ex-situ programming).
* ``"balanced"``: both devices start at mid-range and move apart by half the
  difference each (room to move both ways; in-situ push-pull training).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.errors import MemristiveError

SCHEMES = ("one-sided", "balanced")


@dataclass(frozen=True)
class DifferentialMapping:
    """Mapping between weights and a differential pair of conductances (S)."""

    g_min_s: float
    g_max_s: float
    w_max: float = 1.0
    scheme: str = "one-sided"

    def __post_init__(self) -> None:
        if not 0 <= self.g_min_s < self.g_max_s:
            raise MemristiveError(f"need 0 <= g_min_s < g_max_s, got {self.g_min_s} and {self.g_max_s}")
        if self.w_max <= 0:
            raise MemristiveError(f"w_max={self.w_max} must be > 0")
        if self.scheme not in SCHEMES:
            raise MemristiveError(f"scheme={self.scheme!r} must be one of {SCHEMES}")

    @property
    def g_range_s(self) -> float:
        """Gmax - Gmin, S."""
        return self.g_max_s - self.g_min_s

    def to_conductances(self, weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Target (G+, G-) for ``weight`` (clipped to [-w_max, w_max])."""
        delta = weight.clamp(-self.w_max, self.w_max) / self.w_max * self.g_range_s
        if self.scheme == "one-sided":
            return self.g_min_s + delta.clamp_min(0), self.g_min_s + (-delta).clamp_min(0)
        mid = 0.5 * (self.g_min_s + self.g_max_s)
        return mid + 0.5 * delta, mid - 0.5 * delta

    def to_weights(self, g_pos: torch.Tensor, g_neg: torch.Tensor) -> torch.Tensor:
        """Weights represented by a pair: ``w_max (G+ - G-) / (Gmax - Gmin)``."""
        return (g_pos - g_neg) * (self.w_max / self.g_range_s)
