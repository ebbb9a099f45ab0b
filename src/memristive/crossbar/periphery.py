"""Converters at the array's edges: DAC on the rows, ADC on the columns.

An ``b``-bit converter with full scale ``F`` maps ``x`` to the nearest of its
levels: unsigned (DAC, inputs ``0..F``) ``round(x / F (2^b - 1)) F / (2^b - 1)``,
signed (ADC, differential currents ``-F..F``) with ``2^(b-1) - 1`` steps per side.
``b = 0`` means an ideal converter. Gradients pass straight through (the
straight-through estimator), so layers can train through quantised periphery.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.errors import MemristiveError


def quantize(x: torch.Tensor, bits: int, full_scale: float | torch.Tensor, signed: bool) -> torch.Tensor:
    """Round ``x`` to a ``bits``-bit converter's levels, clipped to its full scale (straight-through gradient)."""
    if bits == 0:
        return x
    steps = max((2 ** (bits - 1) - 1) if signed else (2**bits - 1), 1)
    if isinstance(full_scale, torch.Tensor):
        lsb = torch.where(full_scale > 0, full_scale / steps, torch.ones_like(full_scale))
        q = torch.clamp(x, -full_scale if signed else torch.zeros_like(full_scale), full_scale)
    else:
        lsb = full_scale / steps if full_scale > 0 else 1.0
        q = torch.clamp(x, -full_scale if signed else 0.0, full_scale)
    q = q.div_(lsb).round_().mul_(lsb)
    if x.requires_grad:
        return x + (q - x).detach()
    return q.sub_(x).add_(x)  # the straight-through form's float operations, in place


@dataclass(frozen=True)
class Periphery:
    """Row DAC and column ADC of an array.

    Attributes:
        dac_bits: input DAC resolution (0 = ideal).
        adc_bits: output ADC resolution (0 = ideal).
        read_v: full-scale input (read) voltage, V; an input of 1 is driven at ``read_v``.
        adc_full_scale_a: ADC full scale, A; ``None`` calibrates it to the largest
            |current| of each call (an auto-ranging ADC).
        read_pulse_s: duration of one read, s (counts the read energy; 10 ns is our choice).

    Examples:
        >>> import torch
        >>> periphery = Periphery(dac_bits=2, read_v=0.2)  # a 2-bit DAC: four levels up to 0.2 V
        >>> [round(v, 4) for v in periphery.drive(torch.tensor([0.0, 0.3, 0.5, 1.0], dtype=torch.float64)).tolist()]  # V
        [0.0, 0.0667, 0.1333, 0.2]
    """

    dac_bits: int = 0
    adc_bits: int = 0
    read_v: float = 0.2
    adc_full_scale_a: float | None = None
    read_pulse_s: float = 10e-9

    def __post_init__(self) -> None:
        for name in ("dac_bits", "adc_bits"):
            bits = getattr(self, name)
            if not isinstance(bits, int) or not 0 <= bits <= 32:
                raise MemristiveError(f"{name}={bits} must be an integer in 0..32 (0 = ideal)")
        if self.read_v <= 0:
            raise MemristiveError(f"read_v={self.read_v} must be > 0 V")
        if not self.read_pulse_s > 0:
            raise MemristiveError(f"read_pulse_s={self.read_pulse_s} must be > 0 s")
        if self.adc_full_scale_a is not None and self.adc_full_scale_a <= 0:
            raise MemristiveError(f"adc_full_scale_a={self.adc_full_scale_a} must be > 0 A")

    def drive(self, x: torch.Tensor, signed: bool = False) -> torch.Tensor:
        """Line voltages for inputs ``x`` in [0, 1] (``signed``: in [-1, 1], a bipolar DAC): DAC-quantised
        ``x read_v``, V."""
        return quantize(x * self.read_v, self.dac_bits, self.read_v, signed=signed)

    def sense(self, current: torch.Tensor) -> torch.Tensor:
        """ADC reading of differential column currents, A."""
        if self.adc_bits == 0:
            return current
        full = self.adc_full_scale_a
        if full is None:
            low, high = torch.aminmax(current.detach())  # one pass, no |current| temporary
            full = torch.maximum(-low, high).clamp_min(torch.finfo(current.dtype).tiny)
        return quantize(current, self.adc_bits, full, signed=True)
