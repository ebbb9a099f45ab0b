"""``device-scorecard``: every preset measured against the review's desired synapse metrics (seed 002, Table 1).

Zhang et al. (Phys. Status Solidi RRL 13, 1900029, 2019; seed 002, Table 1) ask of an artificial synapse: dynamic range > 100, > 64 levels,
nonlinearity < 4 (set) and > -4 (reset), < 10 fJ per spike, endurance > 1e9 cycles, retention > 10
years. :func:`memristive.devices.scorecard.score` measures each preset with its own verbs (pulse
trains, programming, undriven time; the module gives the protocol); endurance comes from what the
preset's sources report (:data:`memristive.devices.endurance.ENDURANCE`). ``memristive score PRESET``
prints one preset's card; this experiment scores them all for the report.

Nothing is compared with a paper number: the targets are the review's wishes, and each measured value is
a property of our model of a preset (several are set by the preset's own parameters, e.g. the window).

Metrics: ``passes_<preset>`` (metrics passed of 7), ``most_passes`` (the best preset's count),
``presets_scored``.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from tqdm.auto import tqdm

from memristive.devices import PRESETS, get_preset
from memristive.devices.scorecard import TARGETS, score
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.registry import register
from memristive.experiments.settings import Settings, at_least

VERDICTS = ("pass", "fail", "unproven", "not modelled")
COLOURS = ("#4caf50", "#e57373", "#ffb74d", "#e0e0e0")


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``device-scorecard``: the presets (names or .toml files; default every built-in preset) and
    devices per measurement."""

    presets: tuple[str, ...] = tuple(PRESETS)
    devices: int = 64

    constraints = {"devices": at_least(2, 100_000)}

    def validate(self) -> None:
        """Presets that exist."""
        for name in self.presets:
            get_preset(name)


QUICK = Config()
"""Quick: every preset, 64 devices per measurement."""

FULL = Config(devices=512)
"""Full: every preset, 512 devices per measurement."""


def simulate(config: Config, ctx: RunContext) -> Data:
    """Each preset's scorecard: values, verdicts and how each was measured, [presets, metrics]."""
    names = config.presets
    values = np.full((len(names), len(TARGETS)), np.nan)
    verdicts = np.empty((len(names), len(TARGETS)), dtype=object)
    how = np.empty((len(names), len(TARGETS)), dtype=object)
    for p, name in enumerate(tqdm(names, desc="device-scorecard", leave=False, disable=None)):
        rows = score(get_preset(name), devices=config.devices, generator=ctx.generator(p))
        for m, row in enumerate(rows):
            values[p, m], verdicts[p, m], how[p, m] = row.value, row.verdict, row.how
    return {"presets": np.array(names), "metric_names": np.array(list(TARGETS)),
            "targets": np.array([target for target, _ in TARGETS.values()]), "values": values,
            "verdicts": verdicts.astype(str), "how": how.astype(str)}


def metrics(data: Data) -> dict[str, float]:
    """Metrics passed per preset, the best count, the presets scored."""
    passes = (data["verdicts"] == "pass").sum(1)
    values = {f"passes_{name}": float(count) for name, count in zip(data["presets"], passes, strict=True)}
    values["most_passes"] = float(passes.max())
    values["presets_scored"] = float(len(data["presets"]))
    return values


def _label(value: float, verdict: str) -> str:
    if verdict == "not modelled":
        return "-"
    if not np.isfinite(value):
        return "inf" if value == np.inf else "abrupt"
    return f"{value:.3g}"


def plot(data: Data) -> dict[str, plt.Figure]:
    """The scorecard as a grid: presets x metrics, coloured by verdict, the measured value written in."""
    presets, names, verdicts = data["presets"], data["metric_names"], data["verdicts"]
    codes = np.vectorize(VERDICTS.index)(verdicts)
    fig, ax = plt.subplots(figsize=(1.35 * len(names) + 2.5, 0.38 * len(presets) + 1.6), layout="constrained")
    ax.imshow(codes, cmap=ListedColormap(COLOURS), vmin=-0.5, vmax=len(VERDICTS) - 0.5, aspect="auto")
    for p in range(len(presets)):
        for m in range(len(names)):
            ax.text(m, p, _label(data["values"][p, m], verdicts[p, m]), ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(names)), [f"{n}\n{t}" for n, t in zip(names, data["targets"], strict=True)], fontsize=7)
    ax.set_yticks(range(len(presets)), presets, fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS]
    ax.legend(handles, VERDICTS, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(VERDICTS))
    ax.set_title("Presets against the desired synapse metrics (seed 002, Table 1)", fontsize=9)
    return {"scorecard": fig}


def cost(config: Config, dataset: None) -> Cost:
    """Two pulse trains of up to a few hundred pulses and a 200-point retention grid per preset."""
    presets = len(config.presets)
    return Cost(memory_bytes=presets * config.devices * 8 * 2000, steps=presets * 800)


EXPERIMENT = register(Experiment(
    name="device-scorecard",
    reference="zhang2019",
    summary="Every preset against the review's desired synapse metrics (range, levels, nu, energy, endurance, "
            "retention)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
