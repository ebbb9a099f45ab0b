"""Leaky integrate-and-fire neuron built from a volatile threshold switch in parallel with a capacitor.

The review (seed 002) describes this neuron: input current charges the membrane capacitor
``C`` through a leak ``R_off`` (the switch's OFF resistance); when the membrane voltage
reaches the switch's threshold ``V_th`` the switch turns ON (``R_on``), the capacitor
discharges through it (the output spike) until the voltage falls to the hold voltage
``V_hold``, and the volatile switch turns itself OFF again: no reset circuit is needed.

Between switching events the membrane obeys ``C dV/dt = I - V / R`` (``R`` the switch's
present resistance), solved exactly per step for a constant input current:
``V(t + dt) = I R + (V - I R) exp(-dt / (R C))``.

``adapt_v`` / ``adapt_tau_s`` add homeostasis (Diehl & Cook, Front. Comput. Neurosci. 9, 99
(2015)): each spike raises that neuron's threshold by ``adapt_v``, which decays with
``adapt_tau_s``; it stops one neuron from winning every pattern in a competitive network.

Driven by a :class:`~memristive.spiking.simulator.SpikingNetwork`, an input spike holds its row at
``input_v`` for one step, so the neuron receives ``I = input_v * sum(g)`` over the synapses that spiked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from memristive.errors import require, require_non_negative, require_positive


@dataclass
class NeuronState:
    """Membrane voltage (V), switch state (True = ON), threshold increase (V) of each neuron.

    Examples:
        >>> state = VolatileSwitchNeuron().rest(2)
        >>> state.v.tolist(), state.on.tolist()  # discharged, switch OFF
        ([0.0, 0.0], [False, False])
    """

    v: torch.Tensor
    on: torch.Tensor
    adapt: torch.Tensor


@dataclass(frozen=True)
class VolatileSwitchNeuron:
    """Parameters (SI units) of the switch-and-capacitor LIF neuron.

    Examples:
        >>> import torch
        >>> neuron = VolatileSwitchNeuron(capacitance_f=1e-12, r_off_ohm=1e6, v_threshold=0.5)
        >>> state, spikes = neuron.rest(1), 0
        >>> for _ in range(2000):  # 2 us of a 2 uA input current
        ...     state, fired = neuron.step(state, torch.tensor([2e-6], dtype=torch.float64), 1e-9)
        ...     spikes += int(fired.sum())
        >>> spikes > 0
        True
    """

    capacitance_f: float = 1e-12
    r_off_ohm: float = 1e6
    r_on_ohm: float = 1e3
    v_threshold: float = 0.5
    v_hold: float = 0.05
    adapt_v: float = 0.0
    adapt_tau_s: float = 1e-3
    input_v: float = 0.2

    def __post_init__(self) -> None:
        require_positive(self, "capacitance_f", "r_off_ohm", "r_on_ohm", "v_threshold", "adapt_tau_s", "input_v")
        require(self.r_on_ohm < self.r_off_ohm, f"r_on_ohm={self.r_on_ohm} must be below r_off_ohm={self.r_off_ohm}")
        require(0 <= self.v_hold < self.v_threshold, f"v_hold={self.v_hold} must be in [0, v_threshold)")
        require_non_negative(self, "adapt_v")

    def rest(self, n: int, dtype: torch.dtype = torch.float64, device: torch.device | str | None = None) -> NeuronState:
        """``n`` neurons at rest."""
        zeros = torch.zeros(n, dtype=dtype, device=device)
        return NeuronState(zeros, torch.zeros(n, dtype=torch.bool, device=device), zeros.clone())

    def integrate(self, state: NeuronState, g_in_s: torch.Tensor, dt_s: float) -> tuple[NeuronState, torch.Tensor]:
        """One step driven by the synapses of this step's input spikes (``g_in_s``, S, per neuron): the current
        ``input_v * g_in_s`` (the network interface of :class:`~memristive.spiking.lif.LIFNeuron`)."""
        return self.step(state, g_in_s * self.input_v, dt_s)

    def step(self, state: NeuronState, current_a: torch.Tensor, dt_s: float,
             exclusive: bool = False) -> tuple[NeuronState, torch.Tensor]:
        """Integrate ``current_a`` (A, per neuron) over ``dt_s``; returns the new state and who spiked
        (switched ON) in this step.

        ``exclusive``: lateral inhibition (winner-take-all): of the neurons reaching threshold
        together only the one furthest above it fires, and a spike discharges every other membrane.
        """
        r = torch.where(state.on, self.r_on_ohm, self.r_off_ohm)
        target = current_a * r
        v = target + (state.v - target) * torch.exp(-dt_s / (r * self.capacitance_f))
        margin = v - (self.v_threshold + state.adapt)
        fired = ~state.on & (margin >= 0)
        if exclusive and fired.any():
            winner = torch.where(fired, margin, -torch.inf).argmax()
            fired = torch.zeros_like(fired).index_fill_(0, winner.reshape(1), True)
            v = torch.where(fired, v, torch.zeros_like(v))
        on = (state.on & (v > self.v_hold)) | fired
        adapt = state.adapt * math.exp(-dt_s / self.adapt_tau_s) + self.adapt_v * fired.to(state.adapt.dtype)
        return NeuronState(v, on, adapt), fired
