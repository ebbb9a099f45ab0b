"""Lookup-table pulse device: a measured mean curve, interpolated, for curves no formula fits.

Each direction is a table of the normalised conductance after ``p`` identical pulses,
``y_ltp[p]`` rising from 0 to 1 and ``y_ltd[p]`` falling from 1 to 0. A pulse train of
``n`` pulses finds the device's position on its direction's curve by inverse
interpolation and moves it ``|n|`` pulses along (piecewise-linear, as measured):

    x = y_dir^-1((G - Gmin) / (Gmax - Gmin)),   x' = clip(x + |n|, 0, P_dir),
    G' = Gmin + (Gmax - Gmin) y_dir(x') + N(0, (sigma_c2c (Gmax - Gmin))^2 |n|)

The c2c sigma comes from the residual of measured steps about the table (see
:func:`memristive.devices.fitting.fit_lookup`); d2d varies each device's bounds as in
:class:`~memristive.devices.pulse_model.NonlinearPulseDevice`, whose interface
(:class:`~memristive.devices.base.DeviceModel`) this model shares.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import torch

from memristive.devices.analog import AnalogPulseModel
from memristive.devices.base import check_window, factory
from memristive.devices.state import DeviceState, sample_bounds
from memristive.errors import require


def interp(x: torch.Tensor, xp: torch.Tensor, fp: torch.Tensor) -> torch.Tensor:
    """Piecewise-linear ``fp(x)`` through the points ``(xp, fp)`` (``xp`` non-decreasing), clamped at the ends."""
    x = x.clamp(xp[0], xp[-1])
    right = torch.searchsorted(xp, x.contiguous(), right=True).clamp(1, len(xp) - 1)
    x0, x1, f0, f1 = xp[right - 1], xp[right], fp[right - 1], fp[right]
    t = (x - x0) / (x1 - x0).clamp_min(torch.finfo(x.dtype).tiny)
    return f0 + t.clamp(0, 1) * (f1 - f0)


@dataclass(frozen=True)
class LookupPulseDevice(AnalogPulseModel):
    """Tabulated pulse response (conductances in S).

    Attributes:
        curve_ltp: normalised conductance after 0, 1, ... potentiating pulses, 0 -> 1, non-decreasing.
        curve_ltd: normalised conductance after 0, 1, ... depressing pulses, 1 -> 0, non-increasing.
        g_min: bottom of the conductance range, S.
        g_max: top of the conductance range, S.
        c2c_sigma: cycle-to-cycle sigma of one pulse's change, share of the range.
        d2d_g_sigma: device-to-device relative sigma of the bounds.
        pulse_v: pulse amplitude, V.
        pulse_width_s: pulse width, s.
        read_v: read voltage, V.
        name: preset name.
        source: provenance.

    Examples:
        >>> import torch
        >>> device = LookupPulseDevice(curve_ltp=(0.0, 0.6, 0.9, 1.0), curve_ltd=(1.0, 0.4, 0.1, 0.0), g_min=1e-6, g_max=11e-6)
        >>> state = device.sample((1,), dtype=torch.float64)
        >>> state = device.pulse(state, torch.ones(1))
        >>> round(1e6 * device.conductance(state).item(), 3)  # one pulse: 60 % of the window
        7.0
    """

    curve_ltp: tuple[float, ...]
    curve_ltd: tuple[float, ...]
    g_min: float
    g_max: float
    c2c_sigma: float = 0.0
    d2d_g_sigma: float = 0.0
    pulse_v: float = 1.0
    pulse_width_s: float = 1e-6
    read_v: float = 0.2
    name: str = "custom-lookup"
    source: str = ""

    def __post_init__(self) -> None:
        for label, rising in (("curve_ltp", True), ("curve_ltd", False)):
            curve = tuple(float(v) for v in getattr(self, label))
            object.__setattr__(self, label, curve)
            require(len(curve) >= 2, f"{label} needs at least 2 points, got {len(curve)}")
            ends = (0.0, 1.0) if rising else (1.0, 0.0)
            require(abs(curve[0] - ends[0]) < 1e-9 and abs(curve[-1] - ends[1]) < 1e-9,
                     f"{label} must run from {ends[0]:g} to {ends[1]:g}, got {curve[0]:g} .. {curve[-1]:g}")
            steps = [b - a for a, b in itertools.pairwise(curve)]
            require(all(s >= 0 for s in steps) if rising else all(s <= 0 for s in steps),
                     f"{label} must be {'non-decreasing' if rising else 'non-increasing'}")
        check_window(self.g_min, self.g_max)
        for share in ("c2c_sigma", "d2d_g_sigma"):
            require(0 <= getattr(self, share) < 1, f"{share}={getattr(self, share)} must be a share in [0, 1)")
        for positive in ("pulse_v", "pulse_width_s", "read_v"):
            require(getattr(self, positive) > 0, f"{positive}={getattr(self, positive)} must be > 0")

    @property
    def levels(self) -> int:
        """Potentiating pulses from Gmin to Gmax."""
        return len(self.curve_ltp) - 1

    def sweep_pulses(self) -> dict[str, int]:
        """Pulses of one full LTP and one full LTD run (the tables' lengths)."""
        return {"ltp": len(self.curve_ltp) - 1, "ltd": len(self.curve_ltd) - 1}

    def ideal(self) -> LookupPulseDevice:
        """The same curves with no c2c or d2d variation."""
        return self.replace(c2c_sigma=0.0, d2d_g_sigma=0.0)

    def sample(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
               dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> DeviceState:
        """An array of devices at their ``Gmin``, bounds drawn once (d2d)."""
        return sample_bounds(self.g_min, self.g_max, self.d2d_g_sigma, shape, generator,
                             **factory(generator, dtype, device))

    def _moved(self, state: DeviceState, n: torch.Tensor) -> torch.Tensor:
        """``G`` after ``n`` pulses: each table read backwards to the pulse axis, ``|n|`` along, forwards again."""
        span = state.g_max - state.g_min
        y = (state.g - state.g_min) / span
        y_new = torch.empty_like(y)
        for sign, curve in ((1, self.curve_ltp), (-1, self.curve_ltd)):
            table = torch.tensor(curve if sign > 0 else curve[::-1], dtype=y.dtype, device=y.device)
            pulses = torch.arange(len(curve), dtype=y.dtype, device=y.device)
            # the falling LTD table is read on its reversed (rising) axis: position P - x
            x = interp(y, table, pulses)
            moved = interp(x + sign * n.abs(), pulses, table)
            y_new = torch.where(n * sign > 0, moved, y_new)
        return state.g_min + span * y_new

    def summary(self) -> dict[str, float | int]:
        """Key figures for listings."""
        return {
            **super().summary(),
            "on_off": self.g_max / self.g_min if self.g_min else float("inf"),
            "levels": self.levels,
            "ltd_pulses": len(self.curve_ltd) - 1,
            "c2c_pct": self.c2c_sigma * 100,
        }
