"""A device model measured by simulation against the review's desired synapse metrics (seed 002, Table 1).

Zhang et al. (seed 002) list what an artificial synapse should offer:
dynamic range > 100, weight precision > 64 levels, nonlinearity < 4 for set and > -4 for reset,
< 10 fJ per spike, endurance > 1e9 cycles, retention > 10 years. :func:`score` measures each on
the model with its own verbs, on ``devices`` sampled devices:

* **pulse train** (models driven by identical pulses): from the bottom of the window (``program(g_min)``),
  ``P`` potentiating then ``P`` depressing pulses (``P``: the model's ``levels``, NeuroSim's protocol),
  every device read after each. The *pulse levels* of a direction are the pulses until its mean curve
  has made 99.9 % of its change; the *nonlinearity* labels ``nu`` of both mean curves
  (:func:`~memristive.devices.nonlinearity.label_from_curve`); a direction whose first pulse makes more
  than half of its change is abrupt and fails; the *energy per pulse* is ``|V I(V)| width`` of each
  potentiating pulse (:meth:`~memristive.devices.base.DeviceModel.pulse_drive`), averaged.
* **resolvable levels**: the potentiation's pulse levels, capped at ``window / (2 sigma)``, where ``sigma``
  is the spread of one pulse's step across devices and pulses (cycle-to-cycle and device-to-device
  noise around the mean step): steps smaller than the noise do not make distinct states. A binary
  device resolves one level (two states).
* **dynamic range** (every model): the wider of the mean read after ``program(g_max)`` over that after
  ``program(g_min)``, and the pulse train's span (top of the mean potentiation curve over the bottom of the
  mean depression curve): the extremes the device reaches by any of its drives (a PCM reset pulse reaches
  lower than programming to ``g_min``; a stochastic binary device needs many pulses to reach its window).
* **voltage-driven models** (no identical pulse): levels, nonlinearity and energy are not measured.
* **retention**: devices written to 3/4 of the window left undriven (``advance``) on a logarithmic
  time grid to 100 years; the retention time is when their mean conductance has moved by an eighth of
  the window (a 3-bit level) or by half of its written excess above ``g_min`` (a write that the window
  clipped), whichever comes first (log-interpolated). Models whose ``advance`` is the identity, or whose written
  state moves less than 0.1 % of the window in 100 years, do not model its loss.
* **endurance**: from :data:`~memristive.devices.endurance.ENDURANCE` (the preset's sources): the cycles to
  half the window where a failure model is known; otherwise the cycles demonstrated without failure, a
  lower bound ("unproven" below the target).

Verdicts: ``pass``, ``fail``, ``unproven`` (a lower bound below the target), ``not modelled``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from memristive.devices.base import DeviceModel
from memristive.devices.endurance import ENDURANCE
from memristive.devices.nonlinearity import label_from_curve
from memristive.errors import MemristiveError, require

YEAR_S = 365.25 * 24 * 3600.0

TARGETS = {
    "dynamic_range": ("> 100", lambda v: v > 100),
    "levels": ("> 64", lambda v: v > 64),
    "nu_set": ("< 4", lambda v: v < 4),
    "nu_reset": ("> -4", lambda v: v > -4),
    "energy_fj": ("< 10 fJ", lambda v: v < 10),
    "endurance_cycles": ("> 1e9", lambda v: v > 1e9),
    "retention_years": ("> 10 years", lambda v: v > 10),
}
"""Seed 002's Table 1: each metric's target as written and its test."""

SETTLED = 0.999
"""Share of a direction's change after which its pulse levels are counted as done."""

ABRUPT = 0.5
"""A direction whose first pulse makes more than this share of its change is abrupt."""

WRITTEN = 0.75
"""Retention: devices are written to this share of the window."""

LOST = 0.125
"""Retention ends when the mean conductance has moved by this share of the window (an eighth: a 3-bit level)."""

KEPT = 1e-3
"""Retention: a state moving less than this share of the window in 100 years has no modelled loss."""

RETENTION_GRID_S = np.logspace(-9, math.log10(100 * YEAR_S), 200)
"""Times at which retention is read, s (1 ns to 100 years)."""


@dataclass(frozen=True)
class Score:
    """One row of a scorecard: the ``metric``, its ``target``, the measured ``value``, the ``verdict`` and ``how``
    it was measured.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> rows = score(get_preset("tpt-ram-110"), generator=torch.Generator().manual_seed(0))
        >>> [(row.metric, row.verdict) for row in rows][:3]
        [('dynamic_range', 'fail'), ('levels', 'fail'), ('nu_set', 'pass')]
    """

    metric: str
    target: str
    value: float
    verdict: str
    how: str


def _verdict(metric: str, value: float) -> str:
    if not math.isfinite(value) and not value == math.inf:
        return "fail"
    return "pass" if TARGETS[metric][1](value) else "fail"


def _row(metric: str, value: float, how: str, verdict: str | None = None) -> Score:
    return Score(metric, TARGETS[metric][0], value, verdict or _verdict(metric, value), how)


def _missing(metric: str, how: str) -> Score:
    return Score(metric, TARGETS[metric][0], math.nan, "not modelled", how)


def _settled_pulses(curve: np.ndarray) -> int:
    """Pulses until the mean ``curve`` (index 0: before the first pulse) has made ``SETTLED`` of its change."""
    change = curve - curve[0]
    total = change[np.argmax(np.abs(change))]
    if total == 0:
        return 0
    return int(np.argmax(change / total >= SETTLED))


def _train(model: DeviceModel, devices: int, generator: torch.Generator | None,
           dtype: torch.dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[float, float]]:
    """Potentiating then depressing pulses from the bottom: conductances [devices, P + 1] of each direction,
    the energy of each potentiating pulse [devices, P], J, and the first device's first pulse (V, s)."""
    pulses = int(round(float(model.levels)))
    state = model.sample((devices,), generator=generator, dtype=dtype)
    state = model.program(state, torch.full((devices,), model.g_min, dtype=dtype), generator=generator)
    up, down, energy = [model.conductance(state)], [], []
    one = torch.ones(devices, dtype=dtype)
    first = tuple(float(torch.as_tensor(x).flatten()[0]) for x in model.pulse_drive(state))
    for _ in range(pulses):
        v, width = model.pulse_drive(state)
        energy.append(model.pulse_energy(state, v, width))
        state = model.pulse(state, one, generator=generator)
        up.append(model.conductance(state))
    down.append(up[-1])
    for _ in range(pulses):
        state = model.pulse(state, -one, generator=generator)
        down.append(model.conductance(state))
    return (torch.stack(up, 1).cpu().numpy(), torch.stack(down, 1).cpu().numpy(),
            torch.stack([e.expand(devices) for e in energy], 1).cpu().numpy(), first)


def _nonlinearity(metric: str, curve: np.ndarray) -> Score:
    change = curve - curve[0]
    first = abs(change[1]) / abs(change).max() if abs(change).max() > 0 else 1.0
    if first > ABRUPT or curve.size < 3:
        return _row(metric, math.nan, f"abrupt: the first pulse makes {first:.0%} of the mean curve's change", "fail")
    try:
        nu = label_from_curve(curve)
    except MemristiveError as exc:
        return _row(metric, math.nan, f"no label: {exc}", "fail")
    return _row(metric, nu, f"label of the mean curve over {curve.size - 1} pulses")


def _pulse_rows(model: DeviceModel, devices: int, generator, dtype) -> list[Score]:
    up, down, energy, (v, width) = _train(model, devices, generator, dtype)
    mean_up, mean_down = up.mean(0), down.mean(0)
    top, bottom = float(mean_up.max()), float(mean_down.min())
    window = top - bottom
    n_up = _settled_pulses(mean_up)
    steps = np.diff(up[:, : n_up + 1], axis=1)
    sigma = float((steps - steps.mean(0)).std()) if n_up else 0.0
    resolvable = window / (2 * sigma) if sigma > 1e-12 * window else math.inf
    rows = [_dynamic_range(model, devices, generator, dtype, (top, bottom, up.shape[1] - 1)),
            _row("levels", float(min(n_up, resolvable)),
                 f"{n_up} pulse levels, {resolvable:.3g} resolvable (window / 2 sigma, sigma {sigma:.3g} S)"),
            _nonlinearity("nu_set", mean_up), _nonlinearity("nu_reset", mean_down)]
    spent = float(energy[:, : max(n_up, 1)].mean()) * 1e15
    rows.append(_row("energy_fj", spent, f"|V I(V)| width per potentiating pulse ({v:.3g} V, {width:.3g} s)"))
    return rows


def _dynamic_range(model: DeviceModel, devices: int, generator, dtype,
                   train: tuple[float, float, int] | None = None) -> Score:
    """The wider of ``program(g_max) / program(g_min)`` (mean reads) and the pulse ``train``'s span
    (``(top, bottom, pulses)`` of its mean curves), where there is one."""
    state = model.sample((devices,), generator=generator, dtype=dtype)
    edges = []
    for g in (model.g_max, model.g_min):
        written = model.program(state, torch.full((devices,), g, dtype=dtype), generator=generator)
        edges.append(float(model.conductance(written).mean()))
    spans = {"program(g_max) / program(g_min)": tuple(edges)}
    if train is not None:
        spans[f"the {train[2]}-pulse train's mean curves"] = train[:2]
    ratios = {how: top / bottom if bottom > 0 else math.inf for how, (top, bottom) in spans.items()}
    best = max(ratios, key=ratios.get)
    others = "; ".join(f"{how} {ratio:.3g}" for how, ratio in ratios.items() if how != best)
    top, bottom = spans[best]
    return _row("dynamic_range", ratios[best],
                f"{best} ({top:.3g} / {bottom:.3g} S)" + (f"; {others}" if others else ""))


def _programmed_rows(model: DeviceModel, devices: int, generator, dtype) -> list[Score]:
    how = "voltage-driven model: no identical pulse"
    return [_dynamic_range(model, devices, generator, dtype),
            _missing("levels", how), _missing("nu_set", how), _missing("nu_reset", how), _missing("energy_fj", how)]


def _retention(model: DeviceModel, devices: int, generator, dtype) -> Score:
    if type(model).advance is DeviceModel.advance:
        return _missing("retention_years", "the model keeps its state undriven (retention not modelled)")
    state = model.sample((devices,), generator=generator, dtype=dtype)
    written = torch.full((devices,), model.g_min + WRITTEN * (model.g_max - model.g_min), dtype=dtype)
    state = model.program(state, written, generator=generator)
    start = float(model.conductance(state).mean())
    window, excess = model.g_max - model.g_min, start - model.g_min
    require(excess > 0, f"{model.name}: writing 3/4 of the window left no conductance above g_min")
    moved, elapsed = [], 0.0
    for t in RETENTION_GRID_S:
        state = model.advance(state, float(t - elapsed))
        elapsed = float(t)
        change = abs(float(model.conductance(state).mean()) - start)
        # in units of LOST: an eighth of the window, or half of the written excess, whichever is smaller
        moved.append(max(change / window, LOST * change / (0.5 * excess)))
    moved = np.array(moved)
    if moved.max() < KEPT:
        return _missing("retention_years", f"the written state moves less than {KEPT:.1%} of the window in 100 "
                                           "years in the model (its loss is not modelled)")
    beyond = np.flatnonzero(moved >= LOST)
    if not beyond.size:
        return _row("retention_years", math.inf, f"moved less than {LOST:.3g} of the window in 100 years")
    k = int(beyond[0])
    if k == 0:
        t_lost = float(RETENTION_GRID_S[0])
    else:
        a, b = moved[k - 1], moved[k]
        la, lb = np.log(RETENTION_GRID_S[k - 1]), np.log(RETENTION_GRID_S[k])
        t_lost = float(np.exp(la + (LOST - a) / (b - a) * (lb - la)))
    return _row("retention_years", t_lost / YEAR_S,
                f"written to {WRITTEN:.0%} of the window: an eighth of it, or half the written conductance above "
                f"g_min, lost after {t_lost:.3g} s undriven")


def _endurance(name: str) -> Score:
    known = ENDURANCE.get(name)
    if known is None:
        return _missing("endurance_cycles", "no endurance figure in the preset's sources")
    if known.half_window_cycles is not None:
        return _row("endurance_cycles", known.cycles_to_share(0.5), f"cycles to half the window; {known.source}")
    verdict = "pass" if known.demonstrated_cycles > 1e9 else "unproven"
    return _row("endurance_cycles", known.demonstrated_cycles,
                f"demonstrated without failure (a lower bound); {known.source}", verdict)


def score(model: DeviceModel, *, devices: int = 64, generator: torch.Generator | None = None,
          dtype: torch.dtype = torch.float64) -> list[Score]:
    """The scorecard of ``model`` (module docstring): one :class:`Score` per metric of :data:`TARGETS`, in order."""
    require(isinstance(devices, int) and devices >= 2, f"devices={devices} must be an integer >= 2")
    pulsed = "pulse" in model.drives and hasattr(model, "levels")
    rows = (_pulse_rows if pulsed else _programmed_rows)(model, devices, generator, dtype)
    rows.append(_endurance(model.name))
    rows.append(_retention(model, devices, generator, dtype))
    order = list(TARGETS)
    return sorted(rows, key=lambda row: order.index(row.metric))
