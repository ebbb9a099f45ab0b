"""Quantized-conductance (QC) synapse: a single filament stepping through G0 half-multiples.

Seed 004 (Pt/HfOx/Pt, SPM-engineered single filament) shows 32 states from 16 G0 down
to 0.5 G0 in steps of 0.5 G0, ``G0 = 2e^2/h = 77.5 uS``, one state per reset pulse.
The paper models the conductance read at a state as its Eq. (1)::

    G = (1 - k n) * N(mu, sigma^2),   mu = 16.5 - 0.5 m (G0),   k = 0.03,
    sigma = 1 (sample A, engineered) or 4 (sample B, flat interface)

Reading used here (the literal one, with ``n`` the state index ``m``, cannot be what the
paper simulated: it would put the 29th state at 0.26 G0 instead of the 2 G0 the paper
reports there). The equation reproduces "12 continuous pulse modulation cycles", so

* ``n`` is the **cycle** index ``c = 0..11``: each sweep reads a bit lower than the one
  before, ``k`` sets the variation range (``1 - 11 k = 0.67``: the 33 % spread of
  sample A at 16 G0);
* ``sigma`` is in units of the **state step, 0.5 G0**, so sample A scatters by
  ``sigma_g0 = 0.5 G0`` and sample B by ``2 G0`` around each state.

With these, the simulated FWHMs at the 5th state are 4.4 / 5.4 G0 (paper 4.4 / 5.5), at
the 29th 1.1 / 3.9 (paper 1.2 / 2.3), and the 12-cycle spreads at 16 G0 34 % / 48 %
(paper 33.26 % / 55.95 %); see the ``qc-state-distribution`` experiment. In a network a
write does not know its sweep, so :meth:`draw` takes the cycle factor uniformly from
the ``cycles`` measured sweeps unless a cycle is given. The normal is truncated at
G = 0 (a conductance cannot be negative).

States: ``states`` levels spread evenly from ``g_top_g0`` down to ``g_bottom_g0``
(32 gives the paper's half-integer ladder; 4, 16 and 64 keep the same range). Each
pulse moves one state (``n > 0`` up, ``n < 0`` down) and re-draws the conductance.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.devices.analog import PulseModel
from memristive.devices.base import factory
from memristive.devices.state import TensorState
from memristive.errors import require

G0_S = 7.748091729e-5
"""Conductance quantum 2 e^2 / h, S."""



def truncated_normal(lower: torch.Tensor, uniform: torch.Tensor) -> torch.Tensor:
    """Standard normal draws truncated below at ``lower``, by inverse CDF of ``uniform`` in [0, 1).

    ``u = Phi(lower) + (1 - Phi(lower)) uniform`` is kept inside (eps, 1 - eps) of its own
    dtype: in float32 it can round to exactly 1, where the inverse CDF is infinite.
    """
    floor = torch.special.ndtr(lower)
    eps = torch.finfo(uniform.dtype).eps
    return torch.special.ndtri((floor + (1 - floor) * uniform).clamp(eps, 1 - eps))


@dataclass(frozen=True)
class QuantizedState(TensorState):
    """State index (integral values, stored in ``g``'s dtype) and read conductance of each device.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> qc = get_preset("hfox-qc-ideal")
        >>> state = qc.pulse(qc.sample((1,), dtype=torch.float64), torch.ones(1))
        >>> state.index.tolist(), round(state.g.item() / qc.g0_s, 2)  # one state up from the bottom, in G0
        ([1.0], 1.0)
    """

    index: torch.Tensor
    g: torch.Tensor


@dataclass(frozen=True)
class QuantizedConductanceDevice(PulseModel):
    """Parameters of a quantized-conductance synapse (conductances in units of G0).

    Attributes:
        states: number of conductance states (>= 2).
        g_top_g0: nominal conductance of the highest state, G0.
        g_bottom_g0: nominal conductance of the lowest state, G0.
        sigma_g0: standard deviation of a state's conductance around nominal, G0
            (the paper's sigma times its 0.5 G0 state step).
        cycle_k: the paper's k: sweep ``c`` reads ``(1 - k c)`` times the nominal value.
        cycles: number of sweeps the ``(1 - k c)`` factor spans (12 measured).
        g0_s: conductance quantum, S.
        pulse_v: reset pulse amplitude, V (magnitude).
        pulse_width_s: pulse width, s.
        read_v: read voltage, V.
        name: preset name.
        source: where the numbers come from.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> qc = get_preset("hfox-qc-a")
        >>> qc.states, round(qc.g_max / qc.g0_s, 2), round(qc.g_min / qc.g0_s, 2)  # states, top and bottom in G0
        (32, 16.0, 0.5)
    """

    states: int = 32
    g_top_g0: float = 16.0
    g_bottom_g0: float = 0.5
    sigma_g0: float = 0.5
    cycle_k: float = 0.03
    cycles: int = 12
    g0_s: float = G0_S
    pulse_v: float = 1.0
    pulse_width_s: float = 10e-3
    read_v: float = 0.1
    name: str = "custom-qc"
    source: str = ""

    def __post_init__(self) -> None:
        require(isinstance(self.states, int) and self.states >= 2, f"states={self.states} must be an integer >= 2")
        require(0 <= self.g_bottom_g0 < self.g_top_g0,
                 f"need 0 <= g_bottom_g0 < g_top_g0, got {self.g_bottom_g0} and {self.g_top_g0}")
        require(self.sigma_g0 >= 0, f"sigma_g0={self.sigma_g0} must be >= 0")
        require(isinstance(self.cycles, int) and self.cycles >= 1, f"cycles={self.cycles} must be an integer >= 1")
        require(0 <= self.cycle_k * (self.cycles - 1) < 1,
                 f"cycle_k={self.cycle_k} must be >= 0 and leave 1 - k (cycles - 1) > 0")
        for positive in ("g0_s", "pulse_v", "pulse_width_s", "read_v"):
            require(getattr(self, positive) > 0, f"{positive}={getattr(self, positive)} must be > 0")

    @property
    def g_min(self) -> float:
        """Nominal conductance of the lowest state, S."""
        return self.g_bottom_g0 * self.g0_s

    @property
    def g_max(self) -> float:
        """Nominal conductance of the highest state, S."""
        return self.g_top_g0 * self.g0_s

    @property
    def levels(self) -> int:
        """Pulses from the lowest to the highest state."""
        return self.states - 1

    @property
    def step_g0(self) -> float:
        """Nominal conductance between neighbouring states, G0."""
        return (self.g_top_g0 - self.g_bottom_g0) / self.levels

    def nominal_s(self, index: torch.Tensor) -> torch.Tensor:
        """Nominal conductance of state ``index`` (0 = lowest), S."""
        return (self.g_bottom_g0 + self.step_g0 * index) * self.g0_s

    def ideal(self) -> QuantizedConductanceDevice:
        """The same ladder with every read at its nominal value."""
        return self.replace(sigma_g0=0.0, cycle_k=0.0)

    def draw(self, index: torch.Tensor, generator: torch.Generator | None = None,
             cycle: torch.Tensor | None = None) -> torch.Tensor:
        """Conductance read at state ``index``: ``(1 - k c) (mu + sigma_g0 z) G0``, S.

        ``z`` is a standard normal truncated to keep the conductance >= 0 (drawn by
        inverse CDF, so no pile-up at 0). ``cycle`` (broadcastable) fixes the sweep;
        by default each read's sweep is drawn uniformly from ``0 .. cycles - 1``.
        """
        kw = {"dtype": index.dtype, "device": index.device}
        mu_g0 = self.g_bottom_g0 + self.step_g0 * index
        g_g0 = mu_g0
        if self.sigma_g0:
            uniform = torch.rand(index.shape, generator=generator, **kw)
            g_g0 = mu_g0 + self.sigma_g0 * truncated_normal(-mu_g0 / self.sigma_g0, uniform)
        if self.cycle_k:
            if cycle is None:
                cycle = torch.randint(0, self.cycles, index.shape, generator=generator, **kw)
            g_g0 = g_g0 * (1 - self.cycle_k * cycle)
        return (g_g0 * self.g0_s).clamp_min(0.0)

    def sample(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
               dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> QuantizedState:
        """An array of devices of ``shape`` in their lowest state."""
        index = torch.zeros(shape, **factory(generator, dtype, device))
        return QuantizedState(index=index, g=self.draw(index, generator))

    def program(self, state: QuantizedState, target_g: torch.Tensor, *,
                generator: torch.Generator | None = None) -> QuantizedState:
        """Move every device to the state nearest ``target_g`` (S) and read it."""
        index = ((target_g / self.g0_s - self.g_bottom_g0) / self.step_g0).round().clamp(0, self.levels)
        index = index.to(state.index.dtype)
        return QuantizedState(index=index, g=self.draw(index, generator))

    def pulse(self, state: QuantizedState, n: torch.Tensor, *,
              generator: torch.Generator | None = None) -> QuantizedState:
        """Apply ``n`` pulses (signed, per device); pulsed devices re-draw their conductance."""
        n = torch.as_tensor(n, dtype=state.index.dtype, device=state.index.device).expand(state.shape)
        index = (state.index + n).round().clamp(0, self.levels)
        pulsed = n != 0
        g = state.g.clone()
        g[pulsed] = self.draw(index[pulsed], generator)
        return QuantizedState(index=index, g=g)

    def sweeps(self, devices: int, cycles: int, generator: torch.Generator | None = None,
               dtype: torch.dtype = torch.float64) -> dict[str, torch.Tensor]:
        """Seed 004's protocol: per cycle, reset pulses from the top state to the bottom.

        Returns ``{"ltd": G}`` with ``G[device, cycle, pulse]`` in S (pulse 0 = top state);
        cycle ``c`` reads with the factor ``1 - k (c mod cycles)``.
        """
        index = torch.arange(self.levels, -1, -1, dtype=dtype).expand(devices, cycles, self.states)
        cycle = (torch.arange(cycles, dtype=dtype) % self.cycles).view(1, cycles, 1)
        return {"ltd": self.draw(index.contiguous(), generator, cycle=cycle)}

    def summary(self) -> dict[str, float | int]:
        """Key figures for listings (the same keys as the other device models where they apply)."""
        return {
            **super().summary(),
            "on_off": self.g_max / self.g_min if self.g_min else float("inf"),
            "levels": self.levels,
            "sigma_g0": self.sigma_g0,
            "cycle_k": self.cycle_k,
        }
