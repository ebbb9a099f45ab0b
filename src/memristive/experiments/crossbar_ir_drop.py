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
from memristive.errors import MemristiveError
from memristive.experiments.base import Experiment, Result, RunContext
from memristive.experiments.registry import register


@dataclass(frozen=True)
class Config:
    """Settings of ``crossbar-ir-drop``."""

    sizes: tuple[int, ...] = (16, 32, 64, 128, 256)
    wire_ohms: tuple[float, ...] = (0.1, 0.3, 1.0, 3.0)
    vectors: int = 200
    g_min: float = 10e-6
    g_max: float = 100e-6
    v_max: float = 0.25

    def __post_init__(self) -> None:
        if not self.sizes or min(self.sizes) < 1:
            raise MemristiveError(f"sizes={self.sizes} must be a non-empty list of sizes >= 1")
        if not self.wire_ohms or min(self.wire_ohms) <= 0:
            raise MemristiveError(f"wire_ohms={self.wire_ohms} must be > 0 ohm")
        if self.vectors < 1 or not 0 <= self.g_min < self.g_max or self.v_max <= 0:
            raise MemristiveError("need vectors >= 1, 0 <= g_min < g_max and v_max > 0")


QUICK = Config()
"""Quick: up to 256 x 256."""

FULL = Config(sizes=(16, 32, 64, 128, 256, 512))
"""Full: up to 512 x 512."""


def _key(n: int, r: float) -> str:
    """Metric key of one point, e.g. ``rel_error_64_1ohm``, ``rel_error_64_0p1ohm``."""
    return f"rel_error_{n}_{r:g}ohm".replace(".", "p")


def run(config: Config, ctx: RunContext) -> Result:
    """Solve every (size, wire) point; plot error vs size."""
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

    fig, ax = plt.subplots(figsize=(6, 4))
    for i, r in enumerate(config.wire_ohms):
        ax.loglog(config.sizes, 100 * errors[i], marker="o", label=f"{r:g} ohm / segment")
    ax.set_xticks(config.sizes, [str(n) for n in config.sizes])
    ax.minorticks_off()
    ax.set(xlabel="array size N (N x N)", ylabel="mean column-current error (%)",
           title="IR drop in a passive crossbar (10-100 uS, 0-0.25 V)")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    figure = ctx.save_figure(fig, "ir_drop")

    metrics = {_key(n, r): float(errors[i, j]) for i, r in enumerate(config.wire_ohms) for j, n in enumerate(config.sizes)}
    metrics["max_kcl_residual_a"] = residual
    return Result(metrics=metrics, figures=[figure])


EXPERIMENT = register(Experiment(
    name="crossbar-ir-drop",
    reference="kim2021",
    summary="Output error of a passive crossbar vs size and wire resistance (exact circuit solve)",
    quick=QUICK,
    full=FULL,
    run=run,
    paper=lambda config: {},
))
