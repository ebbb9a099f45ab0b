"""``tpt-dual-mode``: diffusive-to-nonvolatile forming of TPT-RAM by pulse trains (seed 000, Fig. 4).

Populations of pristine dual-mode devices (:mod:`memristive.devices.dual_mode`) receive
trains of 10, 50, 100 and 200 pulses (3 V, 10 ms, 10 ms apart), then rest 5 s; the
conductance is read after every pulse and every 10 ms of rest. A second population gets
one 4 V / 10 ms pulse.

Metrics: ``formed_after_pulses`` (mean pulse index at which devices of the longest train
formed), ``formed_share_50``, ``formed_share_100`` (shares formed by the 50- and
100-pulse trains), ``relaxation_tau_s`` (log-linear fit of the 10-pulse train's decay),
``recovery_time_s`` (until the volatile excess is below 5 % of its end-of-train value),
``formed_by_single_4v`` (share), ``retention_years_25c`` (Arrhenius). Paper: <= 50 pulses
stay diffusive, >= 100 form; back to HRS "within ~1 s"; one ~4 V pulse forms; > 10 years.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import torch

from memristive.devices.dual_mode import DualModeDevice, DualModeState
from memristive.devices.presets import TPT_RAM_110_DUAL
from memristive.experiments.base import Cost, Data, Experiment, RunContext, calibrated, decay_time_constant
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, Settings, VOLTAGE

SECONDS_PER_YEAR = 365.25 * 24 * 3600


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``tpt-dual-mode``."""

    trains: tuple[int, ...] = (10, 50, 100, 200)
    devices: int = 64
    pulse_v: float = 3.0
    width_s: float = 10e-3
    interval_s: float = 10e-3
    rest_s: float = 5.0
    read_step_s: float = 10e-3

    constraints = {"trains": COUNT, "devices": COUNT, "pulse_v": VOLTAGE, "width_s": DURATION,
                   "interval_s": DURATION, "rest_s": DURATION, "read_step_s": DURATION}


QUICK = Config()
"""Quick: 64 devices."""

FULL = Config(devices=1000)
"""Full: 1,000 devices."""


class TrainRun(NamedTuple):
    """One pulse train and its rest: read times (s), mean conductance (S, ``trace[0]`` is the
    pristine HRS), index of the last pulse's read, pulse at which each device formed (-1: never),
    and the final state."""

    times: np.ndarray
    trace: np.ndarray
    end: int
    formed_at: torch.Tensor
    state: DualModeState


def _train(device: DualModeDevice, config: Config, n_pulses: int, generator: torch.Generator) -> TrainRun:
    """Apply ``n_pulses`` pulses, then rest, reading the mean conductance throughout."""
    state = device.sample((config.devices,), generator=generator, dtype=torch.float64)
    times, trace = [0.0], [device.conductance(state).mean().item()]
    formed_at = torch.full((config.devices,), -1)
    t = 0.0
    for k in range(1, n_pulses + 1):
        state = device.apply_voltage(state, config.pulse_v, config.width_s, generator=generator)
        formed_at = torch.where((formed_at < 0) & state.formed, k, formed_at)
        state = device.advance(state, config.interval_s)
        t += config.width_s + config.interval_s
        times.append(t)
        trace.append(device.conductance(state).mean().item())
    end = len(times) - 1
    for _ in range(int(round(config.rest_s / config.read_step_s))):
        state = device.advance(state, config.read_step_s)
        t += config.read_step_s
        times.append(t)
        trace.append(device.conductance(state).mean().item())
    return TrainRun(np.array(times), np.array(trace), end, formed_at, state)


def simulate(config: Config, ctx: RunContext) -> Data:
    """Run every train and its rest; then one single 4 V pulse on fresh devices."""
    device = TPT_RAM_110_DUAL
    generator = ctx.generator()
    results = {n: _train(device, config, n, generator) for n in config.trains}
    fresh = device.sample((config.devices,), generator=generator, dtype=torch.float64)
    single = device.apply_voltage(fresh, 4.0, config.width_s, generator=generator)
    data: Data = {"trains": np.array(config.trains), "pulse_v": config.pulse_v, "width_s": config.width_s,
                  "formed_at_longest": results[max(config.trains)].formed_at.numpy(),
                  "formed_by_single_4v": float(single.formed.double().mean()),
                  "retention_years_25c": device.retention_s(25.0) / SECONDS_PER_YEAR}
    for n, run_ in results.items():
        data.update({f"times_{n}": run_.times, f"trace_{n}": run_.trace, f"end_{n}": run_.end,
                     f"formed_share_{n}": float(run_.state.formed.double().mean())})
    return data


def metrics(data: Data) -> dict[str, float]:
    """Forming pulses and shares, the shortest train's relaxation time constant and recovery, retention."""
    shortest = int(data["trains"].min())
    trace, times, end = data[f"trace_{shortest}"], data[f"times_{shortest}"], int(data[f"end_{shortest}"])
    excess = trace[end:] - trace[0]
    rest_t = times[end:] - times[end]
    longest = data["formed_at_longest"]
    return {
        "formed_after_pulses": float(longest[longest > 0].mean()) if (longest > 0).any() else float("nan"),
        "formed_share_50": float(data.get("formed_share_50", float("nan"))),
        "formed_share_100": float(data.get("formed_share_100", float("nan"))),
        "relaxation_tau_s": decay_time_constant(rest_t, excess),
        "recovery_time_s": float(rest_t[np.argmax(excess < 0.05 * excess[0])]),
        "formed_by_single_4v": float(data["formed_by_single_4v"]),
        "retention_years_25c": float(data["retention_years_25c"]),
    }


def plot(data: Data) -> dict[str, plt.Figure]:
    """Mean conductance vs time of every train and its rest."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for n in data["trains"]:
        times = data[f"times_{n}"]
        ax.semilogy(times, data[f"trace_{n}"] * 1e6, label=f"{n} pulses")
        ax.axvline(times[int(data[f"end_{n}"])], color="0.85", lw=0.6)
    ax.set(xlabel="time (s)", ylabel="mean conductance (uS)",
           title=f"TPT-RAM dual mode: {float(data['pulse_v']):g} V / {float(data['width_s']) * 1e3:g} ms trains, then rest")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return {"dual_mode": fig}


def cost(config: Config, dataset: None) -> Cost:
    """Every pulse of every train, then every read of the rest, for all devices."""
    reads = config.rest_s / config.read_step_s
    steps = sum(config.trains) + len(config.trains) * reads
    return Cost(memory_bytes=config.devices * (max(config.trains) + reads) * 8 * 4, steps=steps)


EXPERIMENT = register(Experiment(
    name="tpt-dual-mode",
    reference="mou2021",
    summary="Dual-mode TPT-RAM: pulse trains form (or not) a diffusive device; relaxation, retention (seed 000 Fig. 4)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {"formed_share_50": calibrated(0.0, "tpt-ram-110-dual forming threshold distribution"),
                          "formed_share_100": calibrated(1.0, "tpt-ram-110-dual forming threshold distribution"),
                          "recovery_time_s": calibrated(1.0, "tpt-ram-110-diffusive tau_relax"),
                          "formed_by_single_4v": calibrated(1.0, "tpt-ram-110-dual v_f and tau_f"),
                          "retention_years_25c": calibrated(10.0, "tpt-ram-110-dual Ea = 1.8 eV")},
))
