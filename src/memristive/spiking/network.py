"""A competitive spiking network on a tunnel-junction crossbar that learns by STDP alone.

Inputs drive the rows, each output neuron (:class:`VolatileSwitchNeuron`) sits on a column,
and the synapse at (i, j) is a tunnel junction that sees ``V_col_j(t) - V_row_i(t)``. An input
spike launches a causal waveform on its row: a positive pulse, then a negative tail whose
magnitude falls with time (the time-reverse of the :class:`~memristive.spiking.stdp.SpikeShape`
staircase). An output spike puts a negative pulse (``post_lead_v``), then the positive pulse,
on its column. Each alone is below the device's LTM threshold. Where the output's pulse
meets the tail of a recent input spike the junction is potentiated (more, the more recent);
on idle rows the output's negative pulse alone depresses, while on rows in a tail the
difference stays below threshold: the rule of Querlioz et al. (below) emerges from the
device and the waveforms.

A neuron integrates the current its column receives from rows in the positive (read)
phase of their waveform; when it fires, the other neurons' membranes are discharged
(winner-take-all) and its own input is ignored while its waveform is on the column.
Homeostatic thresholds (``adapt_v``) keep one neuron from taking every pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from memristive.devices.tunnel_junction import JunctionState, TunnelJunctionSynapse
from memristive.errors import require
from memristive.spiking.neurons import NeuronState, VolatileSwitchNeuron
from memristive.spiking.stdp import SpikeShape


@dataclass(frozen=True)
class NetworkSettings:
    """Timing and input coding (SI units).

    Attributes:
        dt_s: time step.
        present_s: duration of one pattern presentation.
        gap_s: silence between presentations (volatile parts relax, membranes leak).
        rate_on_hz: Poisson rate of the inputs inside the pattern, Hz.
        rate_off_hz: Poisson rate of the inputs outside it, Hz.
        w_init: range of the initial nonvolatile share of the junctions (uniform).
        refractory_s: how long a neuron ignores its input after its spike waveform.
        post_lead_v: a negative pulse that opens each output spike's waveform.
            Alone it depresses the junctions of idle inputs; on rows still in the tail of a
            recent input spike the difference stays below threshold (those are potentiated
            by the positive pulse that follows): the "recent inputs up, the others down"
            rule of Querlioz et al., IEEE Trans. Nanotechnol. 12, 288 (2013), made by waveforms.
        post_lead_s: that pulse's width, s.

    Examples:
        >>> settings = NetworkSettings()
        >>> round(settings.present_s / settings.dt_s), settings.rate_on_hz  # steps per presentation, input rate (Hz)
        (800, 150000.0)
    """

    dt_s: float = 50e-9
    present_s: float = 40e-6
    gap_s: float = 20e-6
    rate_on_hz: float = 1.5e5
    rate_off_hz: float = 5e3
    w_init: tuple[float, float] = (0.04, 0.08)
    post_lead_v: float = 1.4
    post_lead_s: float = 1e-6
    refractory_s: float = 4e-6

    def __post_init__(self) -> None:
        require(self.dt_s > 0 and self.present_s > self.dt_s and self.gap_s >= 0, "need dt_s > 0, present_s > dt_s, gap_s >= 0")
        require(0 <= self.rate_off_hz < self.rate_on_hz, "need 0 <= rate_off_hz < rate_on_hz")
        require(0 <= self.w_init[0] <= self.w_init[1] <= 1, f"w_init={self.w_init} must be a range inside [0, 1]")


class CompetitiveNetwork:
    """Devices, neurons and line waveforms of one network (state is kept between presentations).

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> from memristive.spiking import NetworkSettings, SpikeShape, VolatileSwitchNeuron
        >>> spike = SpikeShape(peak_v=0.9, peak_s=1e-6, tail_v=0.9, tail_steps=20, tail_step_s=1e-6, tail_power=2.0)
        >>> neuron = VolatileSwitchNeuron(capacitance_f=100e-12, r_off_ohm=1e5, r_on_ohm=1e3, adapt_v=0.2, adapt_tau_s=2e-3)
        >>> net = CompetitiveNetwork(get_preset("otj-sto"), neuron, spike, 4, 2, NetworkSettings(),
        ...                          torch.Generator().manual_seed(0))
        >>> counts = net.present(torch.tensor([True, True, False, False]))  # a 40 us presentation, learning by STDP
        >>> tuple(counts.shape)  # output spikes per neuron
        (2,)
    """

    def __init__(self, device: TunnelJunctionSynapse, neuron: VolatileSwitchNeuron, spike: SpikeShape, inputs: int,
                 outputs: int, settings: NetworkSettings, generator: torch.Generator) -> None:
        require(inputs >= 1 and outputs >= 2, "need inputs >= 1 and outputs >= 2")
        self.device, self.neuron, self.settings, self.generator = device, neuron, settings, generator
        waveform, _ = spike.waveform(settings.dt_s)
        self.waveform = torch.cat([waveform.flip(0), torch.zeros(1, dtype=torch.float64)])
        lead = torch.full((round(settings.post_lead_s / settings.dt_s),), -settings.post_lead_v, dtype=torch.float64)
        peak = torch.full((round(spike.peak_s / settings.dt_s),), spike.peak_v, dtype=torch.float64)
        rest = torch.zeros(round(settings.refractory_s / settings.dt_s) + 1, dtype=torch.float64)
        self.post_waveform = torch.cat([lead, peak, rest])
        self.read_phase = self.waveform > 0
        lo, hi = settings.w_init
        state = device.sample((inputs, outputs), generator=generator, dtype=torch.float64)
        w = lo + (hi - lo) * torch.rand((inputs, outputs), generator=generator, dtype=torch.float64)
        self.synapses: JunctionState = replace(state, w=w)
        self.neurons: NeuronState = neuron.rest(outputs)
        idle = len(self.waveform) - 1
        self.row_age = torch.full((inputs,), idle)
        self.col_age = torch.full((outputs,), len(self.post_waveform) - 1)

    def step(self, input_spikes: torch.Tensor, learn: bool = True) -> torch.Tensor:
        """One time step with the given input spikes (bool, per row); returns output spikes (bool, per column)."""
        dt, last, post_last = self.settings.dt_s, len(self.waveform) - 1, len(self.post_waveform) - 1
        self.row_age = torch.where(input_spikes, 0, (self.row_age + 1).clamp_max(last))
        v_row, v_col = self.waveform[self.row_age], self.post_waveform[self.col_age]
        v_junction = v_col[None, :] - v_row[:, None]
        if learn:
            self.synapses = self.device.apply_voltage(self.synapses, v_junction, dt)
        into_column = self.device.current(self.synapses, -v_junction) * self.read_phase[self.row_age][:, None]
        busy = self.col_age < post_last
        current = torch.where(busy, 0.0, into_column.sum(0).clamp_min(0.0))
        self.neurons, fired = self.neuron.step(self.neurons, current, dt, exclusive=True)
        self.col_age = torch.where(fired, 0, (self.col_age + 1).clamp_max(post_last))
        return fired

    def present(self, pattern: torch.Tensor, learn: bool = True) -> torch.Tensor:
        """Show ``pattern`` (bool, per input) as Poisson spike trains, then a silent gap; output spike counts."""
        s = self.settings
        rate = torch.where(pattern, s.rate_on_hz, s.rate_off_hz).to(torch.float64)
        p = -torch.expm1(-rate * s.dt_s)
        counts = torch.zeros(len(self.col_age), dtype=torch.long)
        for _ in range(round(s.present_s / s.dt_s)):
            spikes = torch.rand(p.shape, generator=self.generator, dtype=torch.float64) < p
            counts += self.step(spikes, learn)
        for _ in range(round(s.gap_s / s.dt_s)):
            self.step(torch.zeros_like(pattern), learn)
        return counts
