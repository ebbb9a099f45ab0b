"""Integrate-and-fire neuron whose membrane is the crystalline share of a phase-change cell.

Tuma et al. (Nat. Nanotechnol. 11, 693, 2016; seed 002 Fig. 8a): every input spike applies one
partial-set pulse to a PCM cell, so crystallisation integrates the input; when the cell's
conductance reaches a threshold the neuron fires and a reset pulse melts and quenches it back to
the amorphous state. The reset and every set step are stochastic (the cell's ``reset_sigma``
and ``c2c_sigma``), so the pulses needed to reach threshold vary from spike to spike: the neuron
fires stochastically, and its rate grows with the input rate (one output spike per ~``k`` input
spikes, ``k`` the mean pulses to threshold).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.devices.pcm import PCMDevice, PCMState
from memristive.errors import require


@dataclass(frozen=True)
class PCMNeuron:
    """A PCM cell per neuron, firing when its conductance reaches ``threshold_share`` of the window.

    Attributes:
        model: the phase-change cell (e.g. the ``pcm-gst`` preset).
        threshold_share: the firing threshold, a share of ``g_min .. g_max`` in (0, 1).

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> neuron, gen = PCMNeuron(get_preset("pcm-gst")), torch.Generator().manual_seed(0)
        >>> state, fired_at = neuron.rest((1,), generator=gen, dtype=torch.float64), []
        >>> for step in range(30):  # one input spike per step: a partial-set pulse each
        ...     state, fired = neuron.step(state, torch.ones(1), generator=gen)
        ...     if fired.item():
        ...         fired_at.append(step)
        >>> fired_at  # it integrates, fires at threshold and resets (melt-quench)
        [3, 8, 13, 16, 20, 24, 29]
    """

    model: PCMDevice
    threshold_share: float = 0.5

    def __post_init__(self) -> None:
        require(isinstance(self.model, PCMDevice), f"a PCM neuron needs a PCMDevice, got {type(self.model).__name__}")
        require(0 < self.threshold_share < 1, f"threshold_share={self.threshold_share} must lie in (0, 1)")

    @property
    def threshold_g(self) -> float:
        """The firing threshold, S."""
        return self.model.g_min + self.threshold_share * (self.model.g_max - self.model.g_min)

    def rest(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
             dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> PCMState:
        """Neurons of ``shape`` in the reset (amorphous) state."""
        return self.model.sample(shape, generator=generator, dtype=dtype, device=device)

    def step(self, state: PCMState, spikes: torch.Tensor,
             generator: torch.Generator | None = None) -> tuple[PCMState, torch.Tensor]:
        """One time step: ``spikes`` input spikes per neuron (each one partial-set pulse); neurons at or above
        threshold fire and reset. Returns the new state and the fired mask."""
        pulses = torch.as_tensor(spikes, dtype=state.g.dtype, device=state.g.device).expand(state.shape)
        state = self.model.pulse(state, pulses, generator=generator)
        fired = self.model.conductance(state) >= self.threshold_g
        reset = torch.where(fired, -1.0, 0.0).to(state.g.dtype)
        return self.model.pulse(state, reset, generator=generator), fired
