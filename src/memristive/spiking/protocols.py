"""Driving a tunnel-junction synapse with waveforms: current traces, EPSC peaks, PPF / PTP, energy.

The device model is stepped once per grid step (:meth:`TunnelJunctionSynapse.step` is exact
for a constant voltage, so the grid only has to resolve the waveform's edges). The current
recorded for a step is the current at its end: during a pulse the pulse current, at 0 V
the current a read at ``read_v`` would give (the EPSC). Reads are taken as instantaneous:
they do not change the state.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from memristive.devices.tunnel_junction import JunctionState, TunnelJunctionSynapse
from memristive.errors import require


class Trace(NamedTuple):
    """Current (A) and voltage (V) at the end of each step, and the final state.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> from memristive.spiking import drive, pulse_train
        >>> otj = get_preset("otj-sto")
        >>> v = pulse_train(1.5, 50e-9, 150e-9, 5, 10e-9, 1e-6)  # five 1.5 V, 50 ns pulses
        >>> trace = drive(otj, otj.sample((), dtype=torch.float64), v, 10e-9)
        >>> trace.current.shape == v.shape, round(trace.voltage.max().item(), 2)
        (True, 1.5)
    """

    current: torch.Tensor
    voltage: torch.Tensor
    state: JunctionState


def drive(device: TunnelJunctionSynapse, state: JunctionState, voltage: torch.Tensor, dt_s: float,
          record: bool = True) -> Trace:
    """Apply ``voltage[..., k]`` over steps of ``dt_s``; batch axes must broadcast with the state's shape.

    With ``record=False`` only the final state is kept (``current`` is empty).
    """
    require(dt_s > 0, f"dt_s={dt_s} must be > 0")
    currents = []
    for k in range(voltage.shape[-1]):
        v = voltage[..., k]
        state = device.apply_voltage(state, v, dt_s)
        if record:
            currents.append(device.current(state, torch.where(v == 0, device.read_v, v)))
    return Trace(torch.stack(currents, -1) if record else torch.empty(0), voltage, state)


def pulse_ends(voltage: torch.Tensor) -> list[int]:
    """Indices of the first step after each pulse of a single waveform (where it returns to 0 V)."""
    on = voltage != 0
    ends = (on[:-1] & ~on[1:]).nonzero().flatten() + 1
    return ends.tolist()


def epsc_peaks(trace: Trace) -> torch.Tensor:
    """EPSC amplitude after each pulse: the read current in the first step after it, A (batch, pulses).

    Every waveform of the batch must have the same number of pulses.
    """
    flat_v = trace.voltage.reshape(-1, trace.voltage.shape[-1])
    flat_i = trace.current.reshape(-1, trace.current.shape[-1])
    rows = [flat_i[b, pulse_ends(flat_v[b])] for b in range(flat_v.shape[0])]
    require(len({len(r) for r in rows}) == 1, "waveforms of the batch have different pulse counts")
    return torch.stack(rows).reshape(*trace.voltage.shape[:-1], -1)


def facilitation_index(peaks: torch.Tensor, n: int) -> torch.Tensor:
    """``(A_n - A_1) / A_1`` in percent (PPF for n = 2, PTP for n = 10)."""
    require(peaks.shape[-1] >= n, f"need {n} pulses, got {peaks.shape[-1]}")
    return 100.0 * (peaks[..., n - 1] - peaks[..., 0]) / peaks[..., 0]


def energy_per_spike(device: TunnelJunctionSynapse, state: JunctionState, amplitudes: torch.Tensor,
                     width_s: float) -> tuple[torch.Tensor, JunctionState]:
    """``E = V I(t_w) t_w`` (seed 001) for one pulse of each amplitude of width ``t_w``, J.

    ``I(t_w)`` is the current at the end of the pulse; the state after the pulse comes back too.
    """
    v = amplitudes.to(state.s.dtype)
    state = device.apply_voltage(state, v, width_s)
    return v * device.current(state, v) * width_s, state
