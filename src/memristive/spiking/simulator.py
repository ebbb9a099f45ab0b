"""A spiking network on plastic synapses: N inputs all-to-all onto M neurons, stepped event by event.

Each step of ``dt_s``, in the order of Brian2's default schedule (so the same model gives the
same dynamics): the traces of the :class:`~memristive.spiking.plasticity.PairSTDP` rule decay;
the neurons integrate (the conductance of last step's input spikes acting); the inputs that
spike this step deliver their synapses' conductance (read before any change) and, learning,
change their synapses by the neurons' traces; the neurons that fired change theirs by the
inputs' traces; the traces jump.

Event-driven (the default), a step touches only the rows of the inputs that spiked and the
columns of the neurons that fired: at 15 Hz inputs and 0.1 ms steps that is ~0.15 % of the
synapses, and devices with dynamics between pulses are advanced lazily in closed form
(:mod:`memristive.spiking.synapses`). ``event_driven=False`` steps every synapse every step
(the reference: the two agree to rounding when the drive is deterministic; with stochastic
rounding or pulse noise they draw different random numbers).

Input is Poisson (``rates_hz``; a spike in a step with probability ``1 - exp(-rate dt)``) or a
recorded raster (``spikes``, bool ``[steps, inputs]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import torch
from tqdm.auto import tqdm

from memristive.errors import require
from memristive.spiking.plasticity import PairSTDP

BLOCK_STEPS = 1000
"""Steps of input drawn (and event lists built) at once."""


class Neuron(Protocol):
    """What a network asks of a neuron model (:class:`~memristive.spiking.lif.LIFNeuron`,
    :class:`~memristive.spiking.neurons.VolatileSwitchNeuron`).

    Examples:
        >>> import torch
        >>> from memristive.spiking import LIFNeuron, VolatileSwitchNeuron
        >>> for neuron in (LIFNeuron(), VolatileSwitchNeuron()):  # both offer rest and integrate
        ...     state, fired = neuron.integrate(neuron.rest(2, dtype=torch.float64, device=None), torch.zeros(2), 1e-6)
        ...     print(type(neuron).__name__, fired.tolist())
        LIFNeuron [False, False]
        VolatileSwitchNeuron [False, False]
    """

    def rest(self, n: int, *, dtype: torch.dtype, device: torch.device | str | None) -> Any:
        """``n`` neurons at rest."""

    def integrate(self, state: Any, g_in_s: torch.Tensor, dt_s: float) -> tuple[Any, torch.Tensor]:
        """One step driven by the conductance ``g_in_s`` of this step's input spikes; new state and who fired."""


@dataclass(frozen=True)
class SpikeRecord:
    """Output spikes of one run.

    Attributes:
        times_s: time of each spike, s (in step order).
        neurons: index of the neuron of each spike.
        counts: spikes per neuron.
        duration_s: length of the run, s.
        input_spikes: how many input spikes were delivered.

    Examples:
        >>> import torch
        >>> from memristive.spiking import LIFNeuron, SpikingNetwork, WeightSynapses
        >>> synapses = WeightSynapses.uniform(100, 5, 1e-9, generator=torch.Generator().manual_seed(0))
        >>> net = SpikingNetwork(synapses, LIFNeuron(g_leak_s=1e-8), generator=torch.Generator().manual_seed(1))
        >>> record = net.run(0.5, rates_hz=20.0)
        >>> record.duration_s, tuple(record.counts.shape), bool((record.rates_hz > 0).all())
        (0.5, (5,), True)
    """

    times_s: torch.Tensor
    neurons: torch.Tensor
    counts: torch.Tensor
    duration_s: float
    input_spikes: int

    @property
    def rates_hz(self) -> torch.Tensor:
        """Mean firing rate of each neuron, Hz."""
        return self.counts.to(torch.float64) / self.duration_s


class SpikingNetwork:
    """Inputs onto neurons through plastic synapses (see the module docstring).

    Args:
        synapses: :class:`~memristive.spiking.synapses.WeightSynapses` or
            :class:`~memristive.spiking.synapses.DeviceSynapses`, ``[inputs, outputs]``.
        neuron: the neuron model of every output.
        rule: the plasticity rule; ``None`` for fixed synapses.
        dt_s: time step, s.
        event_driven: step only the synapses spikes touch (else every synapse every step).
        generator: randomness of Poisson input (on the synapses' device).

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> from memristive.spiking import DeviceSynapses, LIFNeuron, PairSTDP
        >>> device, gen = get_preset("tpt-ram-110"), torch.Generator().manual_seed(0)
        >>> synapses = DeviceSynapses.sample(device, 200, 20, generator=gen)  # 200 inputs x 20 neurons
        >>> neuron = LIFNeuron(g_leak_s=0.5 * (device.g_min + device.g_max) / 0.02)  # mean synapse 2 % of the leak
        >>> net = SpikingNetwork(synapses, neuron, PairSTDP(), dt_s=1e-4, generator=gen)
        >>> before = net.conductance().clone()
        >>> record = net.run(0.2, rates_hz=15.0)  # 0.2 s of Poisson input at 15 Hz
        >>> int(record.counts.sum()) > 0, bool((net.conductance() != before).any())  # neurons fired; STDP moved devices
        (True, True)
    """

    def __init__(self, synapses, neuron: Neuron, rule: PairSTDP | None = None, *, dt_s: float = 1e-4,
                 event_driven: bool = True, generator: torch.Generator | None = None) -> None:
        require(dt_s > 0, f"dt_s={dt_s} must be > 0")
        self.synapses, self.neuron, self.rule, self.dt_s = synapses, neuron, rule, dt_s
        self.event_driven, self.generator = event_driven, generator
        inputs, outputs = synapses.shape
        like = synapses.conductance(0)
        self.dtype, self.device = like.dtype, like.device
        self.state = neuron.rest(outputs, dtype=self.dtype, device=self.device)
        self.pre_trace = torch.zeros(inputs, dtype=self.dtype, device=self.device)
        self.post_trace = torch.zeros(outputs, dtype=self.dtype, device=self.device)
        self.step = 0

    def conductance(self) -> torch.Tensor:
        """Every synapse's conductance now, ``[inputs, outputs]``, S."""
        return self.synapses.conductance(self.step)

    def run(self, duration_s: float | None = None, *, rates_hz: float | torch.Tensor | None = None,
            spikes: torch.Tensor | None = None, learn: bool = True, progress: bool = False) -> SpikeRecord:
        """Run for ``duration_s`` on Poisson input at ``rates_hz`` (Hz, scalar or per input), or through the
        recorded raster ``spikes`` (bool ``[steps, inputs]``); ``learn``: apply the rule."""
        inputs = self.synapses.shape[0]
        require((rates_hz is None) != (spikes is None), "give either rates_hz (with duration_s) or spikes")
        if spikes is not None:
            require(spikes.dim() == 2 and spikes.shape[1] == inputs,
                    f"spikes must be [steps, {inputs}], got shape {tuple(spikes.shape)}")
            steps = spikes.shape[0]
        else:
            require(duration_s is not None and duration_s > 0, f"duration_s={duration_s} must be > 0")
            rates = torch.as_tensor(rates_hz, dtype=self.dtype, device=self.device).expand(inputs)
            require(bool((rates >= 0).all()), "rates_hz must be >= 0")
            p = -torch.expm1(-rates * self.dt_s)
            steps = round(duration_s / self.dt_s)
        learn = learn and self.rule is not None
        times, who, delivered = [], [], 0
        bar = tqdm(total=steps, desc="spiking network", unit="step", leave=False, disable=None if progress else True)
        for start in range(0, steps, BLOCK_STEPS):
            count = min(BLOCK_STEPS, steps - start)
            if spikes is None:
                block = torch.rand((count, inputs), generator=self.generator, dtype=self.dtype, device=self.device) < p
            else:
                block = spikes[start:start + count].to(device=self.device, dtype=torch.bool)
            stepper = self._event_steps if self.event_driven else self._dense_steps
            for step, fired in stepper(block, learn):
                times.append(torch.full((fired.numel(),), step, dtype=torch.long, device=self.device))
                who.append(fired)
            delivered += int(block.sum())
            bar.update(count)
        bar.close()
        outputs = self.synapses.shape[1]
        step_of = torch.cat(times) if times else torch.zeros(0, dtype=torch.long, device=self.device)
        neurons = torch.cat(who) if who else torch.zeros(0, dtype=torch.long, device=self.device)
        return SpikeRecord(step_of.to(self.dtype) * self.dt_s, neurons,
                           torch.bincount(neurons, minlength=outputs), steps * self.dt_s, delivered)

    def _event_steps(self, block: torch.Tensor, learn: bool):
        """Steps through ``block`` touching only spiking rows and firing columns; yields (step, who fired)."""
        events = block.nonzero()
        rows_of = torch.split(events[:, 1], torch.bincount(events[:, 0], minlength=len(block)).tolist())
        x, y, (dx, dy), a_plus, a_minus, no_input = self._plasticity_terms()
        for rows in rows_of:
            x.mul_(dx)
            y.mul_(dy)
            if rows.numel():
                g_in = self.synapses.pre_spikes(rows, y if learn else None, self.step).sum(0)
                x.index_add_(0, rows, a_plus.expand(rows.numel()))
            else:
                g_in = no_input
            self.state, fired = self.neuron.integrate(self.state, g_in, self.dt_s)
            if fired.any():
                cols = fired.nonzero().squeeze(1)
                if learn:
                    self.synapses.post_spikes(cols, x, self.step)
                y.index_add_(0, cols, a_minus.expand(cols.numel()))
                yield self.step, cols
            self.step += 1

    def _dense_steps(self, block: torch.Tensor, learn: bool):
        """Steps through ``block`` updating every synapse every step (the reference); yields (step, who fired)."""
        x, y, (dx, dy), a_plus, a_minus, _ = self._plasticity_terms()
        for pre in block.to(self.dtype):
            x.mul_(dx)
            y.mul_(dy)
            self.synapses.advance_to(self.step)
            g_in = pre @ self.synapses.read()
            if learn:
                self.synapses.change(pre[:, None] * y[None, :], self.step)
            x.add_(pre * a_plus)
            self.state, fired = self.neuron.integrate(self.state, g_in, self.dt_s)
            post = fired.to(self.dtype)
            if learn:
                self.synapses.change(x[:, None] * post[None, :], self.step)
            y.add_(post * a_minus)
            if fired.any():
                yield self.step, fired.nonzero().squeeze(1)
            self.step += 1

    def _plasticity_terms(self):
        rule = self.rule or PairSTDP(a_plus=0.0, a_minus=0.0)
        like = {"dtype": self.dtype, "device": self.device}
        return (self.pre_trace, self.post_trace, rule.decays(self.dt_s), torch.tensor([rule.a_plus], **like),
                torch.tensor([rule.a_minus], **like), torch.zeros(self.synapses.shape[1], **like))
