"""``otj-stp``: short-term plasticity of the oxide tunnel junction: EPSC, PPF, PTP (seed 001, Fig. 2).

From the pristine HRS the device receives 50 ns pulses and is read at 0.1 V between
them (reads do not disturb it); the EPSC is the read current.

- Single pulses of 0.2, 0.6 and 1 V (Fig. 2a); ``tau1_us`` is the time constant of a
  log-linear fit of the 1 V EPSC's decay towards its resting value (``I = I0 exp(-t/tau1)``).
- Trains of 10 pulses of 0.6 V at each interval of ``intervals_s`` (Fig. 2b-d); the EPSC
  peak after pulse k is ``A_k``; PPF index ``(A2 - A1) / A1`` and PTP index
  ``(A10 - A1) / A1`` in percent vs the interval.

Metrics: ``tau1_us``, ``ppf_index_min_interval``, ``ptp_index_min_interval`` (at the
shortest interval), ``ppf_monotonic`` / ``ptp_monotonic`` (1 when the index falls with every
longer interval), ``ppf_decay_us`` (time constant of an exponential fitted to PPF vs the
interval). The paper gives no numbers for these in its text (Fig. 2d, S2, S3).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from memristive.devices import get_preset
from memristive.devices.tunnel_junction import TunnelJunctionSynapse
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext, decay_time_constant, predicted
from memristive.experiments.registry import register
from memristive.experiments.settings import Settings, above, at_least
from memristive.spiking.protocols import drive, epsc_peaks, facilitation_index
from memristive.spiking.waveforms import pulse_train

DT_S = 10e-9


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``otj-stp``."""

    preset: str = "otj-sto"
    amplitudes: tuple[float, ...] = (0.2, 0.6, 1.0)
    train_v: float = 0.6
    width_s: float = 50e-9
    intervals_s: tuple[float, ...] = (50e-9, 100e-9, 200e-9, 500e-9, 1e-6, 2e-6, 5e-6, 10e-6)
    record_s: float = 20e-6

    constraints = {"amplitudes": above(0.0, 100.0, "V"), "train_v": above(0.0, 100.0, "V"),
                   "width_s": at_least(DT_S, 1e6, "s"), "intervals_s": at_least(DT_S, 1e6, "s"),
                   "record_s": at_least(DT_S, 1e6, "s")}

    def validate(self) -> None:
        """A tunnel-junction preset, two intervals at least, a record longer than a pulse."""
        get_preset(self.preset, TunnelJunctionSynapse)
        require(len(self.intervals_s) >= 2, "need >= 2 intervals_s")
        require(self.record_s > self.width_s, "need record_s > width_s")


QUICK = Config()
"""Quick and full are the same (about a second)."""

FULL = QUICK
"""Full: the same settings."""


LEAD_S = 1e-6
"""Time before the first pulse of every record (s)."""


def simulate(config: Config, ctx: RunContext) -> Data:
    """Read current after one pulse of each amplitude; EPSC peaks of a 10-pulse train at each interval."""
    device = get_preset(config.preset, TunnelJunctionSynapse)
    singles = torch.stack([pulse_train(a, config.width_s, 0.0, 1, DT_S, config.record_s, start_s=LEAD_S)
                           for a in config.amplitudes])
    single = drive(device, device.sample((len(config.amplitudes),), dtype=torch.float64), singles, DT_S)
    rest = device.current(device.sample((), dtype=torch.float64), device.read_v).item()

    longest = 10 * (config.width_s + max(config.intervals_s)) + 2e-6
    trains = torch.stack([pulse_train(config.train_v, config.width_s, interval, 10, DT_S,
                                      round(longest / DT_S) * DT_S, start_s=LEAD_S) for interval in config.intervals_s])
    train = drive(device, device.sample((len(config.intervals_s),), dtype=torch.float64), trains, DT_S)
    return {"t": np.arange(singles.shape[-1]) * DT_S, "single_current": single.current.numpy(), "rest_current": rest,
            "amplitudes": np.array(config.amplitudes), "width_s": config.width_s, "train_v": config.train_v,
            "intervals_s": np.array(config.intervals_s), "peaks": epsc_peaks(train).numpy()}


def _analysis(data: Data) -> tuple[float, np.ndarray, np.ndarray]:
    """tau1 of the largest pulse's EPSC decay, PPF and PTP per interval."""
    t = data["t"]
    after = t >= LEAD_S + float(data["width_s"])
    tau1 = decay_time_constant(t[after], data["single_current"][-1][after] - float(data["rest_current"]))
    peaks = torch.from_numpy(data["peaks"])
    return tau1, facilitation_index(peaks, 2).numpy(), facilitation_index(peaks, 10).numpy()


def metrics(data: Data) -> dict[str, float]:
    """tau1, PPF and PTP at the shortest interval, whether both fall with the interval, PPF's decay time."""
    tau1, ppf, ptp = _analysis(data)
    ppf_decay = -1.0 / np.polyfit(data["intervals_s"], np.log(np.clip(ppf, 1e-9, None)), 1)[0]
    return {
        "tau1_us": float(tau1) * 1e6,
        "ppf_index_min_interval": float(ppf[0]),
        "ptp_index_min_interval": float(ptp[0]),
        "ppf_monotonic": float(np.all(np.diff(ppf) < 0)),
        "ptp_monotonic": float(np.all(np.diff(ptp) < 0)),
        "ppf_decay_us": float(ppf_decay) * 1e6,
    }


def plot(data: Data) -> dict[str, plt.Figure]:
    """EPSCs after one pulse, peaks along each train, PPF and PTP vs interval."""
    tau1, ppf, ptp = _analysis(data)
    t, width_s, intervals = data["t"], float(data["width_s"]), data["intervals_s"]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    for a, row in zip(data["amplitudes"], data["single_current"], strict=True):
        axes[0].plot(t * 1e6, row * 1e9, label=f"{a:g} V")
    axes[0].set(xlabel="time (us)", ylabel="read current at 0.1 V (nA)", yscale="log",
                title=f"EPSC after one {width_s * 1e9:g} ns pulse (tau1 {tau1 * 1e6:.2f} us)")
    axes[0].legend()
    for row, interval in zip(data["peaks"], intervals, strict=True):
        axes[1].plot(np.arange(1, 11), row * 1e9, "o-", ms=3, label=f"{1 / (width_s + interval) / 1e6:.3g} MHz")
    axes[1].set(xlabel="pulse number", ylabel="EPSC peak (nA)", title=f"10 pulses of {float(data['train_v']):g} V")
    axes[1].legend(fontsize=7)
    axes[2].semilogx(intervals * 1e6, ppf, "o-", label="PPF (A2-A1)/A1")
    axes[2].semilogx(intervals * 1e6, ptp, "s-", label="PTP (A10-A1)/A1")
    axes[2].set(xlabel="interval (us)", ylabel="index (%)", title="Facilitation vs interval")
    axes[2].legend()
    for ax in axes:
        ax.grid(alpha=0.3, which="both")
    return {"epsc_ppf_ptp": fig}


def cost(config: Config, dataset: None) -> Cost:
    """Every 10 ns step of the single pulses and of the pulse pairs, recorded."""
    steps = (config.record_s + max(config.intervals_s) + 2 * config.width_s) / DT_S
    return Cost(memory_bytes=steps * (len(config.amplitudes) + len(config.intervals_s)) * 8 * 8, steps=2 * steps)


EXPERIMENT = register(Experiment(
    name="otj-stp",
    reference="li2019",
    summary="Oxide tunnel junction short-term plasticity: EPSC decay, PPF and PTP vs interval (seed 001 Fig. 2)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {key: predicted(1.0, 0.5, absolute=True, detail="1: falls with the interval (Fig. 2d)")
                          for key in ("ppf_monotonic", "ptp_monotonic")},
))
