"""``pcm-neuron``: a phase-change integrate-and-fire neuron driven by Poisson input spikes.

Tuma et al. (Nat. Nanotechnol. 11, 693, 2016; seed 002 Fig. 8a): each input spike is one
partial-set pulse; the neuron fires when its cell's conductance reaches the threshold and is
reset by a melt-quench pulse (:class:`~memristive.spiking.pcm_neuron.PCMNeuron`). Independent
neurons are driven at several input rates (Bernoulli spikes per step); the output rate and the
inter-spike intervals (ISIs) are measured. Metrics: ``rate_ratio`` (least-squares slope of output
vs input rate), ``linearity_r2``, ``pulses_to_fire`` (input spikes per output spike),
``isi_cv`` (ISI coefficient of variation at the highest Poisson rate) and ``isi_cv_regular``
(neurons driven by a regular train, one spike every ``round(1 / (rate dt))`` steps: the spread is then the device's own,
from the set steps' and the reset's variability; a noise-free cell gives 0). The paper shows these as plots (firing rate vs
input, ISI distributions); no number is attached.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from memristive.devices import PCMDevice, get_preset
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, Settings, above
from memristive.errors import MemristiveError
from memristive.spiking.pcm_neuron import PCMNeuron


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``pcm-neuron``."""

    preset: str = "pcm-gst"
    neurons: int = 200
    steps: int = 2000
    dt_s: float = 1e-3
    rates_hz: tuple[float, ...] = (25.0, 50.0, 100.0, 200.0, 400.0)
    threshold_share: float = 0.5

    constraints = {"neurons": COUNT, "steps": COUNT, "dt_s": DURATION, "threshold_share": above(0.0, 1.0),
                   "rates_hz": above(0.0, 1e6, "Hz")}

    def validate(self) -> None:
        """A PCM preset; every input rate gives a spike probability per step in (0, 1]."""
        get_preset(self.preset, PCMDevice)
        if not self.rates_hz or not all(0 < r * self.dt_s <= 1 for r in self.rates_hz):
            raise MemristiveError(f"rates_hz={self.rates_hz} must be > 0 with rate * dt_s <= 1 (dt_s={self.dt_s})")


QUICK = Config()
"""Quick: 200 neurons per rate, 2 s at 1 ms."""

FULL = Config(neurons=1000, steps=10000)
"""Full: 1000 neurons per rate, 10 s at 1 ms."""


def simulate(config: Config, ctx: RunContext) -> Data:
    """Every rate's neurons side by side (Poisson inputs, then one row of regular input at the top rate): spike
    counts and the pooled inter-spike intervals."""
    neuron = PCMNeuron(get_preset(config.preset, PCMDevice), config.threshold_share)
    gen = ctx.generator()
    rows = len(config.rates_hz)
    shape = (rows + 1, config.neurons)
    period = max(1, round(1 / (config.rates_hz[-1] * config.dt_s)))
    state = neuron.rest(shape, generator=gen, dtype=torch.float64)
    p = torch.tensor([*config.rates_hz, 0.0], dtype=torch.float64).view(-1, 1).expand(shape)
    last = torch.full(shape, -1, dtype=torch.int64)
    counts = torch.zeros(shape, dtype=torch.int64)
    inputs = torch.zeros(shape, dtype=torch.int64)
    isis: list[list[torch.Tensor]] = [[] for _ in range(rows + 1)]
    for step in range(config.steps):
        spikes = torch.rand(shape, generator=gen, dtype=torch.float64) < p * config.dt_s
        spikes[rows] = step % period == 0
        inputs += spikes
        state, fired = neuron.step(state, spikes.to(torch.float64), generator=gen)
        counts += fired
        seen = fired & (last >= 0)
        for r in seen.any(dim=1).nonzero().flatten().tolist():
            isis[r].append((step - last[r][seen[r]]).to(torch.float64) * config.dt_s)
        last = torch.where(fired, step, last)
    duration = config.steps * config.dt_s
    pooled = [torch.cat(i).numpy() if i else np.zeros(0) for i in isis]
    cv = np.array([i.std() / i.mean() if i.size > 1 else np.nan for i in pooled])
    return {
        "rates_hz": np.array(config.rates_hz),
        "out_rates_hz": (counts[:rows].double().mean(dim=1) / duration).numpy(),
        "in_spikes": inputs[:rows].sum(dim=1).numpy(),
        "out_spikes": counts[:rows].sum(dim=1).numpy(),
        "isi_top_s": pooled[rows - 1],
        "isi_regular_s": pooled[rows],
        "isi_cv": cv[:rows],
        "isi_cv_regular": cv[rows],
    }


def metrics(data: Data) -> dict[str, float]:
    """Rate transfer (slope, linearity), input spikes per output spike, ISI spread at the top rate."""
    x, y = np.asarray(data["rates_hz"]), np.asarray(data["out_rates_hz"])
    slope = float(x @ y / (x @ x))
    r2 = 1 - float(((y - slope * x) ** 2).sum() / ((y - y.mean()) ** 2).sum())
    out = float(np.sum(data["out_spikes"]))
    return {"rate_ratio": slope, "linearity_r2": r2,
            "pulses_to_fire": float(np.sum(data["in_spikes"])) / out if out else float("nan"),
            "isi_cv": float(data["isi_cv"][-1]), "isi_cv_regular": float(data["isi_cv_regular"])}


def plot(data: Data) -> dict[str, plt.Figure]:
    """Output vs input rate; the ISI distribution at the top rate."""
    fig, (ax, ax_isi) = plt.subplots(1, 2, figsize=(9, 3.5))
    ax.plot(data["rates_hz"], data["out_rates_hz"], marker="o")
    ax.set(xlabel="input rate (Hz)", ylabel="output rate (Hz)", title="PCM neuron: rate transfer")
    ax.grid(alpha=0.3)
    bins = np.linspace(0, float(np.max(data["isi_top_s"], initial=0.01)) * 1e3, 40)
    ax_isi.hist(np.asarray(data["isi_top_s"]) * 1e3, bins=bins, alpha=0.6,
                label=f"Poisson input (CV {data['isi_cv'][-1]:.2f})")
    ax_isi.hist(np.asarray(data["isi_regular_s"]) * 1e3, bins=bins, alpha=0.6,
                label=f"regular input (CV {float(data['isi_cv_regular']):.2f})")
    ax_isi.set(xlabel="inter-spike interval (ms)", ylabel="count", title=f"ISIs at {data['rates_hz'][-1]:g} Hz")
    ax_isi.legend(fontsize=8)
    fig.tight_layout()
    return {"rate_transfer": fig}


def cost(config: Config, dataset: None) -> Cost:
    """Every time step of every neuron at every rate."""
    devices = (len(config.rates_hz) + 1) * config.neurons
    return Cost(memory_bytes=64 * devices, steps=config.steps)


EXPERIMENT = register(Experiment(
    name="pcm-neuron",
    reference="tuma2016",
    summary="Stochastic phase-change integrate-and-fire neuron: rate transfer and ISI spread",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
