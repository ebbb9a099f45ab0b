"""Mott relaxation oscillators as a noise source for annealing (Kumar et al., Nature 548, 318, 2017).

Many :class:`~memristive.spiking.mott_neuron.MottOscillator` circuits (one Mott memristor, a
parallel capacitor ``C``, a series resistor ``R_s`` from ``V_s``) integrated together on tensors,
each read once every ``interval_s``. Per step ``dt`` (a share of the thermal time ``tau_th``), with
``G = G(T)`` held over the step, both equations are advanced by their exact exponential solution:

    V <- V_inf + (V - V_inf) exp(-dt (1/R_s + G) / C),         V_inf = (V_s / R_s) / (1/R_s + G),
    T <- T_inf + (T - T_inf) k + sigma_T sqrt(1 - k^2) xi,    T_inf = T_amb + R_th G V^2,  k = exp(-dt / tau_th),

where the last term is the channel's thermal fluctuation: an Ornstein-Uhlenbeck process whose
stationary variance is the equilibrium ``sigma_T^2 = k_B T^2 / C_th`` of a body of heat capacity
``C_th`` (``xi`` standard normal). Kumar et al. trace their NbO2 oscillator's chaos to such
fluctuations coupled with the nonlinear (Poole-Frenkel) transport of the insulating state; this
device model has a constant insulating conductance, so here the fluctuations only jitter the
switching times: each oscillator is close to periodic, starts at a random point of its charging
branch (a random phase), and read at an interval incommensurate with its period gives an
irregular, bounded, non-Gaussian sequence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from memristive.devices.base import factory
from memristive.devices.conduction import K_B
from memristive.errors import require
from memristive.spiking.mott_neuron import MottOscillator


@dataclass(frozen=True)
class MottNoiseSource:
    """Oscillators of ``oscillator``'s circuit read every ``interval_s`` seconds (module docstring).

    Attributes:
        oscillator: the circuit (device model, source voltage, series resistor, capacitor).
        interval_s: time between reads, s (choose it incommensurate with the period).
        step_share: the integration step as a share of the thermal time ``tau_th`` (0.5: the period is within
            0.5 % of scipy's LSODA for the ``mott-nbo2`` preset).
        thermal_noise: include the temperature fluctuation (``False``: deterministic oscillators).

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> from memristive.spiking.mott_neuron import MottOscillator
        >>> oscillator = MottOscillator(get_preset("mott-nbo2"), 1.2, 2e3, 1e-10)  # source V, series ohm, capacitance F
        >>> noise = MottNoiseSource(oscillator, 3e-9)
        >>> tuple(noise.voltages((4,), 10, generator=torch.Generator().manual_seed(0)).shape)  # [reads, *shape], V
        (10, 4)
    """

    oscillator: MottOscillator
    interval_s: float
    step_share: float = 0.5
    thermal_noise: bool = True

    def __post_init__(self) -> None:
        require(self.interval_s > 0, f"interval_s={self.interval_s} s must be > 0")
        require(0 < self.step_share <= 2, f"step_share={self.step_share} must be in (0, 2] thermal times")

    def voltages(self, shape: tuple[int, ...], reads: int, *, generator: torch.Generator | None = None,
                 dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> torch.Tensor:
        """Device voltages of oscillators of ``shape`` at ``reads`` read times, V, ``[reads, *shape]``.

        Each oscillator starts insulating at a uniformly random voltage between the hold and threshold voltages
        (a random phase on its charging branch); the first read is ``interval_s`` after the start.
        """
        require(isinstance(reads, int) and reads >= 1, f"reads={reads} must be an integer >= 1")
        osc, model = self.oscillator, self.oscillator.model
        kw = factory(generator, dtype, device)
        (v_th, _), (v_hold, _) = model.turning_points()
        v = v_hold + (v_th - v_hold) * torch.rand(shape, generator=generator, **kw)
        temperature = model.ambient_k + model.thermal_resistance * model.g_insulating * v * v
        tau = model.tau_thermal_s
        per_read = max(1, math.ceil(self.interval_s / (self.step_share * tau)))
        dt = self.interval_s / per_read
        kept = math.exp(-dt / tau)
        spread = math.sqrt(K_B / model.thermal_capacitance * (1 - kept * kept)) if self.thermal_noise else 0.0
        out = torch.empty((reads, *shape), **kw)
        for read in range(reads):
            for _ in range(per_read):
                g = model.conductance_at(temperature)
                total = 1.0 / osc.series_ohm + g
                settled = osc.source_v / osc.series_ohm / total
                v = settled + (v - settled) * torch.exp(-dt / osc.capacitance_f * total)
                heated = model.ambient_k + model.thermal_resistance * g * v * v
                temperature = heated + (temperature - heated) * kept
                if spread:  # drawn in single precision (five times faster than double on CPUs; ample for noise)
                    xi = torch.randn(shape, generator=generator, dtype=torch.float32, device=kw["device"])
                    temperature = temperature + spread * temperature * xi.to(kw["dtype"])
            out[read] = v
        return out


def standardize(samples: torch.Tensor) -> torch.Tensor:
    """``(x - mean) / std`` over all of ``samples`` (a noise sequence of zero mean and unit variance)."""
    spread = samples.std()
    require(bool(spread > 0), "the samples do not vary: a constant cannot be standardized")
    return (samples - samples.mean()) / spread
