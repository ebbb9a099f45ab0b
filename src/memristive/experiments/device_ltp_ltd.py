"""``device-ltp-ltd``: pulse-response (LTP/LTD) cycles of a device preset.

Reproduces the identical-pulse LTP/LTD measurement of seed 000 (Fig. 3A, fig. S10A:
50 set + 50 reset pulses of 1 V / 1 us per cycle, read at 0.2 V) for any preset.
A population of devices (d2d drawn once) runs ``cycles`` cycles with c2c noise for
the figure; the nominal device without noise gives the metrics:

* ``nu_ltp``, ``nu_ltd``: nonlinearity labels recovered from the simulated curves by
  the max-deviation definition (:func:`memristive.devices.label_from_curve`);
* ``levels``: pulses needed to cover 99.5 % of the range in LTP;
* ``on_off``: Gmax / Gmin reached by the cycle;
* ``c2c_pct``: measured sigma of one pulse's change about the noiseless change, in %
  of the range (checks the noise model's sqrt-pulse scaling at n = 1).

Paper values are the numbers the preset was built from (seed 000 for TPT-RAM; the
NeuroSim table for the others), so the run checks the model against its source.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from memristive.devices import get_preset, label_from_curve
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import MemristiveError
from memristive.experiments.base import Claim, Cost, Data, Experiment, RunContext, calibrated
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, Settings


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``device-ltp-ltd``."""

    preset: str = "tpt-ram-110"
    cycles: int = 5
    devices: int = 16

    constraints = {"cycles": COUNT, "devices": COUNT}

    def validate(self) -> None:
        """An analog nonlinear preset."""
        if not isinstance(get_preset(self.preset), NonlinearPulseDevice):
            raise MemristiveError(f"device-ltp-ltd needs an analog nonlinear preset; {self.preset!r} is "
                                  f"{type(get_preset(self.preset)).__name__} (try qc-state-distribution)")


QUICK = Config()
"""Same size in both modes: the run takes well under a second."""

FULL = QUICK
"""Full: the same settings."""


def _cycle(device: NonlinearPulseDevice, state, generator, pulses_up: int, pulses_down: int):
    """Conductance after every pulse of one LTP-then-LTD cycle: [pulses + 1, devices]."""
    trace = [state.g]
    for n in [1.0] * pulses_up + [-1.0] * pulses_down:
        state = device.pulse(state, torch.tensor(n), generator=generator)
        trace.append(state.g)
    return torch.stack(trace), state


def simulate(config: Config, ctx: RunContext) -> Data:
    """The noiseless nominal cycle, one noisy pulse from each of its states, and the population's cycles."""
    device = get_preset(config.preset)
    generator = ctx.generator()
    p = device.levels

    nominal = device.ideal()
    clean, _ = _cycle(nominal, nominal.sample((1,), dtype=torch.float64), None, p, p)
    clean = clean[:, 0]

    # c2c: one noisy pulse from every noiseless LTP state, compared later with the noiseless step.
    states = nominal.sample((p,), dtype=torch.float64).with_g(clean[:p])
    noisy = device.replace(d2d_g_sigma=0.0, d2d_nu_sigma=0.0)
    stepped = noisy.pulse(states, torch.tensor(1.0), generator=generator).g

    population = device.sample((config.devices,), generator=generator, dtype=torch.float64)
    traces = []
    for _ in range(config.cycles):
        trace, population = _cycle(device, population, generator, p, p)
        traces.append(trace[:-1] if len(traces) < config.cycles - 1 else trace)
    return {"clean": clean.numpy(), "stepped": stepped.numpy(), "traces": torch.cat(traces).numpy(),
            "levels": p, "cycles": config.cycles, "device": device.name}


def _curves(data: Data) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The noiseless LTP and LTD halves of the cycle and the range they span."""
    clean, p = data["clean"], int(data["levels"])
    return clean[: p + 1], clean[p:], clean[0], clean[p]


def metrics(data: Data) -> dict[str, float]:
    """Nonlinearity labels, levels to 99.5 % of the range, on/off, c2c sigma of one pulse."""
    ltp, ltd, g_lo, g_hi = _curves(data)
    reach = np.nonzero(ltp >= g_lo + 0.995 * (g_hi - g_lo))[0][0]
    stepped = data["stepped"]
    interior = (stepped > g_lo) & (stepped < g_hi)  # clipping at the bounds hides noise
    c2c = np.std(stepped[interior] - ltp[1:][interior]) / (g_hi - g_lo)
    values = {"nu_ltp": label_from_curve(ltp), "nu_ltd": label_from_curve(ltd), "levels": int(reach),
              "on_off": g_hi / g_lo, "c2c_pct": 100 * c2c}
    return {k: float(v) for k, v in values.items()}


def plot(data: Data) -> dict[str, plt.Figure]:
    """The population's cycles, and the noiseless curves normalised."""
    ltp, ltd, g_lo, g_hi = _curves(data)
    traces = data["traces"] * 1e6
    fig, (ax_t, ax_n) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [2, 1]})
    pulses = np.arange(len(traces))
    ax_t.plot(pulses, traces[:, 1:], color="0.75", lw=0.6)
    ax_t.plot(pulses, traces[:, 0], color="C0", lw=1.2, label="one device (c2c + d2d)")
    ax_t.set(xlabel="pulse number", ylabel="conductance (uS)",
             title=f"{data['device']}: {int(data['cycles'])} LTP/LTD cycles")
    ax_t.legend(loc="upper right", fontsize=8)
    x = np.linspace(0, 1, int(data["levels"]) + 1)
    ax_n.plot(x, (ltp - g_lo) / (g_hi - g_lo), label=f"LTP, nu = {label_from_curve(ltp):.2f}")
    ax_n.plot(x, (ltd[::-1] - g_lo) / (g_hi - g_lo), label=f"LTD, nu = {label_from_curve(ltd):.2f}")
    ax_n.plot([0, 1], [0, 1], "k:", lw=0.8)
    ax_n.set(xlabel="pulse position x = p / P", ylabel="(G - Gmin) / (Gmax - Gmin)", title="normalised (noiseless)")
    ax_n.legend(fontsize=8)
    return {"ltp_ltd": fig}


def paper_values(config: Config) -> dict[str, Claim]:
    """The source's numbers for the configured preset: each is the preset field it was set from, so the run
    checks the model against its parameters (calibrations read back), and predicts nothing."""
    device = get_preset(config.preset)
    return {"nu_ltp": calibrated(device.nu_ltp, f"{device.name} nu_ltp"),
            "nu_ltd": calibrated(device.nu_ltd, f"{device.name} nu_ltd"),
            "levels": calibrated(device.levels, f"{device.name} levels"),
            "on_off": calibrated(device.on_off, f"{device.name} g_max / g_min"),
            "c2c_pct": calibrated(100 * device.c2c_sigma, f"{device.name} c2c_sigma")}


def cost(config: Config, dataset: None) -> Cost:
    """Every device's conductance after every pulse of every cycle (LTP then LTD sweeps)."""
    pulses = 2 * get_preset(config.preset).levels
    return Cost(memory_bytes=config.devices * config.cycles * pulses * 8 * 2, steps=config.cycles * pulses)


EXPERIMENT = register(Experiment(
    name="device-ltp-ltd",
    reference="mou2021",
    summary="LTP/LTD pulse-response cycles of a device preset; nonlinearity recovered (seed 000 Fig. 3)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=paper_values,
))
