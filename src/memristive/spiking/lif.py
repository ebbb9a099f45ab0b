"""Leaky integrate-and-fire neuron with a conductance-based, exponentially decaying synapse.

The membrane of capacitance ``C = tau_m g_L`` obeys

    C dv/dt = g_L (E_L - v) + g_syn (E_syn - v),        dg_syn/dt = -g_syn / tau_syn,

and an input spike adds its synapse's conductance (S) to ``g_syn``: the model of Song, Miller &
Abbott, Nat. Neurosci. 3, 919 (2000), with ``ge = g_syn / g_L`` in their units. Within a step
``g_syn`` is held, so ``v`` is integrated exactly as a linear ODE (exponential Euler):

    v(t + dt) = v_inf + (v - v_inf) exp(-dt (g_L + g_syn) / C),   v_inf = (g_L E_L + g_syn E_syn) / (g_L + g_syn).

``v > v_threshold`` fires; the neuron is reset to ``v_reset`` and held there for ``refractory_s``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from memristive.errors import require, require_non_negative, require_positive


@dataclass
class LIFState:
    """Membrane voltage (V), synaptic conductance (S) and refractory time left (s) of each neuron.

    Examples:
        >>> state = LIFNeuron().rest(3)
        >>> [round(v, 3) for v in state.v.tolist()], state.g_syn.tolist()  # at the leak potential, no input
        ([-0.06, -0.06, -0.06], [0.0, 0.0, 0.0])
    """

    v: torch.Tensor
    g_syn: torch.Tensor
    refractory_s: torch.Tensor


@dataclass(frozen=True)
class LIFNeuron:
    """Parameters (SI units) of the conductance-based LIF neuron; defaults are Song et al. (2000)'s.

    Attributes:
        tau_m_s: membrane time constant ``C / g_L``, s.
        g_leak_s: leak conductance ``g_L``, S (sets the scale of synaptic conductances).
        e_leak_v: leak reversal potential, V.
        e_syn_v: synaptic reversal potential, V.
        tau_syn_s: decay time of the synaptic conductance, s.
        v_threshold_v: firing threshold, V.
        v_reset_v: reset potential, V.
        refractory_s: time a neuron is held at ``v_reset`` after a spike, s.

    Examples:
        >>> import torch
        >>> neuron = LIFNeuron(g_leak_s=1e-8)
        >>> state = neuron.rest(2)
        >>> fired = []
        >>> for _ in range(200):  # 20 ms of a steady synaptic drive on neuron 1 only
        ...     state, spikes = neuron.integrate(state, torch.tensor([0.0, 2e-8], dtype=torch.float64), 1e-4)
        ...     fired.append(spikes)
        >>> torch.stack(fired).sum(0).tolist()  # spikes per neuron
        [0, 196]
    """

    tau_m_s: float = 10e-3
    g_leak_s: float = 10e-9
    e_leak_v: float = -74e-3
    e_syn_v: float = 0.0
    tau_syn_s: float = 5e-3
    v_threshold_v: float = -54e-3
    v_reset_v: float = -60e-3
    refractory_s: float = 0.0

    def __post_init__(self) -> None:
        require_positive(self, "tau_m_s", "g_leak_s", "tau_syn_s")
        require_non_negative(self, "refractory_s")
        require(self.v_reset_v < self.v_threshold_v,
                f"v_reset_v={self.v_reset_v} must be below v_threshold_v={self.v_threshold_v}")

    def rest(self, n: int, *, dtype: torch.dtype = torch.float64, device: torch.device | str | None = None) -> LIFState:
        """``n`` neurons at ``v_reset`` with closed synapses."""
        zeros = torch.zeros(n, dtype=dtype, device=device)
        return LIFState(torch.full_like(zeros, self.v_reset_v), zeros.clone(), zeros.clone())

    def integrate(self, state: LIFState, g_in_s: torch.Tensor, dt_s: float) -> tuple[LIFState, torch.Tensor]:
        """One step of ``dt_s``; ``g_in_s`` (S, per neuron) is the conductance this step's input spikes add to
        the synapse (it acts from the next step). Returns the new state and who fired."""
        g_total = state.g_syn + self.g_leak_s
        v_inf = (state.g_syn * self.e_syn_v + self.g_leak_s * self.e_leak_v) / g_total
        v = v_inf + (state.v - v_inf) * torch.exp(g_total * (-dt_s / (self.tau_m_s * self.g_leak_s)))
        refractory = state.refractory_s
        if self.refractory_s:
            refractory = (refractory - dt_s).clamp_min(0.0)
            v = torch.where(refractory > 0, self.v_reset_v, v)
        fired = v > self.v_threshold_v
        v = v.masked_fill(fired, self.v_reset_v)
        if self.refractory_s:
            refractory = refractory.masked_fill(fired, self.refractory_s)
        g_syn = state.g_syn * math.exp(-dt_s / self.tau_syn_s) + g_in_s
        return LIFState(v, g_syn, refractory), fired
