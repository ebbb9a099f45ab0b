"""Mott memristor: a volatile threshold switch driven by Joule heating through an insulator-metal transition.

NbO2 and VO2 cross-points (Pickett et al., Nat. Mater. 12, 114, 2013; Kumar et al., Nature 548,
318, 2017) switch when Joule heating lifts the conducting channel through the insulator-metal
transition temperature ``T_c``; below it they relax back within the thermal time. One state
variable per device, the channel temperature ``T`` (K):

    C_th dT/dt = G(T) V^2 - (T - T_amb) / R_th,
    G(T) = G_ins + (G_met - G_ins) / (1 + exp(-(T - T_c) / w)),

so a device stays insulating until ``V`` exceeds a threshold ``V_th`` (near
``sqrt((T_c - T_amb) / (R_th G_ins))``, a little below it as the transition is gradual), then runs
away to the metallic state, and holds it while ``V`` stays above ``V_hold`` (near
``sqrt((T_c - T_amb) / (R_th G_met))``): the positive feedback of conductance on temperature gives
the current-controlled negative differential resistance (S-type) of these devices, and with a series resistor and a parallel capacitor a relaxation oscillator
(:mod:`memristive.spiking.mott_neuron`). Undriven it cools with ``tau_th = R_th C_th``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy.special import expit

from memristive.devices.base import DeviceModel, check_window, factory
from memristive.devices.state import TensorState
from memristive.errors import require, require_positive

SUBSTEPS_PER_TAU = 8
"""Exponential-Euler substeps per thermal time constant in :meth:`MottMemristor.apply_voltage`."""

SETTLED_TAUS = 40
"""Thermal time constants after which a device under a constant voltage sits at its fixed point."""


@dataclass(frozen=True)
class MottState(TensorState):
    """Channel temperature of every device, K.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> mott = get_preset("mott-nbo2")
        >>> hot = mott.apply_voltage(mott.sample((1,), dtype=torch.float64), 1.5, 5e-9)  # above threshold
        >>> round(hot.temperature.item()) > mott.transition_k, round(mott.advance(hot, 1e-6).temperature.item())
        (True, 300)
    """

    temperature: torch.Tensor


@dataclass(frozen=True)
class MottMemristor(DeviceModel):
    """Parameters of the thermally driven Mott threshold switch (SI units; module docstring).

    Attributes:
        g_insulating: conductance below the transition, S.
        g_metallic: conductance above the transition, S.
        transition_k: insulator-metal transition temperature ``T_c``, K.
        transition_width_k: width ``w`` of the transition, K.
        thermal_resistance: ``R_th`` from the channel to the ambient, K/W.
        thermal_capacitance: ``C_th`` of the channel, J/K.
        ambient_k: ambient temperature, K.
        read_v: read voltage, V (well below the threshold).
        name: preset name.
        source: where the numbers come from.

    Examples:
        >>> from memristive.devices import get_preset
        >>> (v_th, i_th), (v_hold, i_hold) = get_preset("mott-nbo2").turning_points()
        >>> round(v_th, 2), round(v_hold, 2)  # threshold and hold voltage, V
        (0.95, 0.23)
    """

    g_insulating: float
    g_metallic: float
    transition_k: float
    thermal_resistance: float
    thermal_capacitance: float
    transition_width_k: float = 10.0
    ambient_k: float = 300.0
    read_v: float = 0.1
    name: str = "custom-mott"
    source: str = ""

    drives = ("voltage",)

    def __post_init__(self) -> None:
        check_window(self.g_insulating, self.g_metallic)
        require_positive(self, "g_insulating", "transition_width_k", "thermal_resistance", "thermal_capacitance",
                         "ambient_k", "read_v")
        require(self.transition_k > self.ambient_k,
                f"transition_k={self.transition_k} K must exceed ambient_k={self.ambient_k} K")
        require(self.read_v < self.hold_v, f"read_v={self.read_v} V must lie below the hold voltage "
                                            f"{self.hold_v:.3g} V, or a read would switch the device")

    @property
    def g_min(self) -> float:
        """The insulating conductance, S."""
        return self.g_insulating

    @property
    def g_max(self) -> float:
        """The metallic conductance, S."""
        return self.g_metallic

    @property
    def tau_thermal_s(self) -> float:
        """Thermal time constant ``R_th C_th``, s."""
        return self.thermal_resistance * self.thermal_capacitance

    def turning_points(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The quasi-static I-V's two turning points, ``((V_th, I_th), (V_hold, I_hold))`` in V and A.

        At steady state ``T - T_amb = R_th G(T) V^2``, so each temperature has one voltage
        ``V(T) = sqrt((T - T_amb) / (R_th G(T)))``; ``V(T)`` rises, falls through the negative-resistance
        branch and rises again. Its local maximum is the threshold (an insulating device's fixed point
        vanishes there and it runs away), its following minimum the hold voltage. Found on a 0.01 w grid.
        """
        w = self.transition_width_k
        temperature = np.arange(self.ambient_k + w / 100, self.transition_k + 200 * w, w / 100)
        g = self.conductance_at(temperature)
        v = np.sqrt((temperature - self.ambient_k) / (self.thermal_resistance * g))
        falling = np.flatnonzero(np.diff(v) < 0)
        require(falling.size > 0, f"{self.name}: no negative differential resistance (g_metallic / g_insulating = "
                                  f"{self.g_metallic / self.g_insulating:.3g} too small for a transition "
                                  f"{w} K wide): the device cannot switch")
        top = falling[0]
        bottom = top + int(np.argmin(v[top:]))
        return (float(v[top]), float(v[top] * g[top])), (float(v[bottom]), float(v[bottom] * g[bottom]))

    @property
    def threshold_v(self) -> float:
        """Voltage above which an insulating device runs away to the metallic state, V (:meth:`turning_points`)."""
        return self.turning_points()[0][0]

    @property
    def hold_v(self) -> float:
        """Voltage below which a metallic device relaxes to the insulating state, V (:meth:`turning_points`)."""
        return self.turning_points()[1][0]

    def conductance_at(self, temperature: torch.Tensor | np.ndarray) -> torch.Tensor | np.ndarray:
        """``G(T)``, S (of a tensor, or of a numpy array for circuit solvers)."""
        x = (temperature - self.transition_k) / self.transition_width_k
        metallic = torch.sigmoid(x) if isinstance(x, torch.Tensor) else expit(x)
        return self.g_insulating + (self.g_metallic - self.g_insulating) * metallic

    def current_and_heating(self, temperature: torch.Tensor | np.ndarray, v: torch.Tensor | np.ndarray | float
                            ) -> tuple[torch.Tensor | np.ndarray, torch.Tensor | np.ndarray]:
        """The current ``I = G(T) V`` (A) and ``dT/dt = (I V - (T - T_amb) / R_th) / C_th`` (K/s), from one ``G(T)``."""
        current = self.conductance_at(temperature) * v
        heating = (current * v - (temperature - self.ambient_k) / self.thermal_resistance) / self.thermal_capacitance
        return current, heating

    def sample(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
               dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> MottState:
        """Devices of ``shape`` at the ambient temperature (insulating)."""
        return MottState(torch.full(shape, self.ambient_k, **factory(generator, dtype, device)))

    def program(self, state: MottState, target_g: torch.Tensor, *,
                generator: torch.Generator | None = None) -> MottState:
        """Heat each device to the temperature where ``G(T) = target_g`` (clipped inside the window). The device
        is volatile: the state relaxes with :meth:`advance`."""
        g = torch.as_tensor(target_g, dtype=state.temperature.dtype, device=state.temperature.device)
        span = self.g_metallic - self.g_insulating
        share = ((g - self.g_insulating) / span).clamp(1e-9, 1 - 1e-9)
        temperature = self.transition_k + self.transition_width_k * torch.logit(share)
        return MottState(temperature.clamp_min(self.ambient_k).expand(state.shape).clone())

    def apply_voltage(self, state: MottState, v: torch.Tensor | float, width: float, *,
                      generator: torch.Generator | None = None) -> MottState:
        """``width`` seconds at ``v`` volts per device: exponential-Euler steps of the heat balance (``T`` relaxes
        towards ``T_amb + R_th G(T) V^2`` within each step). After :data:`SETTLED_TAUS` thermal times a device
        has reached its fixed point, so longer pulses integrate only that long."""
        require(width >= 0, f"width={width} s must be >= 0")
        v = torch.as_tensor(v, dtype=state.temperature.dtype, device=state.temperature.device)
        span = min(width, SETTLED_TAUS * self.tau_thermal_s)
        steps = max(1, math.ceil(span / self.tau_thermal_s * SUBSTEPS_PER_TAU))
        kept = math.exp(-span / steps / self.tau_thermal_s)
        temperature = state.temperature
        for _ in range(steps):
            target = self.ambient_k + self.thermal_resistance * self.conductance_at(temperature) * v * v
            temperature = target + (temperature - target) * kept
        return MottState(temperature.expand(state.shape).clone())

    def advance(self, state: MottState, dt: float) -> MottState:
        """``dt`` seconds undriven: ``T - T_amb`` decays with ``tau_th``."""
        kept = math.exp(-dt / self.tau_thermal_s)
        return MottState(self.ambient_k + (state.temperature - self.ambient_k) * kept)

    def conductance(self, state: MottState) -> torch.Tensor:
        """``G(T)`` of each device, S."""
        return self.conductance_at(state.temperature)

    def summary(self) -> dict[str, float | int]:
        """Key figures: the window, threshold and hold voltages, thermal time."""
        return {**super().summary(), "threshold_v": self.threshold_v, "hold_v": self.hold_v,
                "tau_thermal_ns": self.tau_thermal_s * 1e9}
