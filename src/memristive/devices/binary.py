"""Binary stochastic synapse: two conductance states, each pulse switches with a voltage-dependent probability.

Suri et al. (IEDM 2011; IEEE Trans. Electron Devices 60, 2402, 2013; seed 002 Fig. 6f) use
filamentary (CBRAM) or phase-change cells as binary synapses programmed with weak pulses, so that
one pulse switches a cell only with probability ``p``: the network learns by the statistics of many
binary devices. A pulse of ``V`` volts switches an OFF device ON (``V > 0``) or an ON device OFF
(``V < 0``) with the logistic probability

    p(V) = 1 / (1 + exp(-(|V| - V_half) / V_slope)),

``V_half`` and ``V_slope`` per direction; a pulse of width ``w`` counts as ``w / pulse_width_s``
independent attempts, ``P = 1 - (1 - p)^(w / pulse_width_s)``, and ``n`` identical pulses at the
model's ``pulse_v`` as ``n`` attempts. ``program`` writes ``target`` as the probability of the ON
state, ``(target - g_off) / (g_on - g_off)`` (a binary device holds an analog target only on average).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from memristive.devices.analog import PulseModel
from memristive.devices.base import check_window, factory
from memristive.devices.state import TensorState, sample_bounds
from memristive.errors import require


@dataclass(frozen=True)
class BinaryState(TensorState):
    """Which devices are ON (``on``, bool) and each device's two conductances, S.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> state = get_preset("cbram-binary").sample((4,), generator=torch.Generator().manual_seed(0))
        >>> state.on.tolist(), round(1e6 * state.g_on[0].item())  # all OFF; the ON conductance in uS
        ([False, False, False, False], 100)
    """

    on: torch.Tensor
    g_off: torch.Tensor
    g_on: torch.Tensor


@dataclass(frozen=True)
class BinaryStochasticDevice(PulseModel):
    """Parameters of a binary synapse switching stochastically (SI units; module docstring).

    Attributes:
        g_min: the OFF conductance, S.
        g_max: the ON conductance, S.
        v_half_set: set pulse amplitude that switches with probability 1/2, V.
        v_half_reset: reset pulse amplitude (magnitude) that switches with probability 1/2, V.
        v_slope: width of the logistic switching curve, V.
        d2d_g_sigma: device-to-device relative sigma of both conductances.
        pulse_v: amplitude (magnitude) of the identical pulse of :meth:`pulse`, V.
        pulse_width_s: its width, s.
        read_v: read voltage, V.
        name: preset name.
        source: where the numbers come from.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> device, gen = get_preset("cbram-binary"), torch.Generator().manual_seed(0)
        >>> state = device.pulse(device.sample((10_000,), generator=gen), torch.ones(10_000), generator=gen)
        >>> round(state.on.float().mean().item(), 2)  # one weak set pulse switches about p_set = 0.21 of them
        0.21
    """

    g_min: float
    g_max: float
    v_half_set: float
    v_half_reset: float
    v_slope: float = 0.1
    d2d_g_sigma: float = 0.0
    pulse_v: float = 1.0
    pulse_width_s: float = 1e-6
    read_v: float = 0.1
    name: str = "custom"
    source: str = ""

    levels = 1
    drives = ("pulse", "voltage")

    def __post_init__(self) -> None:
        check_window(self.g_min, self.g_max)
        for positive in ("v_half_set", "v_half_reset", "v_slope", "pulse_v", "pulse_width_s", "read_v"):
            require(getattr(self, positive) > 0, f"{positive}={getattr(self, positive)} must be > 0")
        require(0 <= self.d2d_g_sigma < 1, f"d2d_g_sigma={self.d2d_g_sigma} must be a share in [0, 1)")

    def switching_probability(self, v: torch.Tensor | float) -> torch.Tensor:
        """``p(V)`` of one attempt: toward ON for ``V > 0``, toward OFF for ``V < 0``, 0 at 0 V."""
        v = torch.as_tensor(v)
        half = torch.where(v > 0, self.v_half_set, self.v_half_reset).to(v.dtype if v.is_floating_point() else None)
        p = torch.sigmoid((v.abs() - half) / self.v_slope)
        return torch.where(v == 0, torch.zeros_like(p), p)

    def sample(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
               dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> BinaryState:
        """Fresh devices of ``shape``, all OFF, their two conductances drawn once (d2d)."""
        kw = factory(generator, dtype, device)
        bounds = sample_bounds(self.g_min, self.g_max, self.d2d_g_sigma, shape, generator, **kw)
        g_off, g_on = bounds.g_min, bounds.g_max
        return BinaryState(on=torch.zeros(shape, dtype=torch.bool, device=g_off.device), g_off=g_off, g_on=g_on)

    def program(self, state: BinaryState, target_g: torch.Tensor, *,
                generator: torch.Generator | None = None) -> BinaryState:
        """Each device ON with probability ``(target - g_off) / (g_on - g_off)`` (clipped to [0, 1])."""
        target = torch.as_tensor(target_g, dtype=state.g_on.dtype, device=state.g_on.device).expand(state.shape)
        share = ((target - state.g_off) / (state.g_on - state.g_off)).clamp(0.0, 1.0)
        u = torch.rand(state.shape, generator=generator, dtype=share.dtype, device=share.device)
        return BinaryState(on=u < share, g_off=state.g_off, g_on=state.g_on)

    def _attempts(self, state: BinaryState, p: torch.Tensor, attempts: torch.Tensor, up: torch.Tensor,
                  generator: torch.Generator | None) -> BinaryState:
        """Switch with ``1 - (1 - p)^attempts``: OFF -> ON where ``up``, ON -> OFF elsewhere (``attempts > 0``)."""
        chance = 1 - (1 - p).pow(attempts)
        u = torch.rand(state.shape, generator=generator, dtype=state.g_on.dtype, device=state.g_on.device)
        switch = (u < chance) & (attempts > 0)
        return BinaryState(on=torch.where(switch, up, state.on), g_off=state.g_off, g_on=state.g_on)

    def pulse(self, state: BinaryState, n: torch.Tensor, *, generator: torch.Generator | None = None) -> BinaryState:
        """``|n|`` pulses at ``+-pulse_v`` per device (``n > 0`` toward ON)."""
        n = torch.as_tensor(n, dtype=state.g_on.dtype, device=state.g_on.device).expand(state.shape)
        p = self.switching_probability(torch.sign(n) * self.pulse_v).to(n.dtype)
        return self._attempts(state, p, n.abs(), n > 0, generator)

    def apply_voltage(self, state: BinaryState, v: torch.Tensor | float, width: float, *,
                      generator: torch.Generator | None = None) -> BinaryState:
        """One pulse of ``v`` volts (per device) lasting ``width`` s: ``width / pulse_width_s`` attempts."""
        v = torch.as_tensor(v, dtype=state.g_on.dtype, device=state.g_on.device).expand(state.shape)
        attempts = torch.where(v != 0, width / self.pulse_width_s, 0.0).to(v.dtype)
        return self._attempts(state, self.switching_probability(v).to(v.dtype), attempts, v > 0, generator)

    def conductance(self, state: BinaryState) -> torch.Tensor:
        """``g_on`` where ON, ``g_off`` elsewhere, S."""
        return torch.where(state.on, state.g_on, state.g_off)

    def summary(self) -> dict[str, float | int]:
        """Key figures: the two conductances and the switching probability of one pulse each way."""
        p_set = float(self.switching_probability(torch.tensor(self.pulse_v, dtype=torch.float64)))
        p_reset = float(self.switching_probability(torch.tensor(-self.pulse_v, dtype=torch.float64)))
        return {**super().summary(), "p_set": p_set, "p_reset": p_reset, "on_off": self.g_max / self.g_min
                if self.g_min > 0 else math.inf}
