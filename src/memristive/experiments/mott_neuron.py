"""``mott-neuron``: the Mott relaxation oscillator and the Hodgkin-Huxley neuristor of two Mott memristors.

Pickett et al. (Nat. Mater. 12, 114, 2013; seed 002 Fig. 8c-e): two NbO2 Mott memristors, each with
a capacitor in parallel and biased in opposite polarity, coupled through a resistor
(:class:`~memristive.spiking.mott_neuron.MottNeuristor`), spike all or nothing, fire continuously
above a threshold current, are refractory after a spike, and fire regular spikes, chattering bursts
or fast spikes depending on the channel capacitances. Protocols, all on the ``mott-nbo2`` preset:

* firing modes: a constant ``drive_a`` into each capacitance setting; the pattern is read from the
  inter-spike intervals (:func:`~memristive.spiking.firing.firing_mode`);
* threshold: the smallest constant current giving continuous spiking (two or more spikes in the
  second half of ``duration_s``), by bisection, at the first setting;
* all or nothing: single pulses of ``pulse_s`` at ``pulse_scales`` times ``pulse_a``: spikes and the
  swing of node 1 below its rest;
* refractory period: two ``pulse_a`` pulses; the shortest onset-to-onset interval at which the second
  evokes a spike, by bisection;
* relaxation oscillator: one device with a parallel capacitor fed through a series resistor; it
  oscillates between the two resistances where the load line meets the negative-resistance branch,
  predicted as the load lines through the device's turning points, ``(V_s - V_hold) / I_hold`` and
  ``(V_s - V_th) / I_th`` (:meth:`~memristive.devices.mott.MottMemristor.turning_points`).

The circuits are deterministic (no seed enters). The paper shows traces, no numbers; the circuit
values (capacitances, coupling, bias) are our choices.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

from memristive.devices import MottMemristor, get_preset
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.registry import register
from memristive.experiments.settings import DURATION, VOLTAGE, Settings, above, at_least
from memristive.errors import MemristiveError
from memristive.spiking.firing import MODES, firing_mode
from memristive.spiking.mott_neuron import MottNeuristor, MottOscillator

CURRENT = above(0.0, 1.0, "A")
CAPACITANCE = above(0.0, 1e-3, "F")
RESISTANCE = above(0.0, 1e9, "ohm")


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``mott-neuron`` (SI units)."""

    preset: str = "mott-nbo2"
    coupling_ohm: float = 3e3
    bias_v: float = 0.9
    c1_f: tuple[float, ...] = (100e-12, 100e-12, 30e-12)
    c2_f: tuple[float, ...] = (3e-9, 100e-12, 100e-12)
    drive_a: float = 1e-4
    duration_s: float = 30e-6
    burst_ratio: float = 1.5
    adaptation_ratio: float = 1.15
    bisections: int = 8
    pulse_a: float = 3e-4
    pulse_s: float = 100e-9
    pulse_scales: tuple[float, ...] = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
    settle_s: float = 5e-6
    max_interval_s: float = 5e-6
    source_v: float = 1.5
    oscillator_c_f: float = 100e-12
    series_ohm: tuple[float, ...] = (1.5e3, 2.5e3, 3e3, 3.5e3, 4e3, 4.5e3, 5.5e3, 7e3)

    constraints = {"coupling_ohm": RESISTANCE, "bias_v": VOLTAGE, "c1_f": CAPACITANCE, "c2_f": CAPACITANCE,
                   "drive_a": CURRENT, "duration_s": DURATION, "burst_ratio": above(1.0, 100.0),
                   "adaptation_ratio": above(1.0, 100.0), "bisections": at_least(1, 40), "pulse_a": CURRENT,
                   "pulse_s": DURATION, "pulse_scales": above(0.0, 100.0), "settle_s": DURATION,
                   "max_interval_s": DURATION, "source_v": VOLTAGE, "oscillator_c_f": CAPACITANCE,
                   "series_ohm": RESISTANCE}

    def validate(self) -> None:
        """A Mott preset; one capacitance pair per firing mode; a bias below threshold; intervals longer than a pulse."""
        model = get_preset(self.preset, MottMemristor)
        if not len(self.c1_f) == len(self.c2_f) == len(MODES):
            raise MemristiveError(f"c1_f={self.c1_f} and c2_f={self.c2_f} must give one setting per mode "
                                  f"({', '.join(MODES)})")
        if self.max_interval_s <= self.pulse_s:
            raise MemristiveError(f"max_interval_s={self.max_interval_s} must exceed pulse_s={self.pulse_s}")
        MottNeuristor(model, self.c1_f[0], self.c2_f[0], self.coupling_ohm, self.bias_v)


QUICK = Config()
"""Quick: 30 us per firing-mode run, 8 bisections."""

FULL = Config(duration_s=80e-6, bisections=14,
              series_ohm=tuple(float(r) for r in np.linspace(1.5e3, 7e3, 23)))
"""Full: 80 us per run, 14 bisections, 23 series resistances."""

TRACE_STEP_S = 10e-9
"""Sample spacing of the recorded firing-mode traces, s (a spike lasts ~100 ns)."""

COUNT_SPIKES_FROM = 0.5
"""Continuous spiking: at least two spikes after this share of the run."""


def _neuristor(config: Config, setting: int) -> MottNeuristor:
    model = get_preset(config.preset, MottMemristor)
    return MottNeuristor(model, config.c1_f[setting], config.c2_f[setting], config.coupling_ohm, config.bias_v)


def _late_spikes(spikes_s: np.ndarray, duration: float) -> int:
    """Spikes after ``COUNT_SPIKES_FROM`` of a run of ``duration`` s (two or more: continuous spiking)."""
    return int((spikes_s > COUNT_SPIKES_FROM * duration).sum())


def _continuous(neuristor: MottNeuristor, rest: np.ndarray, current: float, duration: float) -> bool:
    return _late_spikes(neuristor.run([(duration, current)], y0=rest).spikes_s, duration) >= 2


def _bisect(fires, low: float, high: float, steps: int) -> float:
    """The smallest value in ``(low, high]`` where ``fires`` holds (``fires(high)`` must hold), to ``steps`` halvings."""
    if not fires(high):
        return float("nan")
    for _ in range(steps):
        mid = 0.5 * (low + high)
        low, high = (low, mid) if fires(mid) else (mid, high)
    return high


def simulate(config: Config, ctx: RunContext) -> Data:
    """The five protocols of the module docstring."""
    data: Data = {}
    modes, rests = [], []
    for setting, label in enumerate(tqdm(MODES, desc="firing modes", leave=False, disable=None)):
        circuit = _neuristor(config, setting)
        rests.append(circuit.rest())
        trace = circuit.run([(config.duration_s, config.drive_a)], y0=rests[-1],
                            samples_per_segment=round(config.duration_s / TRACE_STEP_S))
        modes.append(firing_mode(trace.spikes_s, burst_ratio=config.burst_ratio,
                                 adaptation_ratio=config.adaptation_ratio))
        data[f"isi_s_{label}"] = np.diff(trace.spikes_s)
        data[f"t_s_{label}"], data[f"v1_{label}"] = trace.t_s, trace.voltages_v[0]
    data["modes"] = np.array(modes)
    neuristor, rest = _neuristor(config, 0), rests[0]
    data["threshold_a"] = _bisect(lambda i: _continuous(neuristor, rest, i, config.duration_s), 0.0, config.drive_a,
                                  config.bisections)

    def pulse(scale: float, gap: float | None = None):
        segments = [(config.pulse_s, scale * config.pulse_a)]
        if gap is not None:
            segments += [(gap - config.pulse_s, 0.0), (config.pulse_s, config.pulse_a)]
        return neuristor.run(segments + [(config.settle_s, 0.0)], y0=rest)

    singles = [pulse(scale) for scale in config.pulse_scales]
    data["pulse_a"] = np.array(config.pulse_scales) * config.pulse_a
    data["pulse_spikes"] = np.array([len(t.spikes_s) for t in singles])
    data["pulse_swing_v"] = np.array([rest[0] - t.voltages_v[0].min() for t in singles])
    if len(pulse(1.0).spikes_s) != 1:
        raise MemristiveError(f"one pulse of pulse_a={config.pulse_a} A must evoke exactly one spike")
    data["refractory_s"] = _bisect(lambda gap: len(pulse(1.0, gap).spikes_s) >= 2, config.pulse_s,
                                   config.max_interval_s, config.bisections)
    model = get_preset(config.preset, MottMemristor)
    oscillations = []
    for ohm in config.series_ohm:
        oscillator = MottOscillator(model, config.source_v, ohm, config.oscillator_c_f)
        spikes = oscillator.run([(config.duration_s, 0.0)], y0=np.array([0.0, model.ambient_k])).spikes_s
        oscillations.append(_late_spikes(spikes, config.duration_s))
    data["oscillator_spikes"] = np.array(oscillations)
    data["series_ohm"] = np.array(config.series_ohm)
    (v_th, i_th), (v_hold, i_hold) = model.turning_points()
    data["predicted_window_ohm"] = np.array([(config.source_v - v_hold) / i_hold, (config.source_v - v_th) / i_th])
    return data


def metrics(data: Data) -> dict[str, float]:
    """Threshold current, refractory period, modes found, all-or-nothing spread, the oscillation window."""
    fired = data["pulse_spikes"] > 0
    swing = data["pulse_swing_v"][fired]
    spread = float((swing.max() - swing.min()) / swing.mean()) if swing.size else float("nan")
    oscillating = data["series_ohm"][data["oscillator_spikes"] >= 2]
    low, high = data["predicted_window_ohm"]
    return {
        "threshold_current_a": float(data["threshold_a"]),
        "refractory_s": float(data["refractory_s"]),
        "modes_found": float(len(set(data["modes"]) & set(MODES))),
        "modes_as_labelled": float(sum(str(m) == label for m, label in zip(data["modes"], MODES))),
        "amplitude_spread": spread,
        "oscillation_min_ohm": float(oscillating.min()) if oscillating.size else float("nan"),
        "oscillation_max_ohm": float(oscillating.max()) if oscillating.size else float("nan"),
        "predicted_min_ohm": float(low),
        "predicted_max_ohm": float(high),
    }


def plot(data: Data) -> dict[str, plt.Figure]:
    """Node-1 voltage of the three settings; ISI sequences; all-or-nothing and the oscillation window."""
    fig, axes = plt.subplots(len(MODES), 1, figsize=(8, 6), sharex=True)
    for ax, label, mode in zip(axes, MODES, data["modes"]):
        ax.plot(np.asarray(data[f"t_s_{label}"]) * 1e6, data[f"v1_{label}"], lw=0.8)
        ax.set(ylabel="V1 (V)", title=f"setting for {label} spiking: read as {mode}")
    axes[-1].set(xlabel="time (us)")
    fig.tight_layout()
    fig2, (ax_isi, ax_pulse, ax_osc) = plt.subplots(1, 3, figsize=(12, 3.5))
    for label in MODES:
        ax_isi.plot(np.asarray(data[f"isi_s_{label}"]) * 1e6, marker=".", label=label)
    ax_isi.set(xlabel="interval index", ylabel="ISI (us)", title="inter-spike intervals")
    ax_isi.legend(fontsize=8)
    labels = [f"{a * 1e6:.0f}" for a in data["pulse_a"]]
    ax_pulse.bar(labels, data["pulse_swing_v"], color=["C1" if s else "C7" for s in data["pulse_spikes"]])
    ax_pulse.set(xlabel="pulse current (uA)", ylabel="node-1 swing below rest (V)",
                 title="all or nothing (orange: spiked)")
    ax_osc.plot(np.asarray(data["series_ohm"]) * 1e-3, data["oscillator_spikes"], marker="o")
    for edge in data["predicted_window_ohm"]:
        ax_osc.axvline(edge * 1e-3, color="k", ls="--", lw=0.8)
    ax_osc.set(xlabel="series resistance (kOhm)", ylabel="spikes (second half)",
               title="relaxation oscillator (dashed: predicted window)")
    fig2.tight_layout()
    return {"firing_modes": fig, "neuristor": fig2}


def cost(config: Config, dataset: None) -> Cost:
    """Solver runs: the modes, the threshold and refractory bisections, the pulses, the oscillators."""
    runs = len(MODES) + 2 * (config.bisections + 1) + len(config.pulse_scales) + len(config.series_ohm)
    return Cost(memory_bytes=64 * 4 * 1000 * runs, steps=runs)


EXPERIMENT = register(Experiment(
    name="mott-neuron",
    reference="pickett2013",
    summary="Hodgkin-Huxley neuristor of two Mott memristors: threshold, refractory period, three firing modes",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
    slow=True,
))
