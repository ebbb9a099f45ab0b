"""``otj-iv``: conduction of the oxide tunnel junction in its two states (seed 001, Fig. 1b and S1).

The pristine HRS (``w = 0``) conducts by thermionic emission over the 0.55 eV Schottky
barrier; the LRS (``w = 1``) by direct tunnelling (0.35 / 0.41 eV trapezoidal barrier,
2.8 nm) and Fowler-Nordheim tunnelling (0.075 eV) in series with the contact resistance.
The I-V curves are swept over ``+-sweep_v`` and the read resistances taken at 0.1 V.

Metrics: ``r_hrs_ohm``, ``r_lrs_ohm``, ``on_off`` (paper: 1.8e8, 2.7e4, 6.7e3), plus
``lrs_fn_share_1v`` (share of the LRS junction current carried by Fowler-Nordheim at 1 V).
The HRS and LRS prefactors of the preset are set from the paper's two read resistances,
so those two numbers check the implementation of the laws, not an independent prediction;
the I-V shapes follow from the barrier heights.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from memristive.devices import get_preset
from memristive.devices.tunnel_junction import TunnelJunctionSynapse
from memristive.experiments.base import Cost, Data, Experiment, RunContext, calibrated
from memristive.experiments.registry import register
from memristive.experiments.settings import Interval, Settings, at_least


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``otj-iv``."""

    preset: str = "otj-sto"
    sweep_v: float = 1.0
    points: int = 401

    constraints = {"sweep_v": Interval(0.1, 3.0, "right", "V"), "points": at_least(11, 10**7)}

    def validate(self) -> None:
        """A tunnel-junction preset."""
        get_preset(self.preset, TunnelJunctionSynapse)


QUICK = Config()
"""Quick and full are the same (the sweep takes milliseconds)."""

FULL = QUICK
"""Full: the same settings."""


def simulate(config: Config, ctx: RunContext) -> Data:
    """Sweep both states; the read resistances at the preset's read voltage; the LRS mechanisms at 1 V."""
    device = get_preset(config.preset, TunnelJunctionSynapse)
    c = device.conduction
    v = torch.linspace(-config.sweep_v, config.sweep_v, config.points, dtype=torch.float64)
    zero = torch.zeros_like(v)
    one = torch.tensor([1.0], dtype=torch.float64)
    direct, fn = c.tunnelling_parts(one - c.lrs_current(one) * c.series_ohm)
    summary = device.summary()
    return {"v": v.numpy(), "i_hrs": c.current(v, zero, zero).numpy(), "i_lrs": c.current(v, torch.ones_like(v), zero).numpy(),
            "r_hrs_ohm": summary["r_hrs_ohm"], "r_lrs_ohm": summary["r_lrs_ohm"], "read_v": device.read_v,
            "lrs_direct_1v": direct.numpy(), "lrs_fn_1v": fn.numpy(), "device": device.name}


def metrics(data: Data) -> dict[str, float]:
    """Read resistances, their ratio, the Fowler-Nordheim share of the LRS current at 1 V."""
    return {
        "r_hrs_ohm": float(data["r_hrs_ohm"]),
        "r_lrs_ohm": float(data["r_lrs_ohm"]),
        "on_off": float(data["r_hrs_ohm"] / data["r_lrs_ohm"]),
        "lrs_fn_share_1v": float((data["lrs_fn_1v"] / (data["lrs_direct_1v"] + data["lrs_fn_1v"]))[0]),
    }


def plot(data: Data) -> dict[str, plt.Figure]:
    """|I| vs V of both states."""
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.semilogy(data["v"], np.clip(np.abs(data["i_hrs"]), 1e-15, None), label="HRS: thermionic emission (0.55 eV)")
    ax.semilogy(data["v"], np.clip(np.abs(data["i_lrs"]), 1e-15, None), label="LRS: direct + Fowler-Nordheim tunnelling")
    ax.axvline(float(data["read_v"]), color="0.7", lw=0.8, ls="--")
    ax.set(xlabel="voltage (V)", ylabel="|current| (A)",
           title=f"{data['device']}: R(0.1 V) HRS {float(data['r_hrs_ohm']):.2g}, LRS {float(data['r_lrs_ohm']):.2g} ohm")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return {"iv": fig}


def cost(config: Config, dataset: None) -> Cost:
    """One current per point of the sweep, up and down."""
    return Cost(memory_bytes=config.points * 8 * 20, steps=2 * config.points)


EXPERIMENT = register(Experiment(
    name="otj-iv",
    reference="li2019",
    summary="Oxide tunnel junction I-V: thermionic HRS, tunnelling LRS, read resistances (seed 001 Fig. 1b, S1)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {"r_hrs_ohm": calibrated(1.8e8, "otj-sto TE prefactor (richardson_a_m2k2)"),
                          "r_lrs_ohm": calibrated(2.7e4, "otj-sto tunnelling mass (dt_mass_ratio)"),
                          "on_off": calibrated(6.7e3, "the ratio of the two calibrated reads")},
))
