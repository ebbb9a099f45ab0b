"""How well a fitted pulse model reproduces the data it was fitted to: misfit against the data's own spread.

Every measured run (one device, one cycle, one direction) is replayed on the fitted model: from the run's first
read, the same number of pulses, ``draws`` times with the model's cycle-to-cycle noise, on each device's own
observed range (reads normalised to [0, 1] by it). Per pulse index, the data's mean over runs is compared with the
model's mean over the same runs and draws:

    misfit_rms = sqrt(mean_p (model_p - data_p)^2),   misfit_max = max_p |model_p - data_p|,

both as shares of the range, against the data's own cycle-to-cycle ``spread`` (the rms over pulse indices of the
standard deviation of the reads across runs) and the ``noise`` of the data's mean curve that it implies (the rms of
``sd_p / sqrt(n_p)``, ``n_p`` runs at pulse ``p``): the model's own mean curve, replayed on the data it came
from, misses the data's by about that noise (0.8-1.5 times it for data simulated from the fitted preset, 20 runs).
A model whose mean curve misses the data's by more than :data:`POOR_FIT_FACTOR` times the noise has the wrong
shape for these data: the fit is ``poor`` (a sigmoid fitted with the exponential model, say), and the lookup
model, which tabulates the measured mean curve, is the one to use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from memristive.devices.analog import DeviceModel
from memristive.devices.fitting import device_bounds
from memristive.devices.quantized import QuantizedConductanceDevice

POOR_FIT_FACTOR = 3.0
"""A fit is poor when its rms misfit exceeds this many times the noise of the data's mean curve."""


@dataclass(frozen=True)
class FitQuality:
    """Misfit of a fitted model's mean curve (rms and max), the data's own cycle-to-cycle spread and the noise
    of its mean curve: shares of the range.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> from memristive.devices.fitting import fit_nonlinear, read_pulse_csv, simulate_csv
        >>> import tempfile, pathlib
        >>> path = simulate_csv(get_preset("epiram"), pathlib.Path(tempfile.mkdtemp()) / "epi.csv", 4, 5,
        ...                     torch.Generator().manual_seed(1))
        >>> data = read_pulse_csv(path)
        >>> fit_quality(fit_nonlinear(data).device, data).verdict  # the model fitted to its own data
        'good'
    """

    misfit_rms: float
    misfit_max: float
    spread: float
    noise: float

    @property
    def verdict(self) -> str:
        """``"poor"`` when ``misfit_rms > POOR_FIT_FACTOR * noise``, ``"good"`` otherwise, ``"unknown"`` when
        the data has a single run per direction (no spread to compare with)."""
        if not np.isfinite(self.noise):
            return "unknown"
        return "poor" if self.misfit_rms > POOR_FIT_FACTOR * self.noise else "good"

    def describe(self) -> str:
        """One line: the misfit, the spread and the noise in % of the range."""
        return (f"misfit {100 * self.misfit_rms:.2g} % rms, {100 * self.misfit_max:.2g} % max of the range; the "
                f"data's cycle-to-cycle spread {100 * self.spread:.2g} %, its mean curve's noise "
                f"{100 * self.noise:.2g} %")


def _runs(reads, ltp: bool) -> np.ndarray:
    """The direction's runs as a [runs, pulses] array of reads normalised by their device's observed range (NaN
    after a run's end)."""
    devices, g_min, g_max, _ = device_bounds(reads)
    keep = reads.ltp == ltp
    slot = np.searchsorted(devices, reads.device[keep])
    _, run = np.unique(np.stack([reads.device[keep], reads.cycle[keep]]), axis=1, return_inverse=True)
    table = np.full((int(run.max()) + 1, int(reads.pulse[keep].max()) + 1), np.nan)
    table[run.ravel(), reads.pulse[keep]] = (reads.g[keep] - g_min[slot]) / (g_max[slot] - g_min[slot])
    return table


def _replay(device: DeviceModel, start: np.ndarray, pulses: int, sign: float, draws: int,
            generator: torch.Generator) -> np.ndarray:
    """[runs, pulses + 1] mean normalised conductance of ``device`` on a unit range from each ``start``."""
    unit = device.replace(g_min=0.0, g_max=1.0, d2d_g_sigma=0.0)
    state = unit.sample((draws, start.size), generator=generator, dtype=torch.float64)
    state = state.with_g(torch.as_tensor(start).expand(draws, -1).clone())
    trace = [state.g.mean(0)]
    for _ in range(pulses):
        state = unit.pulse(state, torch.tensor(sign, dtype=torch.float64), generator=generator)
        trace.append(state.g.mean(0))
    return torch.stack(trace, dim=-1).numpy()


def _quantized_mean(device: QuantizedConductanceDevice, reads) -> tuple[np.ndarray, np.ndarray]:
    """Reset runs as [runs, pulses] reads over the ladder's range, and the model's mean for each run's cycle."""
    keep = ~reads.ltp
    cycle, pulse = reads.cycle[keep], reads.pulse[keep]
    g = reads.g[keep] / device.g0_s
    span = device.g_top_g0 - device.g_bottom_g0
    cycles, run = np.unique(np.stack([reads.device[keep], cycle]), axis=1, return_inverse=True)
    table = np.full((cycles.shape[1], int(pulse.max()) + 1), np.nan)
    table[run.ravel(), pulse] = (g - device.g_bottom_g0) / span
    step = span / max(device.states - 1, 1)
    c = (cycles[1] - cycle.min()).astype(float)[:, None]
    nominal = device.g_top_g0 - step * np.arange(table.shape[1])[None, :]
    model = ((1 - device.cycle_k * c) * nominal - device.g_bottom_g0) / span
    return table, np.where(np.isnan(table), np.nan, model)


def fit_quality(device: DeviceModel, data, draws: int = 16, seed: int = 0) -> FitQuality:
    """:class:`FitQuality` of ``device`` fitted to ``data`` (:class:`~memristive.devices.fitting.PulseData`);
    ``draws`` noisy replays of every run (seeded by ``seed``)."""
    reads = data.numpy()
    generator = torch.Generator().manual_seed(seed)
    tables, models = [], []
    if isinstance(device, QuantizedConductanceDevice):
        table, model = _quantized_mean(device, reads)
        tables.append(table)
        models.append(model)
    else:
        for ltp, sign in ((True, 1.0), (False, -1.0)):
            if not (reads.ltp == ltp).any():
                continue
            table = _runs(reads, ltp)
            replay = _replay(device, table[:, 0], table.shape[1] - 1, sign, draws, generator)
            tables.append(table)
            models.append(np.where(np.isnan(table), np.nan, replay))
    misfit, spread, noise = [], [], []
    for table, model in zip(tables, models):
        counts = (~np.isnan(table)).sum(0)
        misfit.append((np.nanmean(model, 0) - np.nanmean(table, 0))[counts > 0])
        several = counts > 1
        sd = np.nanstd(table[:, several], 0, ddof=1) if several.any() else np.array([np.nan])
        spread.append(sd)
        noise.append(sd / np.sqrt(counts[several]) if several.any() else sd)
    misfit = np.concatenate(misfit)
    rms = {name: float(np.sqrt(np.mean(np.concatenate(values) ** 2))) for name, values in
           (("spread", spread), ("noise", noise))}
    return FitQuality(misfit_rms=float(np.sqrt(np.mean(misfit**2))), misfit_max=float(np.abs(misfit).max()), **rms)
