"""``crossbar-ir-drop``: output error of a passive array vs its size and wire resistance.

Random arrays with devices uniform in seed 003's 10-100 uS window and inputs uniform in
0-0.25 V (its read voltage) are solved exactly (:class:`memristive.crossbar.PassiveCrossbar`)
and compared with the ideal VMM ``I = V G``. The error metric is the mean relative
column-current error ``mean |I - I_ideal| / mean |I_ideal|`` over columns and input
vectors. Metrics: ``rel_error_64_1ohm``, ``rel_error_256_1ohm`` (and one key per point of
the sweep), ``max_kcl_residual_a``. Seed 003 reports no such number: paper values are none.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from tqdm.auto import tqdm

from memristive.crossbar import PassiveCrossbar
from memristive.crossbar.circuit import WIRE_OHMS
from memristive.errors import MemristiveError
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.registry import register
from memristive.experiments.settings import CONDUCTANCE, COUNT, Interval, Settings, VOLTAGE, at_least


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``crossbar-ir-drop``."""

    sizes: tuple[int, ...] = (16, 32, 64, 128, 256)
    wire_ohms: tuple[float, ...] = (0.1, 0.3, 1.0, 3.0)
    vectors: int = 200
    g_min: float = 10e-6
    g_max: float = 100e-6
    v_max: float = 0.25

    constraints = {"sizes": at_least(1, 100_000), "wire_ohms": at_least(*WIRE_OHMS, "ohm"), "vectors": COUNT,
                   "g_min": Interval(0.0, 1.0, "both", "S"), "g_max": CONDUCTANCE, "v_max": VOLTAGE}

    def validate(self) -> None:
        """The window is ordered."""
        if not self.g_min < self.g_max:
            raise MemristiveError(f"need g_min < g_max, got {self.g_min}, {self.g_max}")


QUICK = Config()
"""Quick: up to 256 x 256."""

FULL = Config(sizes=(16, 32, 64, 128, 256, 512))
"""Full: up to 512 x 512."""


def _key(n: int, r: float) -> str:
    """Metric key of one point, e.g. ``rel_error_64_1ohm``, ``rel_error_64_0p1ohm``."""
    return f"rel_error_{n}_{r:g}ohm".replace(".", "p")


def simulate(config: Config, ctx: RunContext) -> Data:
    """Solve every (size, wire) point: mean relative column-current error, and the largest KCL residual."""
    generator = ctx.generator()
    errors = np.zeros((len(config.wire_ohms), len(config.sizes)))
    residual = 0.0
    points = [(i, j) for i in range(len(config.wire_ohms)) for j in range(len(config.sizes))]
    for i, j in tqdm(points, desc="ir-drop", leave=False, disable=None):
        n, r = config.sizes[j], config.wire_ohms[i]
        g = config.g_min + (config.g_max - config.g_min) * torch.rand(n, n, generator=generator, dtype=torch.float64)
        v = config.v_max * torch.rand(config.vectors, n, generator=generator, dtype=torch.float64)
        xbar = PassiveCrossbar(g, r, r)
        ideal = (v @ g).numpy()
        actual = v.numpy() @ xbar.effective_conductance().cpu().numpy()
        errors[i, j] = np.abs(actual - ideal).mean() / np.abs(ideal).mean()
        residual = max(residual, xbar.solve(v[:1]).residual)
    return {"sizes": np.array(config.sizes), "wire_ohms": np.array(config.wire_ohms), "rel_error": errors,
            "max_kcl_residual_a": residual}


def metrics(data: Data) -> dict[str, float]:
    """One relative error per (size, wire) point, and the residual."""
    values = {_key(int(n), float(r)): float(data["rel_error"][i, j])
              for i, r in enumerate(data["wire_ohms"]) for j, n in enumerate(data["sizes"])}
    values["max_kcl_residual_a"] = float(data["max_kcl_residual_a"])
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Error vs array size, one line per wire resistance."""
    sizes = data["sizes"].tolist()
    fig, ax = plt.subplots(figsize=(6, 4))
    for i, r in enumerate(data["wire_ohms"]):
        ax.loglog(sizes, 100 * data["rel_error"][i], marker="o", label=f"{r:g} ohm / segment")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.minorticks_off()
    ax.set(xlabel="array size N (N x N)", ylabel="mean column-current error (%)",
           title="IR drop in a passive crossbar (10-100 uS, 0-0.25 V)")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return {"ir_drop": fig}


def cost(config: Config, dataset: None) -> Cost:
    """The effective matrix of the largest array (~500 bytes per cross-point, measured at 1024 x 1024: 0.5 GB);
    one column solve per column of every point."""
    return Cost(memory_bytes=500 * max(config.sizes) ** 2 + 8 * config.vectors * max(config.sizes),
                steps=len(config.wire_ohms) * sum(config.sizes))


EXPERIMENT = register(Experiment(
    name="crossbar-ir-drop",
    reference="kim2021",
    summary="Output error of a passive crossbar vs size and wire resistance (exact circuit solve)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
