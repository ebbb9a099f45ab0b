"""``binary-stdp``: a neuron on binary stochastic synapses learns a repeated pattern by simplified STDP.

Suri et al. (IEEE Trans. Electron Devices 60, 2402, 2013; seed 002 Fig. 6f) used CBRAM cells as binary synapses
programmed by weak, probabilistic pulses and a simplified STDP rule: at each output spike every
synapse whose input spiked within the LTP window before it gets a set pulse, every other synapse of
that neuron a reset pulse (:class:`~memristive.spiking.plasticity.SimplifiedBinarySTDP`); the
switching probability of each pulse makes the binary weights learn the statistics of the input.
Here: ``inputs`` lines, of which ``pattern`` (a fixed random subset) fire together in presentations
of ``presentation_steps`` every ``period_steps``, every line otherwise spiking at random
(``noise_rate_hz``); one leaky integrate-and-fire output (``tau_s``, threshold ``threshold`` ON-synapse
spikes, ``refractory_steps``) sums the spikes through its synapses (an ON device counts 1, an OFF one
``g_off / g_on``). Devices: the ``preset`` (``cbram-binary``: a 1 V pulse sets with p 0.21 and resets
with p 0.5) and the same device driven hard (``strong_pulse_v``: every pulse switches, p ~ 1), from all
synapses ON with probability 1/2. The stimulus, the neuron and the pulse amplitudes are our choices;
the paper's figures are not in this project's sources, so no number is compared.

Metrics (suffix ``_strong`` for the hard-driven device): ``pattern_on_share`` and ``background_on_share``
(synapses ON at the end), ``selectivity`` (their difference), ``output_rate_hz``, per ``repeats`` runs
(means); ``p_set``, ``p_reset`` (the preset's switching probabilities at its pulse).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from memristive.devices import get_preset
from memristive.devices.binary import BinaryStochasticDevice
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, VOLTAGE, Settings, above, at_least
from memristive.spiking.plasticity import SimplifiedBinarySTDP

ARMS = ("weak", "strong")
SUFFIX = {"weak": "", "strong": "_strong"}


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``binary-stdp`` (SI units; steps of ``dt_s``)."""

    preset: str = "cbram-binary"
    inputs: int = 64
    pattern: int = 16
    steps: int = 20_000
    dt_s: float = 1e-3
    period_steps: int = 50
    presentation_steps: int = 10
    pattern_rate_hz: float = 200.0
    noise_rate_hz: float = 10.0
    tau_s: float = 10e-3
    threshold: float = 6.0
    refractory_steps: int = 5
    ltp_window_s: float = 10e-3
    strong_pulse_v: float = 2.0
    repeats: int = 3
    samples: int = 40

    constraints = {"inputs": at_least(2), "pattern": COUNT, "steps": COUNT, "dt_s": DURATION,
                   "period_steps": COUNT, "presentation_steps": COUNT, "pattern_rate_hz": above(0.0, 1e6, "Hz"),
                   "noise_rate_hz": above(0.0, 1e6, "Hz"), "tau_s": DURATION, "threshold": above(0.0, 1e6),
                   "refractory_steps": at_least(0), "ltp_window_s": DURATION, "strong_pulse_v": VOLTAGE,
                   "repeats": COUNT, "samples": COUNT}

    def validate(self) -> None:
        """A binary preset; the pattern is part of the inputs; a presentation fits in its period."""
        get_preset(self.preset, BinaryStochasticDevice)
        require(self.pattern < self.inputs, f"pattern={self.pattern} must be fewer than inputs={self.inputs}")
        require(self.presentation_steps <= self.period_steps,
                f"presentation_steps={self.presentation_steps} must not exceed period_steps={self.period_steps}")


QUICK = Config()
"""Quick: 20 s of input at 1 ms steps, 3 runs per device."""

FULL = Config(steps=100_000, repeats=10)
"""Full: 100 s of input, 10 runs per device."""


def _run(config: Config, model: BinaryStochasticDevice, generator: torch.Generator) -> dict[str, np.ndarray]:
    n = config.inputs
    pattern = torch.zeros(n, dtype=torch.bool)
    pattern[torch.randperm(n, generator=generator)[: config.pattern]] = True
    state = model.program(model.sample((n,), generator=generator, dtype=torch.float64),
                          torch.full((n,), 0.5 * (model.g_min + model.g_max), dtype=torch.float64), generator=generator)
    rule = SimplifiedBinarySTDP(ltp_window_s=config.ltp_window_s)
    kept = np.exp(-config.dt_s / config.tau_s)
    p_noise = 1 - np.exp(-config.noise_rate_hz * config.dt_s)
    p_pattern = 1 - np.exp(-config.pattern_rate_hz * config.dt_s)
    last_pre = torch.full((n,), -torch.inf, dtype=torch.float64)
    v, quiet, fired = 0.0, 0, 0
    every = max(1, config.steps // config.samples)
    history = {"pattern": [], "background": []}
    weight = model.conductance(state) / state.g_on  # changes only at output spikes
    for step in range(config.steps):
        t = step * config.dt_s
        shown = step % config.period_steps < config.presentation_steps
        chance = torch.where(pattern & shown, p_pattern, p_noise)
        spikes = torch.rand(n, generator=generator, dtype=torch.float64) < chance
        last_pre = torch.where(spikes, t, last_pre)
        v = v * kept + float(weight[spikes].sum())
        if quiet > 0:
            quiet -= 1
        elif v >= config.threshold:
            fired += 1
            v, quiet = 0.0, config.refractory_steps
            state = model.pulse(state, rule.pulses(last_pre, t), generator=generator)
            weight = model.conductance(state) / state.g_on
        if step % every == 0 or step == config.steps - 1:
            history["pattern"].append(float(state.on[pattern].double().mean()))
            history["background"].append(float(state.on[~pattern].double().mean()))
    return {"pattern": np.array(history["pattern"]), "background": np.array(history["background"]),
            "rate": np.array(fired / (config.steps * config.dt_s))}


def simulate(config: Config, ctx: RunContext) -> Data:
    """Both devices' runs: the shares of pattern and background synapses ON over time, the output rate."""
    weak = get_preset(config.preset, BinaryStochasticDevice)
    devices = {"weak": weak, "strong": weak.replace(pulse_v=config.strong_pulse_v)}
    data: Data = {"dt_s": config.dt_s, "steps": config.steps,
                  "p_set": float(weak.switching_probability(weak.pulse_v)),
                  "p_reset": float(weak.switching_probability(-weak.pulse_v)),
                  "p_set_strong": float(weak.switching_probability(config.strong_pulse_v)),
                  "p_reset_strong": float(weak.switching_probability(-config.strong_pulse_v))}
    for k, arm in enumerate(ARMS):
        runs = [_run(config, devices[arm], ctx.generator(100 * k + r)) for r in range(config.repeats)]
        for key in runs[0]:
            data[f"{key}_{arm}"] = np.stack([run[key] for run in runs])
    return data


def metrics(data: Data) -> dict[str, float]:
    """Final ON shares of pattern and background synapses, their difference, the output rate, per device."""
    values = {"p_set": float(data["p_set"]), "p_reset": float(data["p_reset"])}
    for arm in ARMS:
        suffix = SUFFIX[arm]
        pattern, background = data[f"pattern_{arm}"][:, -1].mean(), data[f"background_{arm}"][:, -1].mean()
        values[f"pattern_on_share{suffix}"] = float(pattern)
        values[f"background_on_share{suffix}"] = float(background)
        values[f"selectivity{suffix}"] = float(pattern - background)
        values[f"output_rate_hz{suffix}"] = float(data[f"rate_{arm}"].mean())
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Shares of pattern and background synapses ON over time, per device."""
    fig, axes = plt.subplots(1, len(ARMS), figsize=(9, 3.4), sharey=True, layout="constrained")
    for ax, arm in zip(axes, ARMS, strict=True):
        for key, colour in (("pattern", "C0"), ("background", "C1")):
            curves = data[f"{key}_{arm}"]
            t = np.linspace(0, float(data["steps"]) * float(data["dt_s"]), curves.shape[1])
            ax.plot(t, curves.T, color=colour, lw=0.5, alpha=0.4)
            ax.plot(t, curves.mean(0), color=colour, lw=2, label=f"{key} synapses")
        p_set = float(data["p_set" if arm == "weak" else "p_set_strong"])
        p_reset = float(data["p_reset" if arm == "weak" else "p_reset_strong"])
        ax.set(xlabel="time (s)", title=f"{arm} pulses: p_set {p_set:.2f}, p_reset {p_reset:.2f}", ylim=(-0.02, 1.02))
    axes[0].set_ylabel("share of synapses ON")
    axes[0].legend(fontsize=8)
    return {"on_share_vs_time": fig}


def cost(config: Config, dataset: None) -> Cost:
    """One output neuron and ``inputs`` synapses, stepped ``steps`` times per run and device."""
    return Cost(memory_bytes=config.inputs * 8 * 16, steps=len(ARMS) * config.repeats * config.steps)


EXPERIMENT = register(Experiment(
    name="binary-stdp",
    reference="suri2013",
    summary="A neuron on binary stochastic CBRAM synapses learns a repeated pattern by simplified STDP: weak "
            "(probabilistic) vs strong pulses",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
