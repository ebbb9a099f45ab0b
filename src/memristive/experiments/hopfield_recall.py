"""``hopfield-recall``: Hopfield associative memory on crossbar arrays (seed 002, section 5.3).

Random +-1 patterns are stored in an ``N x N`` differential array
(:class:`memristive.algorithms.hopfield.HopfieldMemory`) and recalled asynchronously from
probes with 10 % of their neurons flipped; a recall succeeds when the final state's overlap
with the pattern is at least ``threshold``. Three settings:

* ``ideal``: exact analog devices (the preset's :meth:`ideal` model), Hebbian weights written ex situ;
* ``<preset>``: the preset's devices (nonlinearity, c2c, d2d), Hebbian weights learnt in situ by
  pulses, one ``p p^T / N`` update per pattern (Eryilmaz et al. 2014's scheme);
* non-idealities at one load ``P / N``: weight levels (``b``-bit devices), programming error,
  stuck devices and wire resistance (``solver="circuit"``), each alone on ideal devices.

Capacity = the load ``P / N`` where the recall rate first falls below 90 % (linear interpolation
on the grid of ``P``). The classical value for random patterns is 0.138 N (Amit, Gutfreund and
Sompolinsky 1985, ``N -> infinity``, a theory number, not a hardware one).

The 5 x 5 letters C, H, N of seed 001's Fig. 4 are stored on tunnel-junction devices (``otj-sto``)
by the Hebbian and by the projection rule, and recalled from noisy (3 pixels flipped) and
incomplete (bottom two rows blank) versions.

Metrics: ``capacity_ideal``, ``capacity_<preset>``, ``recall_10pct_noise`` (ideal devices at the
sweep load), ``recall_10pct_noise_<preset>``, one ``recall_<axis>_<value>`` per non-ideality point,
``letters_recalled_<rule>_<probe>`` (share of the three letters recalled exactly).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from tqdm.auto import tqdm

from memristive.algorithms.hopfield import RULES, HopfieldMemory, corrupt, hebbian_weights, overlap
from memristive.crossbar import CrossbarArray, WeightMapping, Wiring
from memristive.crossbar.circuit import WIRE_OHMS
from memristive.devices import get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext, predicted
from memristive.experiments.otj_letters import LETTERS, letter_mask
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, Interval, SHARE, Settings, above, at_least

AXES = {
    "bits": ("weight levels (bits per device)", "{:g}bit"),
    "import_error": ("programming error (share)", "{:g}err"),
    "stuck": ("stuck devices (share)", "{:g}stuck"),
    "r_wire": ("wire resistance per segment (ohm)", "{:g}ohm"),
}
PROBES = ("noisy", "incomplete")


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``hopfield-recall``."""

    neurons: int = 100
    patterns: tuple[int, ...] = (2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 24)
    trials: int = 8
    noise: float = 0.1
    threshold: float = 0.97
    target_rate: float = 0.9
    preset: str = "taox-hfox"
    w_max: float = 0.125  # the weight of a full window when weights are learnt in situ (ex situ: max |W|)
    sweep_patterns: int = 8
    bits: tuple[int, ...] = (1, 2, 3, 4, 6)
    import_error: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8)
    stuck: tuple[float, ...] = (0.0, 0.05, 0.1, 0.2, 0.3)
    r_wire: tuple[float, ...] = (0.0, 10.0, 30.0, 100.0)
    letter_preset: str = "otj-sto"
    letter_flips: int = 3
    max_sweeps: int = 20

    constraints = {"neurons": at_least(4), "patterns": COUNT, "trials": COUNT, "noise": Interval(0.0, 0.5, "left"),
                   "threshold": Interval(0.0, 1.0, "right"), "target_rate": Interval(0.0, 1.0, "right"),
                   "w_max": above(0.0, 1e6), "sweep_patterns": COUNT, "bits": at_least(1, 32),
                   "import_error": SHARE, "stuck": SHARE, "r_wire": at_least(0.0, WIRE_OHMS[1], "ohm"),
                   "letter_flips": at_least(0, 25), "max_sweeps": COUNT}

    def validate(self) -> None:
        """Increasing pattern counts and presets that exist."""
        require(list(self.patterns) == sorted(set(self.patterns)), f"patterns={self.patterns} must increase")
        low, high = WIRE_OHMS
        require(all(r == 0 or low <= r <= high for r in self.r_wire),
                f"r_wire={self.r_wire}: every value must be 0 (ideal wires) or in [{low:g}, {high:g}] ohm")
        get_preset(self.preset, NonlinearPulseDevice)
        get_preset(self.letter_preset)


FULL = Config()
"""Full: 100 neurons, 2-24 patterns, 8 trials of fresh patterns per point; the sweeps at P = 8 (0.08 N)."""

QUICK = Config(neurons=64, patterns=(2, 4, 6, 8, 10, 12), trials=6, sweep_patterns=5, bits=(1, 2, 4),
               import_error=(0.0, 0.4, 0.8), stuck=(0.0, 0.1, 0.3), r_wire=(0.0, 30.0))
"""Quick: 64 neurons, 2-12 patterns, 6 trials."""


def random_patterns(count: int, neurons: int, generator: torch.Generator) -> torch.Tensor:
    """``count`` random +-1 patterns of ``neurons`` (each neuron +1 with probability 1/2), float64."""
    return torch.where(torch.rand(count, neurons, generator=generator, dtype=torch.float64) < 0.5, -1.0, 1.0)


def _array(config: Config, device, w_max: float, *, bits: int = 0, scheme: str = "one-sided", r_wire: float = 0.0,
           generator: torch.Generator | None = None) -> CrossbarArray:
    mapping = WeightMapping(scheme=scheme, w_max=w_max, slice_bits=bits)
    solver = "circuit" if r_wire > 0 else "ideal"
    wiring = Wiring(r_row=r_wire, r_col=r_wire) if r_wire > 0 else None
    return CrossbarArray(config.neurons, config.neurons, device, mapping, solver=solver, wiring=wiring,
                         generator=generator, dtype=torch.float64)


def _full_scale(patterns: torch.Tensor) -> float:
    """``max |W|`` of the Hebbian weights: the weight a full window holds when they are written ex situ."""
    return float(hebbian_weights(patterns).abs().max().clamp_min(1.0 / patterns.shape[1]))


def _rate(memory: HopfieldMemory, patterns: torch.Tensor, probes: torch.Tensor | None, config: Config,
          generator: torch.Generator) -> float:
    """Share of ``probes`` (default: 10 %-flipped copies of every pattern) recalled to overlap >= threshold."""
    probes = corrupt(patterns, config.noise, generator) if probes is None else probes
    final = memory.recall(probes, max_sweeps=config.max_sweeps, generator=generator).states
    return float((overlap(final, patterns) >= config.threshold).double().mean())


def _sweep_device(config: Config, axis: str, value: float):
    ideal = get_preset(config.preset, NonlinearPulseDevice).ideal()
    return ideal.replace(stuck_share=value) if axis == "stuck" else ideal


def _letters(config: Config, generator: torch.Generator) -> Data:
    """Store C, H, N on the letter preset by each rule; recall noisy and incomplete versions."""
    stored = torch.stack([torch.where(letter_mask(ch).flatten(), 1.0, -1.0) for ch in LETTERS]).double()
    incomplete = stored.clone().reshape(-1, 5, 5)
    incomplete[:, 3:] = -1.0
    probes = {"noisy": corrupt(stored, config.letter_flips / 25, generator), "incomplete": incomplete.reshape(-1, 25)}
    data: Data = {"letters": np.array(list(LETTERS)), "letters_stored": stored.numpy()}
    device = get_preset(config.letter_preset)
    for rule in RULES:
        full_scale = float(RULES[rule](stored).abs().max())
        memory = HopfieldMemory(CrossbarArray(25, 25, device, WeightMapping(w_max=full_scale), generator=generator,
                                              dtype=torch.float64))
        memory.store(stored, rule)
        for name, probe in probes.items():
            data[f"letters_probe_{name}"] = probe.numpy()
            data[f"letters_{rule}_{name}"] = memory.recall(probe, max_sweeps=config.max_sweeps,
                                                           generator=generator).states.numpy()
    return data


def simulate(config: Config, ctx: RunContext) -> Data:
    """Capacity curves (ideal and preset devices), non-ideality sweeps at one load, the letters."""
    generator = ctx.generator()
    preset = get_preset(config.preset, NonlinearPulseDevice)
    ideal = preset.ideal()
    counts = (*config.patterns, config.sweep_patterns)  # the last row: the sweep load
    rates = {"ideal": np.zeros((len(counts), config.trials)), "preset": np.zeros((len(counts), config.trials))}
    points = [(k, t) for k in range(len(counts)) for t in range(config.trials)]
    for k, t in tqdm(points, desc="hopfield capacity", leave=False, disable=None):
        patterns = random_patterns(counts[k], config.neurons, generator)
        exact = HopfieldMemory(_array(config, ideal, _full_scale(patterns), generator=generator))
        exact.store(patterns)
        rates["ideal"][k, t] = _rate(exact, patterns, None, config, generator)
        learnt = HopfieldMemory(_array(config, preset, config.w_max, scheme="balanced", generator=generator))
        learnt.learn(patterns, generator)
        rates["preset"][k, t] = _rate(learnt, patterns, None, config, generator)
    data: Data = {"neurons": config.neurons, "patterns": np.array(config.patterns), "preset": config.preset,
                  "threshold": config.threshold, "target_rate": config.target_rate, "noise": config.noise,
                  "sweep_patterns": config.sweep_patterns, "rate_ideal": rates["ideal"][:-1],
                  "rate_preset": rates["preset"][:-1], "rate_sweep_ideal": rates["ideal"][-1],
                  "rate_sweep_preset": rates["preset"][-1]}
    trials = [random_patterns(config.sweep_patterns, config.neurons, generator) for _ in range(config.trials)]
    trials = [(patterns, corrupt(patterns, config.noise, generator)) for patterns in trials]
    for axis in AXES:  # every value of an axis sees the same patterns and probes (paired comparison)
        values = getattr(config, axis)
        table = np.zeros((len(values), config.trials))
        for i, value in enumerate(tqdm(values, desc=f"hopfield {axis}", leave=False, disable=None)):
            for t, (patterns, probes) in enumerate(trials):
                array = _array(config, _sweep_device(config, axis, value), _full_scale(patterns), generator=generator,
                               bits=int(value) if axis == "bits" else 0, r_wire=value if axis == "r_wire" else 0.0)
                memory = HopfieldMemory(array)
                memory.store(patterns, import_error=value if axis == "import_error" else 0.0, generator=generator)
                table[i, t] = _rate(memory, patterns, probes, config, generator)
        data[f"axis_{axis}"] = np.array(values, dtype=float)
        data[f"rate_{axis}"] = table
    data.update(_letters(config, generator))
    return data


def capacity(patterns: np.ndarray, rate: np.ndarray, neurons: int, target: float) -> float:
    """The load ``P / N`` where ``rate`` (per point of ``patterns``) first falls below ``target``, linearly
    interpolated between the last point above and the first below (the largest load if none falls)."""
    below = np.nonzero(rate < target)[0]
    if not below.size:
        return float(patterns[-1] / neurons)
    k = int(below[0])
    if k == 0:
        return float(patterns[0] / neurons * rate[0] / target)
    step = (rate[k - 1] - target) / (rate[k - 1] - rate[k])
    return float((patterns[k - 1] + step * (patterns[k] - patterns[k - 1])) / neurons)


def metrics(data: Data) -> dict[str, float]:
    """Capacities, the recall rates at the sweep load, every non-ideality point, the letters."""
    preset, neurons, target = str(data["preset"]), int(data["neurons"]), float(data["target_rate"])
    patterns = data["patterns"]
    values = {"capacity_ideal": capacity(patterns, data["rate_ideal"].mean(1), neurons, target),
              f"capacity_{preset}": capacity(patterns, data["rate_preset"].mean(1), neurons, target)}
    values["recall_10pct_noise"] = float(data["rate_sweep_ideal"].mean())
    values[f"recall_10pct_noise_{preset}"] = float(data["rate_sweep_preset"].mean())
    for axis, (_label, fmt) in AXES.items():
        for value, row in zip(data[f"axis_{axis}"], data[f"rate_{axis}"], strict=True):
            values[f"recall_{axis}_{fmt.format(value)}"] = float(row.mean())
    for rule in RULES:
        for probe in PROBES:
            recalled = (data[f"letters_{rule}_{probe}"] == data["letters_stored"]).all(axis=1)
            values[f"letters_recalled_{rule}_{probe}"] = float(recalled.mean())
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Capacity curves, the non-ideality sweeps, the letters."""
    preset, neurons = str(data["preset"]), int(data["neurons"])
    fig, ax = plt.subplots(figsize=(5.5, 4))
    load = data["patterns"] / neurons
    for key, label in (("rate_ideal", "ideal devices, written"), ("rate_preset", f"{preset}, learnt by pulses")):
        rate = data[key]
        ax.errorbar(load, rate.mean(1), yerr=rate.std(1), marker="o", capsize=3, label=label)
    ax.axhline(float(data["target_rate"]), color="grey", ls=":", lw=1)
    ax.axvline(0.138, color="grey", ls="--", lw=1, label="0.138 (Amit et al. 1985, N -> inf)")
    ax.set(xlabel="load P / N", ylabel=f"recall rate (overlap >= {float(data['threshold']):g})", ylim=(-0.02, 1.02),
           title=f"Hopfield recall, N = {neurons}, {float(data['noise']) * 100:g} % of neurons flipped")
    ax.legend(fontsize=8)
    figures = {"capacity": fig}
    fig, axes = plt.subplots(1, len(AXES), figsize=(3.2 * len(AXES), 3), sharey=True)
    for ax, (axis, (label, _fmt)) in zip(axes, AXES.items(), strict=True):
        rate = data[f"rate_{axis}"]
        ax.errorbar(data[f"axis_{axis}"], rate.mean(1), yerr=rate.std(1), marker="o", capsize=3)
        ax.set(xlabel=label, ylim=(-0.02, 1.02))
    axes[0].set_ylabel("recall rate")
    fig.suptitle(f"Non-idealities at P = {int(data['sweep_patterns'])}, N = {neurons} (ideal devices otherwise)")
    figures["nonidealities"] = fig
    rows = [("stored", data["letters_stored"])]
    for probe in PROBES:
        rows.append((f"{probe} probe", data[f"letters_probe_{probe}"]))
        rows += [(f"{rule}: {probe}", data[f"letters_{rule}_{probe}"]) for rule in RULES]
    fig, axes = plt.subplots(len(data["letters"]), len(rows), figsize=(1.15 * len(rows), 1.3 * len(data["letters"])))
    for c, (label, images) in enumerate(rows):
        for r, image in enumerate(images):
            axes[r, c].imshow(image.reshape(5, 5), cmap="gray_r", vmin=-1, vmax=1)
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
        axes[0, c].set_title(label.replace(": ", ":\n"), fontsize=7)
    fig.suptitle("Letters on tunnel junctions", fontsize=9)
    figures["letters"] = fig
    return figures


def cost(config: Config, dataset: None) -> Cost:
    """Neuron x neuron weight arrays (device states of a few tensors) per recall; every neuron updated in turn for
    up to ``max_sweeps`` sweeps of every pattern of every trial and setting."""
    settings = len(config.patterns) + 1 + len(config.bits) + len(config.import_error) + len(config.stuck) \
        + len(config.r_wire)
    recalls = config.trials * (sum(config.patterns) + config.sweep_patterns * settings)
    return Cost(memory_bytes=config.neurons**2 * 8 * 40, steps=recalls * config.max_sweeps * config.neurons)


EXPERIMENT = register(Experiment(
    name="hopfield-recall",
    reference="hu2015",
    summary="Hopfield associative memory on crossbars: capacity, non-idealities, letters on tunnel junctions",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {"capacity_ideal": predicted(0.138, detail="theory for N -> infinity (Amit et al. 1985); "
                                                                    "finite N and a 90 % recall criterion here")},
))
