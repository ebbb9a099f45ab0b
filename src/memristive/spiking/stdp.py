"""Spike-timing-dependent plasticity from overlapping pre- and postsynaptic waveforms (seed 001, Fig. 3d-e).

The device sees ``V(t) = V_pre(t) - V_post(t - dt)``. Each spike alone stays below the
device's LTM threshold; where they overlap the difference exceeds it, and how far depends
on the timing, because the spikes are shaped:

- antisymmetric (Fig. 3d, fig. S6): a staircase of negative pulses whose magnitude grows
  towards the spike, then one positive pulse. Pre before post (dt > 0) puts the pre's
  positive pulse over the post's negative staircase: potentiation, stronger the closer
  they are; post before pre depresses.
- symmetric (Fig. 3e, fig. S7): the pre is one positive pulse; the post is a negative
  staircase peaked at the spike time, so potentiation depends on ``|dt|`` only.

:func:`stdp_window` measures the nonvolatile change in percent, read long after the pair
(the volatile parts have leaked away). The paper's fit functions (eqs. 1-2) are applied to
those simulated points by :func:`fit_exponential_window` and :func:`fit_gaussian_window`;
nothing in the simulation uses them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy.optimize import curve_fit

from memristive.devices.tunnel_junction import TunnelJunctionSynapse
from memristive.errors import require
from memristive.spiking.protocols import drive
from memristive.spiking.waveforms import shifted, staircase, steps


@dataclass(frozen=True)
class SpikeShape:
    """A spike: ``tail_steps`` negative pulses of ``tail_step_s`` each, their magnitudes rising
    towards the spike time as ``tail_v * (k / n) ** tail_power``, then a positive pulse of
    ``peak_v`` for ``peak_s`` (volts, seconds). ``centred``: the staircase alone, rising then
    falling, with the spike time at its middle (no positive pulse).

    Examples:
        >>> spike = SpikeShape(peak_v=0.9, peak_s=1e-6, tail_v=0.9, tail_steps=20, tail_step_s=1e-6)
        >>> waveform, peak_index = spike.waveform(1e-7)
        >>> tuple(waveform.shape), round(waveform.max().item(), 2), round(waveform.min().item(), 2)  # 0.1 us steps, V
        ((210,), 0.9, -0.9)
    """

    peak_v: float
    peak_s: float
    tail_v: float
    tail_steps: int
    tail_step_s: float
    tail_power: float = 1.0
    centred: bool = False

    def __post_init__(self) -> None:
        require(self.peak_v >= 0 and self.tail_v >= 0, "peak_v and tail_v must be >= 0")
        require(self.peak_s > 0 and self.tail_step_s > 0 and self.tail_steps >= 0,
                "peak_s and tail_step_s must be > 0, tail_steps >= 0")

    def waveform(self, dt_s: float) -> tuple[torch.Tensor, int]:
        """The voltage on the grid and the index of the spike time in it."""
        k = torch.arange(1, self.tail_steps + 1, dtype=torch.float64)
        rising = -self.tail_v * (k / self.tail_steps) ** self.tail_power
        if self.centred:
            levels = torch.cat([rising, rising.flip(0)[1:]])
            tail = staircase(levels, self.tail_step_s, dt_s)
            return tail, (self.tail_steps - 1) * steps(self.tail_step_s, dt_s) + steps(self.tail_step_s, dt_s) // 2
        tail = staircase(rising, self.tail_step_s, dt_s) if self.tail_steps else torch.zeros(0, dtype=torch.float64)
        peak = torch.full((steps(self.peak_s, dt_s),), self.peak_v, dtype=torch.float64)
        # Spike time: the start of the positive pulse, or its middle when there is no staircase.
        return torch.cat([tail, peak]), tail.numel() if self.tail_steps else peak.numel() // 2


def stdp_window(device: TunnelJunctionSynapse, pre: SpikeShape, post: SpikeShape, delays_s,
                dt_s: float, w0: float, rest_s: float = 1e-3) -> torch.Tensor:
    """Nonvolatile weight change (percent of the initial read conductance, float64 tensor) for each delay
    ``dt = t_post - t_pre`` (s; a tensor or array), one device per delay starting at share ``w0``."""
    pre_v, pre_t = pre.waveform(dt_s)
    post_v, post_t = post.waveform(dt_s)
    delays = torch.as_tensor(delays_s, dtype=torch.float64, device="cpu")
    delay_steps = torch.round(delays / dt_s).long()
    margin = max(pre_v.numel(), post_v.numel())
    origin = margin + int(delay_steps.abs().max())
    length = 2 * origin + margin
    v_pre = shifted(pre_v, torch.full_like(delay_steps, origin - pre_t), length)
    v_post = shifted(post_v, origin + delay_steps - post_t, length)
    state = device.sample((len(delay_steps),), w=w0, dtype=torch.float64)
    g0 = device.conductance(state)
    trace = drive(device, state, v_pre - v_post, dt_s, record=False)
    g1 = device.conductance(device.advance(trace.state, rest_s))
    return 100.0 * (g1 / g0 - 1)


def _exponential(dt, a, tau, w0):
    return a * np.exp(-dt / tau) + w0


def _gaussian(dt, a, tau, w0):
    return a * np.exp(-(dt**2) / tau**2) + w0


def _points(delays_s, dw) -> tuple[np.ndarray, np.ndarray]:
    """A window's points as NumPy arrays for scipy's ``curve_fit`` (tensors on any device, or arrays)."""
    return tuple(torch.as_tensor(x, dtype=torch.float64).cpu().numpy() for x in (delays_s, dw))


def fit_exponential_window(delays_s, dw) -> tuple[float, float, float]:
    """Least-squares ``dW = A exp(-dt / tau) + W0`` (seed 001 eq. 1) to the points ``(delays_s, dw)`` (tensors or
    arrays); returns ``A`` (%), ``tau`` (s), ``W0``."""
    delays_s, dw = _points(delays_s, dw)
    guess_tau = float(np.sign(np.mean(delays_s)) * np.ptp(delays_s) / 4)
    (a, tau, w0), _ = curve_fit(_exponential, delays_s, dw, p0=(float(dw[np.argmin(np.abs(delays_s))]), guess_tau, 0.0),
                                maxfev=20000)
    return float(a), float(tau), float(w0)


def fit_gaussian_window(delays_s, dw) -> tuple[float, float, float]:
    """Least-squares ``dW = A exp(-dt^2 / tau^2) + W0`` (seed 001 eq. 2) to the points (tensors or arrays);
    returns ``A`` (%), ``tau`` (s), ``W0``."""
    delays_s, dw = _points(delays_s, dw)
    (a, tau, w0), _ = curve_fit(_gaussian, delays_s, dw, p0=(float(dw.max() - dw.min()), float(np.ptp(delays_s) / 6),
                                                            float(dw.min())), maxfev=20000)
    return float(a), abs(float(tau)), float(w0)
