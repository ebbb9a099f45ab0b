"""Voltage waveforms on a uniform time grid (tensors of volts, last axis = time).

A waveform is a tensor ``V[..., k]`` holding the voltage over the step ``[k dt, (k+1) dt)``;
leading axes batch protocols that share the grid (one per interval, per amplitude, per
pixel). Builders take times in seconds and round them to whole steps.
"""

from __future__ import annotations

import torch

from memristive.errors import require


def steps(duration_s: float, dt_s: float) -> int:
    """Number of grid steps in ``duration_s`` (rounded; durations must be positive multiples of ~dt)."""
    n = round(duration_s / dt_s)
    require(n >= 1 and abs(n * dt_s - duration_s) <= 1e-6 * duration_s + 1e-3 * dt_s,
            f"duration {duration_s:g} s is not a whole number of {dt_s:g} s steps")
    return n


def pulse_train(amplitude: float, width_s: float, interval_s: float, count: int, dt_s: float,
                total_s: float, start_s: float = 0.0) -> torch.Tensor:
    """``count`` rectangular pulses of ``amplitude`` (V) and ``width_s``, ``interval_s`` apart
    (from the end of one pulse to the start of the next), starting at ``start_s``, over
    ``total_s``; 0 V elsewhere."""
    require(count >= 0, f"count={count} must be >= 0")
    n_total = steps(total_s, dt_s)
    v = torch.zeros(n_total, dtype=torch.float64)
    width, period, first = steps(width_s, dt_s), steps(width_s + interval_s, dt_s), round(start_s / dt_s)
    require(first + (count - 1) * period + width <= n_total or count == 0, "pulse train longer than total_s")
    for k in range(count):
        v[first + k * period: first + k * period + width] = amplitude
    return v


def staircase(levels: torch.Tensor, step_s: float, dt_s: float) -> torch.Tensor:
    """Contiguous pulses of the given ``levels`` (V), each ``step_s`` long."""
    return levels.to(torch.float64).repeat_interleave(steps(step_s, dt_s))


def shifted(v: torch.Tensor, shift_steps: torch.Tensor, length: int) -> torch.Tensor:
    """``v`` (one waveform) placed to start at each of ``shift_steps``, on a grid of ``length`` steps (batch)."""
    index = torch.arange(length)[None, :] - shift_steps[:, None]
    inside = (index >= 0) & (index < v.shape[-1])
    return torch.where(inside, v[index.clamp(0, v.shape[-1] - 1)], torch.zeros((), dtype=v.dtype))
