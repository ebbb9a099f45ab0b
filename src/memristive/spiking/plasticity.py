"""Spike-timing-dependent plasticity: the pair rule with all-to-all traces, and simplified binary STDP.

Each input ``i`` keeps a trace ``x_i`` that jumps by ``a_plus`` at its spikes and decays with
``tau_plus_s``; each neuron ``j`` a trace ``y_j`` that jumps by ``a_minus`` (< 0) at its spikes and
decays with ``tau_minus_s``. An input spike changes its synapses by ``y_j``, a neuron's spike
changes its synapses by ``x_i``, so a pair at ``dt = t_post - t_pre`` contributes

    dw = a_plus exp(-dt / tau_plus)  (dt >= 0),     dw = a_minus exp(dt / tau_minus)  (dt < 0),

summed over all pairs (additive STDP: Song, Miller & Abbott, Nat. Neurosci. 3, 919 (2000), whose
``a_minus = -1.05 a_plus`` slightly favours depression). Changes are shares of a synapse's range:
of ``w_max`` for plain weights, of the conductance window for a device (turned into pulses).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from memristive.errors import require, require_positive


@dataclass(frozen=True)
class PairSTDP:
    """Parameters of the pair rule (changes as shares of the synapse's range; times in s).

    Examples:
        >>> rule = PairSTDP(a_plus=0.01, a_minus=-0.0105, tau_plus_s=0.02, tau_minus_s=0.02)
        >>> [round(rule.window(dt), 5) for dt in (0.01, -0.01)]  # post 10 ms after pre: potentiate; before: depress
        [0.00607, -0.00637]
    """

    a_plus: float = 0.01
    a_minus: float = -0.0105
    tau_plus_s: float = 20e-3
    tau_minus_s: float = 20e-3

    def __post_init__(self) -> None:
        require_positive(self, "tau_plus_s", "tau_minus_s")
        require(self.a_plus >= 0 >= self.a_minus, f"need a_plus >= 0 >= a_minus, got {self.a_plus}, {self.a_minus}")

    def decays(self, dt_s: float) -> tuple[float, float]:
        """Factors by which the input and the neuron traces decay in ``dt_s``."""
        return math.exp(-dt_s / self.tau_plus_s), math.exp(-dt_s / self.tau_minus_s)

    def window(self, dt_s: float) -> float:
        """Change of one isolated pair at ``dt_s = t_post - t_pre``, share of the range."""
        if dt_s >= 0:
            return self.a_plus * math.exp(-dt_s / self.tau_plus_s)
        return self.a_minus * math.exp(dt_s / self.tau_minus_s)


@dataclass(frozen=True)
class SimplifiedBinarySTDP:
    """The simplified STDP rule of binary stochastic synapses (Suri et al. 2013; seed 002 Fig. 6f).

    At each post-synaptic spike, every synapse whose input spiked within ``ltp_window_s`` before it is
    potentiated (one set pulse) and every other synapse of that neuron is depressed (one reset pulse),
    whether or not its input spiked earlier; there is no depression window. With a stochastic binary
    device each pulse switches only with its probability, so the rule acts on the devices' statistics.

    Examples:
        >>> import torch
        >>> rule = SimplifiedBinarySTDP(ltp_window_s=0.02)
        >>> rule.pulses(torch.tensor([0.095, 0.05, -1.0]), 0.1).tolist()  # inputs that fired 5 ms, 50 ms, never before
        [1.0, -1.0, -1.0]
    """

    ltp_window_s: float = 20e-3

    def __post_init__(self) -> None:
        require_positive(self, "ltp_window_s")

    def pulses(self, last_pre_s: torch.Tensor, t_post_s: float) -> torch.Tensor:
        """Signed pulses (+1 set, -1 reset) for synapses whose inputs last spiked at ``last_pre_s`` (s; -inf or
        NaN: never), at a post spike at ``t_post_s``."""
        since = t_post_s - last_pre_s
        inside = (since >= 0) & (since <= self.ltp_window_s)
        return torch.where(inside, 1.0, -1.0).to(last_pre_s.dtype)
