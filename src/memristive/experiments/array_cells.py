"""``array-cells``: what a selector or a select transistor buys a crossbar (seed 002, section 5, Fig. 9).

The same devices (seed 003's window, 10-100 uS) in three cell types
(:mod:`memristive.crossbar.cells`): bare (0T1R), behind a threshold selector (1S1R: 0.5 V
threshold, 0.1 nS off, 1 mS on) and behind a select transistor (1T1R: 1 kOhm on, 300 uA
compliance, 1 pS off; gates along rows). Each cell type is read at the cell voltage that puts
0.25 V (seed 003's read voltage) on a 55 uS device.

* **Sneak paths**: single-device reads with every other line floating (wires ideal;
  :func:`memristive.crossbar.sneak.read_error`) of ``reads`` random devices of a random array, at
  each size; ``read_error_<cell>`` is the mean |relative error| against the cell alone at 64 x 64.
* **Half-select disturb**: write-verify of seed 003's image (``crossbar-image-tuning``'s photograph
  and settings, one and three cycles) into each cell type; ``tuning_error_pct_<cell>`` is the mean
  error after the last cycle, ``cycle1_error_pct_<cell>`` after the first, ``disturbed_share_<cell>``
  the share of devices moved by a ramp on another device. 1S1R ramps go to 3.0 V instead of 2.5 V
  (the selector takes ~0.5 V).
* **IR drop**: binary input vectors at the read voltage into ``size x size`` arrays with
  ``wire_ohm`` per segment (:class:`~memristive.crossbar.circuit.PassiveCrossbar`, Newton on the
  cells' I-V), against the same cells with ideal wires; ``vmm_error_<cell>_<size>`` is the mean
  relative column-current error.

The review shows these structures and names their trade-offs without numbers: paper values are none.
The element parameters are representative values, our choices (module docstring of
:mod:`memristive.crossbar.cells`).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from tqdm.auto import tqdm

from memristive.crossbar.cells import PASSIVE, Cell, ThresholdSelector, Transistor
from memristive.crossbar.circuit import WIRE_OHMS, PassiveCrossbar
from memristive.crossbar.programming import WriteVerify, write_verify
from memristive.crossbar.sneak import read_error
from memristive.devices.presets import TIOX_4K
from memristive.errors import MemristiveError
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.crossbar_image_tuning import photograph
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, Settings, at_least

CELLS = {"0t1r": PASSIVE, "1s1r": Cell(ThresholdSelector()), "1t1r": Cell(Transistor())}
"""The cell types compared, by metric suffix."""

V_MAX = {"0t1r": 2.5, "1s1r": 3.0, "1t1r": 2.5}
"""Write-verify's largest amplitude per cell type, V (seed 003's 2.5 V, plus the selector's threshold)."""

G_LOW, G_HIGH, G_READ, V_READ = 10e-6, 100e-6, 55e-6, 0.25


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``array-cells``."""

    sizes: tuple[int, ...] = (64, 256)
    reads: int = 16
    vectors: int = 8
    wire_ohm: float = 1.0
    image_size: int = 32
    cycles: int = 3

    constraints = {"sizes": at_least(2, 1024), "reads": COUNT, "vectors": COUNT,
                   "wire_ohm": at_least(*WIRE_OHMS, "ohm"), "image_size": at_least(2, 64), "cycles": at_least(1, 10)}

    def validate(self) -> None:
        """64 x 64 is among the sizes (the metrics' size)."""
        if 64 not in self.sizes:
            raise MemristiveError(f"sizes={self.sizes} must include 64 (the read_error metrics' size)")


QUICK = Config(reads=4, vectors=4, image_size=8)
"""Quick: 4 reads and 4 vectors per size, an 8 x 8 image."""

FULL = Config()
"""Full: 16 reads, 8 vectors, the 32 x 32 image (quick mode of ``crossbar-image-tuning``)."""


def _read_voltage(cell: Cell) -> float:
    """The cell voltage that puts ``V_READ`` on a ``G_READ`` device."""
    return float(cell.voltage_for(torch.tensor(V_READ, dtype=torch.float64), torch.tensor(G_READ, dtype=torch.float64)))


def _conductances(n: int, generator: torch.Generator) -> torch.Tensor:
    return G_LOW + (G_HIGH - G_LOW) * torch.rand(n, n, generator=generator, dtype=torch.float64)


def _sneak(config: Config, ctx: RunContext, data: Data) -> None:
    """Read errors of ``reads`` random devices per size and cell type."""
    for n in config.sizes:
        g = _conductances(n, ctx.generator(n))
        picks = torch.randint(0, n, (config.reads, 2), generator=ctx.generator(n + 1))
        for name, cell in CELLS.items():
            read = _read_voltage(cell)
            errors = [float(read_error(g, int(i), int(j), read, "floating", cell)) for i, j in picks]
            data[f"read_errors_{name}_{n}"] = np.asarray(errors)


def _vmm(config: Config, ctx: RunContext, data: Data) -> None:
    """Column currents with ``wire_ohm`` wires and with ideal ones, per size and cell type."""
    for n in config.sizes:
        g = _conductances(n, ctx.generator(2 * n))
        bits = torch.rand(config.vectors, n, generator=ctx.generator(2 * n + 1), dtype=torch.float64) < 0.5
        for name, cell in CELLS.items():
            v = bits * _read_voltage(cell)
            iv = None if cell.access is None else cell.conduction()
            wired = PassiveCrossbar(g, config.wire_ohm, config.wire_ohm, iv=iv).solve(v, rtol=1e-9).currents
            ideal = cell.current(v[:, :, None], g).sum(dim=1)
            data[f"vmm_{name}_{n}"] = wired.numpy()
            data[f"vmm_ideal_{name}_{n}"] = ideal.numpy()


def _tuning(config: Config, ctx: RunContext, data: Data) -> None:
    """Write-verify the image into each cell type."""
    target = torch.as_tensor(G_LOW + (G_HIGH - G_LOW) * photograph(config.image_size))
    data["target"] = target.numpy()
    for name, cell in tqdm(CELLS.items(), desc="tuning", leave=False, disable=None):
        fresh = TIOX_4K.sample(target.shape, generator=ctx.generator(0), dtype=torch.float64)
        state = TIOX_4K.program(fresh, torch.full(target.shape, 14e-6, dtype=torch.float64))
        settings = WriteVerify(cycles=config.cycles, v_max=V_MAX[name])
        state, report = write_verify(TIOX_4K, state, target, settings, progress=False, cell=cell)
        data[f"g_{name}"], data[f"stuck_{name}"] = state.g.numpy(), state.stuck.numpy()
        data[f"cycle1_{name}"] = report.error_after_cycle[0].numpy()
        data[f"disturbed_{name}"] = report.disturbed.numpy()
        data[f"energy_{name}"] = report.energy_j


def simulate(config: Config, ctx: RunContext) -> Data:
    """Sneak-path reads, IR-drop VMMs and write-verify of the image, for every cell type."""
    data: Data = {"sizes": np.asarray(config.sizes), "wire_ohm": config.wire_ohm}
    _sneak(config, ctx, data)
    _vmm(config, ctx, data)
    _tuning(config, ctx, data)
    return data


def _vmm_error(data: Data, name: str, n: int) -> float:
    wired, ideal = data[f"vmm_{name}_{n}"], data[f"vmm_ideal_{name}_{n}"]
    return float(np.abs(wired - ideal).mean() / np.abs(ideal).mean())


def metrics(data: Data) -> dict[str, float]:
    """Read errors (64 x 64 and per size), tuning errors and disturbed shares, VMM errors, per cell type."""
    values = {}
    target = data["target"]
    for name in CELLS:
        values[f"read_error_{name}"] = float(np.abs(data[f"read_errors_{name}_64"]).mean())
        for n in data["sizes"]:
            values[f"read_error_{name}_{n}"] = float(np.abs(data[f"read_errors_{name}_{n}"]).mean())
            values[f"vmm_error_{name}_{n}"] = _vmm_error(data, name, int(n))
        working = ~data[f"stuck_{name}"]
        values[f"tuning_error_pct_{name}"] = float(100 * (np.abs(data[f"g_{name}"] - target) / target)[working].mean())
        values[f"cycle1_error_pct_{name}"] = float(100 * np.abs(data[f"cycle1_{name}"])[working].mean())
        values[f"disturbed_share_{name}"] = float((data[f"disturbed_{name}"] > 0).mean())
        values[f"write_energy_j_{name}"] = float(data[f"energy_{name}"])
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Read error vs size, tuning error after the first and last cycle, VMM error vs size, per cell type."""
    values = metrics(data)
    sizes = [int(n) for n in data["sizes"]]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4), layout="constrained")
    for name in CELLS:
        label = name.upper()
        axes[0].loglog(sizes, [max(values[f"read_error_{name}_{n}"], 1e-12) for n in sizes], "o-", label=label)
        axes[2].semilogx(sizes, [100 * values[f"vmm_error_{name}_{n}"] for n in sizes], "o-", label=label)
    axes[0].set(xlabel="array size N (N x N)", ylabel="mean |read error| (floating lines)", title="sneak paths")
    x = np.arange(len(CELLS))
    axes[1].bar(x - 0.2, [values[f"cycle1_error_pct_{n}"] for n in CELLS], 0.4, label="after cycle 1")
    axes[1].bar(x + 0.2, [values[f"tuning_error_pct_{n}"] for n in CELLS], 0.4, label="after the last cycle")
    axes[1].set_xticks(x, [n.upper() for n in CELLS])
    axes[1].set(ylabel="mean |tuning error| (%)", title="write-verify with half-select disturb")
    axes[2].set(xlabel="array size N (N x N)", ylabel="mean VMM error (%)",
                title=f"IR drop, {float(data['wire_ohm']):g} ohm per segment")
    for ax in axes:
        ax.legend()
    return {"array_cells": fig}


def cost(config: Config, dataset: None) -> Cost:
    """Dense floating-line solves (2N unknowns) per read, Newton circuit solves per size, and three tunings."""
    largest, solves = max(config.sizes), len(config.sizes) * (config.reads + config.vectors)
    return Cost(memory_bytes=8 * (2 * largest) ** 2 * 4 + 16 * largest**3,
                steps=3 * (solves + config.image_size**2 * config.cycles * 300))


EXPERIMENT = register(Experiment(
    name="array-cells",
    reference="zhang2019",
    summary="Sneak-path reads, half-select disturb and IR drop of 0T1R, 1S1R and 1T1R arrays (seed 002 Fig. 9)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
