"""``qc-state-distribution``: conductance statistics of the quantized-conductance HfOx device (seed 004, Figs. 3-4).

Many simulated devices of samples A and B (presets ``hfox-qc-a`` / ``hfox-qc-b``) each
run the paper's protocol: 12 cycles of reset pulses from 16 G0 down to 0.5 G0, one
state per pulse. Metrics, as the paper measures them:

* ``fwhm_state5_{a,b}``, ``fwhm_state29_{a,b}``: FWHM (G0) of a Gaussian fitted to the
  histogram of all reads at the 5th (14 G0) and 29th (2 G0) pulse states (paper: 4.4 / 5.5
  and 1.2 / 2.3, Fig. 3c-f);
* ``spread_16g0_{a,b}``: range of one device's 12 reads at 16 G0 over the nominal value,
  % (mean over devices; paper 33.26 % / 55.95 %).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import curve_fit

from memristive.devices import QuantizedConductanceDevice, get_preset
from memristive.errors import MemristiveError
from memristive.experiments.base import Cost, Data, Experiment, RunContext, predicted
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, Settings, at_least

FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``qc-state-distribution``."""

    samples: tuple[str, ...] = ("hfox-qc-a", "hfox-qc-b")
    devices: int = 400
    cycles: int = 12
    bins: int = 60

    constraints = {"devices": COUNT, "cycles": at_least(2), "bins": at_least(10, 10**6)}

    def validate(self) -> None:
        """Quantized presets."""
        for name in self.samples:
            if not isinstance(get_preset(name), QuantizedConductanceDevice):
                raise MemristiveError(f"qc-state-distribution needs quantized presets; {name!r} is not one")


QUICK = Config()
"""Quick: 400 devices x 12 cycles (4,800 reads per state)."""

FULL = Config(devices=4000)
"""Full: 4,000 devices."""


def gaussian_fwhm(values: np.ndarray, bins: int) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """FWHM of a Gaussian least-squares fitted to the histogram of ``values`` (as in Fig. 3c-f).

    Returns the FWHM and the histogram (centres, counts) with the fitted curve.
    """
    counts, edges = np.histogram(values, bins=bins)
    centres = 0.5 * (edges[1:] + edges[:-1])

    def gauss(x, height, mean, sigma):
        return height * np.exp(-0.5 * ((x - mean) / sigma) ** 2)

    start = (counts.max(), values.mean(), values.std())
    (height, mean, sigma), _ = curve_fit(gauss, centres, counts, p0=start, maxfev=10_000)
    return FWHM_PER_SIGMA * abs(sigma), centres, counts, gauss(centres, height, mean, sigma)


def _pulse_at(device: QuantizedConductanceDevice, nominal_g0: float) -> int:
    """Pulse index (0 = top state) of the state whose nominal value is ``nominal_g0``."""
    nominal = device.g_top_g0 - device.step_g0 * np.arange(device.states)
    pulse = int(np.argmin(abs(nominal - nominal_g0)))
    if abs(nominal[pulse] - nominal_g0) > 1e-9:
        raise MemristiveError(f"{device.name} has no state at {nominal_g0} G0")
    return pulse


STATES = {"state5": 14.0, "state29": 2.0}
"""The states whose histograms the paper fits (Fig. 3c-f): name -> nominal conductance (G0)."""


def simulate(config: Config, ctx: RunContext) -> Data:
    """Every device's reset sweeps; kept: the reads at the top state and at :data:`STATES`, and one device's sweeps."""
    generator = ctx.generator(0)
    data: Data = {"samples": np.array(config.samples)}
    for name in config.samples:
        device = get_preset(name)
        g = device.sweeps(config.devices, config.cycles, generator)["ltd"].numpy() / device.g0_s
        label = name.rsplit("-", 1)[-1]
        data[f"{label}_top"] = g[:, :, _pulse_at(device, device.g_top_g0)]
        data[f"{label}_g_top_g0"] = device.g_top_g0
        data[f"{label}_one_device"] = g[0]
        data.update({f"{label}_{key}": g[:, :, _pulse_at(device, nominal)].ravel() for key, nominal in STATES.items()})
    data["bins"] = config.bins
    return data


def _labels(data: Data) -> list[tuple[str, str]]:
    return [(name, name.rsplit("-", 1)[-1]) for name in data["samples"].tolist()]


def metrics(data: Data) -> dict[str, float]:
    """Per sample: the top state's cycle-to-cycle spread, and the FWHM at each state of :data:`STATES`."""
    values = {}
    for _name, label in _labels(data):
        top = data[f"{label}_top"]
        values[f"spread_16g0_{label}"] = float(np.mean(np.ptp(top, axis=1)) / data[f"{label}_g_top_g0"] * 100)
        for key in STATES:
            values[f"fwhm_{key}_{label}"] = gaussian_fwhm(data[f"{label}_{key}"], int(data["bins"]))[0]
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Per sample: one device's sweeps, and the histogram with its Gaussian fit at each state."""
    samples = _labels(data)
    fig, axes = plt.subplots(len(samples), 3, figsize=(13, 3.6 * len(samples)), squeeze=False)
    for row, (name, label) in enumerate(samples):
        ax = axes[row, 0]
        one = data[f"{label}_one_device"]
        for sweep in one:
            ax.plot(np.arange(1, one.shape[1] + 1), sweep, ".-", lw=0.6, ms=3)
        ax.set(xlabel="pulse number", ylabel="conductance (G0)", title=f"{name}: {len(one)} cycles of one device")
        for col, (key, nominal) in enumerate(STATES.items(), start=1):
            fwhm, centres, counts, fitted = gaussian_fwhm(data[f"{label}_{key}"], int(data["bins"]))
            ax = axes[row, col]
            ax.bar(centres, counts, width=centres[1] - centres[0], color="0.7")
            ax.plot(centres, fitted, "r-", label=f"Gaussian fit, FWHM {fwhm:.2f} G0")
            ax.set(xlabel="conductance (G0)", ylabel="count", title=f"{name}: state at {nominal:g} G0")
            ax.legend(fontsize=8)
    fig.tight_layout()
    return {"qc_states": fig}


def cost(config: Config, dataset: None) -> Cost:
    """Every device's conductance after every pulse of every cycle, per sample."""
    pulses = 2 * max(get_preset(name).states for name in config.samples)
    return Cost(memory_bytes=config.devices * config.cycles * pulses * 8 * 2 * len(config.samples),
                steps=len(config.samples) * config.cycles * pulses)


EXPERIMENT = register(Experiment(
    name="qc-state-distribution",
    reference="chen2020",
    summary="Quantized-conductance HfOx: per-state conductance histograms, FWHM and spread (seed 004 Figs. 3-4)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {key: predicted(value, 0.15, detail="sigma from the paper's Eq. (1), not fitted here")
                          for key, value in (("fwhm_state5_a", 4.4), ("fwhm_state5_b", 5.5), ("fwhm_state29_a", 1.2),
                                             ("fwhm_state29_b", 2.3), ("spread_16g0_a", 33.26),
                                             ("spread_16g0_b", 55.95))},
))
