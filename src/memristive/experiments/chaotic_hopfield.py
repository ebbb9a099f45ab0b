"""``chaotic-hopfield``: a Hopfield network on a crossbar solving max-cut, with and without Mott-oscillator noise.

Kumar et al. (Nature 548, 318, 2017; seed 002 section 7.2 and Fig. 15c) propose their NbO2 Mott
oscillators as the noise source that lets a Hopfield network escape local minima and reach the
global one. Here: random graphs ``G(neurons, edge_probability)``; the weights ``W = -A``
(:func:`~memristive.algorithms.maxcut.maxcut_weights`) are written ex situ into a balanced
(differential) ``neurons x neurons`` array of the ``preset``'s devices, and the network
(:class:`~memristive.algorithms.hopfield.HopfieldMemory`) runs asynchronously from ``runs`` random
states per graph in three arms that share the array and the starting states:

* ``plain``: no noise; each run stops in the first local minimum it reaches;
* ``chaotic``: during the first ``anneal_sweeps`` sweeps each neuron's field gets the voltage of its own
  Mott relaxation oscillator (:class:`~memristive.spiking.mott_noise.MottNoiseSource`: the
  ``oscillator_preset`` device, ``source_v``, ``series_ohm``, ``oscillator_c_f``, read every
  ``read_interval_s``), standardized and scaled by a linear annealing schedule from
  ``noise_amplitude`` (in units of one edge's weight) down to zero
  (:func:`~memristive.algorithms.hopfield.annealed`); then noise-free sweeps until it settles;
* ``gaussian``: the same schedule with Gaussian noise of the same variance (is the oscillator more
  than a source of variance?).

Success = the run's final cut equals the largest cut, found by enumerating all cuts
(:func:`~memristive.algorithms.maxcut.max_cut`). The oscillator's period and its jitter are measured
from a finely read trace; the noise sequence's lag-one correlation says how regular it is.

The paper gives no max-cut numbers (its Hopfield demonstration is a simulation with its chaotic
source; seed 002 reproduces its figure without numbers): the metrics are predictions of this model
with nothing calibrated to them. The circuit values and the schedule are our choices.

Metrics: ``success_plain``, ``success_chaotic``, ``success_gaussian`` (share of runs reaching the largest cut,
over all graphs), ``cut_ratio_<arm>`` (mean final cut / largest cut), ``oscillator_period_s``,
``oscillator_period_jitter`` (standard deviation / mean of the periods), ``noise_lag1_correlation``.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from tqdm.auto import tqdm

from memristive.algorithms.hopfield import HopfieldMemory, annealed
from memristive.algorithms.maxcut import cut_size, max_cut, maxcut_weights, random_graph
from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import MottMemristor, get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import MemristiveError
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, SHARE, VOLTAGE, Interval, Settings, above, at_least
from memristive.spiking.mott_neuron import MottOscillator
from memristive.spiking.mott_noise import MottNoiseSource, standardize

ARMS = ("plain", "chaotic", "gaussian")
LABELS = {"plain": "no noise", "chaotic": "Mott oscillators", "gaussian": "Gaussian noise"}

TRACE_READ_S = 2e-9
"""Read spacing of the oscillator trace from which the period is measured, s."""

TRACE_PERIODS = 12
"""Roughly how many periods of ``read_interval_s`` the trace spans (its length is ``TRACE_PERIODS`` read intervals)."""

TRACE_OSCILLATORS = 16
"""Oscillators in the trace (their periods pooled for the jitter)."""


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``chaotic-hopfield`` (SI units; noise amplitudes in units of one edge's weight)."""

    neurons: int = 16
    edge_probability: float = 0.5
    graphs: int = 12
    runs: int = 32
    preset: str = "taox-hfox"
    import_error: float = 0.0
    noise_amplitude: float = 1.5
    anneal_sweeps: int = 30
    settle_sweeps: int = 20
    oscillator_preset: str = "mott-nbo2"
    source_v: float = 1.5
    series_ohm: float = 3e3
    oscillator_c_f: float = 100e-12
    read_interval_s: float = 0.7e-6

    constraints = {"neurons": at_least(3, 20), "edge_probability": Interval(0.0, 1.0, "right"), "graphs": COUNT,
                   "runs": COUNT, "import_error": SHARE, "noise_amplitude": at_least(0.0, 100.0),
                   "anneal_sweeps": COUNT, "settle_sweeps": COUNT, "source_v": VOLTAGE,
                   "series_ohm": above(0.0, 1e9, "ohm"), "oscillator_c_f": above(0.0, 1e-3, "F"),
                   "read_interval_s": DURATION}

    def validate(self) -> None:
        """Presets of the right kinds and an oscillating circuit (the load line crosses the negative-resistance
        branch)."""
        get_preset(self.preset, NonlinearPulseDevice)
        model = get_preset(self.oscillator_preset, MottMemristor)
        (v_th, i_th), (v_hold, i_hold) = model.turning_points()
        low, high = (self.source_v - v_hold) / i_hold, (self.source_v - v_th) / i_th
        if not low < self.series_ohm < high:
            raise MemristiveError(f"series_ohm={self.series_ohm:g} ohm: the oscillator oscillates only between "
                                  f"{low:.4g} and {high:.4g} ohm at source_v={self.source_v:g} V")


QUICK = Config()
"""Quick: 12 graphs of 16 nodes, 32 runs per arm and graph."""

FULL = Config(neurons=20, graphs=40, runs=64)
"""Full: 40 graphs of 20 nodes, 64 runs per arm and graph."""


def noise_source(config: Config, interval_s: float | None = None) -> MottNoiseSource:
    """The oscillators of ``config`` read every ``interval_s`` (default ``read_interval_s``)."""
    model = get_preset(config.oscillator_preset, MottMemristor)
    circuit = MottOscillator(model, config.source_v, config.series_ohm, config.oscillator_c_f)
    return MottNoiseSource(circuit, config.read_interval_s if interval_s is None else interval_s)


def periods(trace: np.ndarray, read_s: float, level_v: float) -> np.ndarray:
    """Oscillation periods, s, of voltage traces [reads, oscillators] read every ``read_s``: the spacing of the
    discharges (downward crossings of ``level_v``, placed between reads by linear interpolation), pooled over the
    oscillators."""
    found = []
    for column in trace.T:
        k = np.flatnonzero((column[:-1] >= level_v) & (column[1:] < level_v))
        crossing = k + (column[k] - level_v) / (column[k] - column[k + 1])
        found.append(np.diff(crossing) * read_s)
    return np.concatenate(found)


def _oscillator(config: Config, generator: torch.Generator) -> Data:
    """A finely read trace of a few oscillators and its periods."""
    source = noise_source(config, TRACE_READ_S)
    reads = round(TRACE_PERIODS * config.read_interval_s / TRACE_READ_S)
    trace = source.voltages((TRACE_OSCILLATORS,), reads, generator=generator, dtype=torch.float64).numpy()
    (v_th, _), (v_hold, _) = source.oscillator.model.turning_points()
    found = periods(trace, TRACE_READ_S, 0.5 * (v_th + v_hold))
    return {"trace_t_s": TRACE_READ_S * np.arange(1, reads + 1), "trace_v": trace[:, 0], "periods_s": found}


def simulate(config: Config, ctx: RunContext) -> Data:
    """Graphs, their largest cuts, and the final cuts of every run in each arm."""
    generator, noise_generator = ctx.generator(0), ctx.generator(1)  # graphs and starts; the noise
    orders = {arm: ctx.generator(2 + k) for k, arm in enumerate(ARMS)}  # each arm's update orders
    n, shape = config.neurons, (config.graphs, config.runs, config.neurons)
    chaotic = standardize(noise_source(config).voltages(shape, config.anneal_sweeps, generator=noise_generator,
                                                        dtype=torch.float64))
    gaussian = torch.randn(chaotic.shape, generator=noise_generator, dtype=torch.float64)
    noises = {"plain": None, "chaotic": chaotic, "gaussian": gaussian}
    device = get_preset(config.preset, NonlinearPulseDevice)
    best, optima = np.zeros(config.graphs), np.zeros(config.graphs)
    cuts = {arm: np.zeros((config.graphs, config.runs)) for arm in ARMS}
    sweeps = {arm: np.zeros((config.graphs, config.runs)) for arm in ARMS}
    adjacency = np.zeros((config.graphs, n, n))
    for g in tqdm(range(config.graphs), desc="chaotic-hopfield graphs", leave=False, disable=None):
        graph = random_graph(n, config.edge_probability, generator)
        exact = max_cut(graph)
        adjacency[g], best[g], optima[g] = graph.numpy(), exact.size, exact.optima
        memory = HopfieldMemory(CrossbarArray(n, n, device, WeightMapping(scheme="balanced", w_max=1.0),
                                              generator=generator, dtype=torch.float64))
        memory.program(maxcut_weights(graph), import_error=config.import_error, generator=generator)
        start = torch.where(torch.rand(config.runs, n, generator=generator, dtype=torch.float64) < 0.5, -1.0, 1.0)
        for arm, noise in noises.items():
            field_noise = None if noise is None else annealed(noise[:, g], config.noise_amplitude)
            out = memory.recall(start, max_sweeps=config.anneal_sweeps + config.settle_sweeps,
                                field_noise=field_noise, generator=orders[arm])
            cuts[arm][g] = cut_size(out.states, graph).numpy()
            sweeps[arm][g] = out.sweeps
    data: Data = {"neurons": n, "preset": config.preset, "noise_amplitude": config.noise_amplitude,
                  "anneal_sweeps": config.anneal_sweeps, "adjacency": adjacency, "best_cut": best, "optima": optima,
                  "noise_chaotic": chaotic[:, 0, 0, 0].numpy(), "noise_gaussian": gaussian[:, 0, 0, 0].numpy(),
                  "noise_lag1": np.array([_lag1(chaotic)])}
    for arm in ARMS:
        data[f"cut_{arm}"] = cuts[arm]
        data[f"sweeps_{arm}"] = sweeps[arm]
    data.update(_oscillator(config, noise_generator))
    return data


def _lag1(noise: torch.Tensor) -> float:
    """Correlation of consecutive reads of each oscillator, pooled (``noise`` [reads, ...], standardized)."""
    return float(torch.corrcoef(torch.stack([noise[:-1].flatten(), noise[1:].flatten()]))[0, 1])


def metrics(data: Data) -> dict[str, float]:
    """Success shares and cut ratios per arm; the oscillator's period, jitter and noise correlation."""
    best = data["best_cut"][:, None]
    values = {}
    for arm in ARMS:
        values[f"success_{arm}"] = float((data[f"cut_{arm}"] >= best - 1e-9).mean())
    for arm in ARMS:
        values[f"cut_ratio_{arm}"] = float((data[f"cut_{arm}"] / best).mean())
    found = data["periods_s"]
    values["oscillator_period_s"] = float(found.mean()) if found.size else float("nan")
    values["oscillator_period_jitter"] = float(found.std() / found.mean()) if found.size > 1 else float("nan")
    values["noise_lag1_correlation"] = float(data["noise_lag1"][0])
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Success per arm and graph; the oscillator trace and the noise it feeds one neuron."""
    best = data["best_cut"][:, None]
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for k, arm in enumerate(ARMS):
        share = (data[f"cut_{arm}"] >= best - 1e-9).mean(1)
        jitter = np.linspace(-0.15, 0.15, share.size)
        ax.scatter(k + jitter, share, s=12, alpha=0.6)
        ax.errorbar(k, share.mean(), yerr=share.std(), fmt="_", color="k", markersize=20, capsize=4)
    ax.set_xticks(range(len(ARMS)), [LABELS[arm] for arm in ARMS])
    ax.set(ylabel="share of runs reaching the largest cut", ylim=(-0.02, 1.02),
           title=f"Max-cut on {len(best)} random graphs of {int(data['neurons'])} nodes ({data['preset']} array)")
    figures = {"success": fig}
    fig, (ax_trace, ax_noise) = plt.subplots(1, 2, figsize=(10, 3.5))
    ax_trace.plot(data["trace_t_s"] * 1e6, data["trace_v"], lw=0.8)
    ax_trace.set(xlabel="time (us)", ylabel="device voltage (V)", title="Mott relaxation oscillator")
    sweeps = np.arange(len(data["noise_chaotic"]))
    amplitude = float(data["noise_amplitude"]) * (1 - sweeps / len(sweeps))
    for arm in ("chaotic", "gaussian"):
        ax_noise.plot(sweeps, data[f"noise_{arm}"] * amplitude, marker=".", lw=0.8, label=arm)
    ax_noise.plot(sweeps, amplitude, color="grey", ls=":", label="schedule")
    ax_noise.plot(sweeps, -amplitude, color="grey", ls=":")
    ax_noise.set(xlabel="sweep", ylabel="noise on one neuron's field (edge weights)", title="Annealed noise")
    ax_noise.legend(fontsize=8)
    figures["noise_source"] = fig
    return figures


def cost(config: Config, dataset: None) -> Cost:
    """One oscillator per neuron, run and graph, integrated for every noisy sweep; two array reads per neuron
    update, for up to every sweep of every run of every arm."""
    oscillators = config.graphs * config.runs * config.neurons
    sweeps = config.anneal_sweeps + config.settle_sweeps
    return Cost(memory_bytes=oscillators * config.anneal_sweeps * 8 * 4 + (1 << (config.neurons - 1)) * 8 * 64,
                steps=config.graphs * len(ARMS) * sweeps * config.neurons + oscillators * config.anneal_sweeps)


EXPERIMENT = register(Experiment(
    name="chaotic-hopfield",
    reference="kumar2017",
    summary="Max-cut by a Hopfield network on a crossbar, with annealed Mott-oscillator noise, Gaussian noise, none",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
