"""``pde-jacobi``: Poisson and wave equations on bit-sliced, block-tiled arrays (seed 002, section 6).

Poisson ``-div(kappa grad u) = 1`` on a ``grid x grid`` interior grid (``u = 0`` on the boundary,
``kappa = 1 + 0.5 sin(3 x) cos(2 y)`` so the matrix entries are not powers of two) is solved by
Jacobi iteration whose residual ``f - A u`` is read from :class:`memristive.algorithms.pde.BlockOperator`:
``tile x tile`` arrays (the paper's 32 x 32), all-zero blocks skipped, every weight sliced over
``K`` devices of ``bits`` bits. The solution is compared with scipy's direct sparse solve for every
``K`` and for each relative programming error in ``noise`` (uniform, every device).

Wave: ``u_tt = lap(u)`` stepped ``steps`` times by leapfrog (Courant number ``courant``) from a
Gaussian bump, the step matrix held by the arrays, against the same steps in floating point.

Metrics at the largest programming error, ``noise[-1]``: ``rel_error_k1`` and
``rel_error_best`` (the best over ``K``), ``floor_slices`` (the fewest slices within a factor 2 of the
best: where the device-noise floor starts), ``blocks_skipped_share``, ``iterations`` (Jacobi
iterations of the exact-device run with the most slices), one ``rel_error_e<noise>_k<K>`` per point,
``wave_rel_error_k<K>`` (after ``steps``, at ``noise[-1]``). A Jacobi run that diverges (too few
bits: the rounded matrix is no longer diagonally dominant) reports NaN. Zidan et al. (Nat.
Electron. 1, 411, 2018) solve 2-D Poisson and wave problems on a 32 x 32 Ta2O5 array of 16-level
devices sliced for precision; their error figures are not in the texts we have offline, so paper
values are none.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import scipy.sparse
import scipy.sparse.linalg
import torch
from tqdm.auto import tqdm

from memristive.algorithms.pde import BlockOperator, jacobi, leapfrog, poisson_matrix, wave_matrix
from memristive.crossbar import WeightMapping
from memristive.devices import get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext, relative_error
from memristive.experiments.registry import register
from memristive.experiments.settings import BITS, COUNT, Interval, SHARE, Settings, above, at_least


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``pde-jacobi``."""

    grid: int = 16
    tile: int = 32
    bits: int = 4
    slices: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 8, 10, 12)
    noise: tuple[float, ...] = (0.0, 1e-4, 1e-3, 1e-2)
    tol: float = 1e-12
    max_iter: int = 5000
    courant: float = 0.5
    steps: int = 100
    preset: str = "taox-hfox"

    constraints = {"grid": at_least(2), "tile": COUNT, "bits": BITS, "slices": COUNT, "noise": SHARE,
                   "tol": above(0.0, 1.0), "max_iter": COUNT, "courant": Interval(0.0, 2**-0.5, "right"),
                   "steps": COUNT}

    def validate(self) -> None:
        """Whole tiles, at most 48 bits of slices, an analog preset."""
        require((self.grid * self.grid) % self.tile == 0,
                f"a {self.grid} x {self.grid} grid ({self.grid**2} unknowns) does not fit {self.tile} x {self.tile} "
                "arrays: grid^2 must be a multiple of tile")
        require(max(self.slices) * self.bits <= 48, f"{max(self.slices)} slices of {self.bits} bits exceed 48 bits")
        get_preset(self.preset, NonlinearPulseDevice)


FULL = Config()
"""Full: a 16 x 16 grid (256 unknowns) on 32 x 32 arrays, 4-bit (16-level) devices, 1-12 slices."""

QUICK = Config(grid=8, tile=16, slices=(1, 2, 3, 4, 6, 8, 10), noise=(0.0, 1e-3, 1e-2), steps=50)
"""Quick: an 8 x 8 grid on 16 x 16 arrays."""


def conductivity(grid: int) -> torch.Tensor:
    """``kappa = 1 + 0.5 sin(3 x) cos(2 y)`` at the ``(grid + 2)^2`` points of the unit square."""
    y, x = torch.meshgrid(torch.linspace(0, 1, grid + 2, dtype=torch.float64),
                          torch.linspace(0, 1, grid + 2, dtype=torch.float64), indexing="ij")
    return 1 + 0.5 * torch.sin(3 * x) * torch.cos(2 * y)


def simulate(config: Config, ctx: RunContext) -> Data:
    """Jacobi on arrays for every (noise, slices) point; leapfrog waves per slice count."""
    generator = ctx.generator()
    device = get_preset(config.preset, NonlinearPulseDevice).ideal()
    n = config.grid
    a = poisson_matrix(n, n, conductivity(n))
    f = torch.ones(n * n, dtype=torch.float64)
    exact = scipy.sparse.linalg.spsolve(scipy.sparse.csr_matrix(a.numpy()), f.numpy())
    errors = np.zeros((len(config.noise), len(config.slices)))
    iterations = np.zeros_like(errors, dtype=np.int64)
    solutions = np.zeros((len(config.noise), len(config.slices), n * n))
    skipped = 0.0
    points = [(i, k) for i in range(len(config.noise)) for k in range(len(config.slices))]
    for i, k in tqdm(points, desc="pde-jacobi", leave=False, disable=None):
        mapping = WeightMapping(slices=config.slices[k], slice_bits=config.bits)
        operator = BlockOperator(a, config.tile, device, mapping, import_error=config.noise[i], generator=generator)
        skipped = operator.skipped_share
        run = jacobi(operator, torch.diagonal(a), f, tol=config.tol, max_iter=config.max_iter)
        solutions[i, k], iterations[i, k] = run.u.numpy(), run.iterations
        errors[i, k] = float("nan") if run.diverged else relative_error(run.u.numpy(), exact)
    m = wave_matrix(n, n, config.courant)
    y, x = torch.meshgrid(torch.linspace(0, 1, n + 2, dtype=torch.float64)[1:-1],
                          torch.linspace(0, 1, n + 2, dtype=torch.float64)[1:-1], indexing="ij")
    bump = torch.exp(-((x - 0.4) ** 2 + (y - 0.5) ** 2) / 0.02).flatten()
    float_waves = leapfrog(lambda u: m @ u, bump, bump, config.steps).numpy()
    waves = np.zeros((len(config.slices), *float_waves.shape))
    for k, slices in enumerate(config.slices):
        operator = BlockOperator(m, config.tile, device, WeightMapping(slices=slices, slice_bits=config.bits),
                                 import_error=config.noise[-1], generator=generator)
        waves[k] = leapfrog(operator, bump, bump, config.steps).numpy()
    return {"grid": n, "slices": np.array(config.slices), "noise": np.array(config.noise), "bits": config.bits,
            "exact": exact, "errors": errors, "iterations": iterations, "solutions": solutions,
            "blocks_skipped_share": skipped, "float_waves": float_waves, "waves": waves}


def metrics(data: Data) -> dict[str, float]:
    """Errors vs slices at every noise level, the floor, the blocks skipped, the iterations, the waves."""
    slices, noise, errors = data["slices"], data["noise"], data["errors"]
    main = errors[-1]
    best = float(np.nanmin(main))
    values = {"rel_error_k1": float(main[0]), "rel_error_best": best,
              "floor_slices": float(slices[np.nonzero(main <= 2 * best)[0][0]]),
              "blocks_skipped_share": float(data["blocks_skipped_share"]),
              "iterations": float(data["iterations"][0][-1])}
    for e, row in zip(noise, errors, strict=True):
        values.update({f"rel_error_e{e:g}_k{int(k)}": float(v) for k, v in zip(slices, row, strict=True)})
    for k, wave in zip(slices, data["waves"], strict=True):
        values[f"wave_rel_error_k{int(k)}"] = relative_error(wave[-1], data["float_waves"][-1])
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Error vs slices per noise level; the solution; the last wave state."""
    slices, bits = data["slices"], int(data["bits"])
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for e, row in zip(data["noise"], data["errors"], strict=True):
        ax.semilogy(slices, row, "o-", label=f"programming error {e:g}")
    ax.semilogy(slices, 2.0 ** (-bits * slices.astype(float)), "k:", lw=1, label=f"2^(-{bits} K)")
    ax.set(xlabel=f"slices K ({bits} bits each)", ylabel="|u - u_scipy| / |u_scipy|",
           title=f"Poisson {int(data['grid'])} x {int(data['grid'])}, Jacobi on arrays "
                 f"({float(data['blocks_skipped_share']) * 100:.0f} % blocks skipped)")
    ax.legend(fontsize=7)
    figures = {"error_vs_slices": fig}
    n = int(data["grid"])
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2))
    panels = ((data["exact"], "scipy direct"), (data["solutions"][-1][-1], f"arrays, K = {int(slices[-1])}, "
                                                f"error {float(data['noise'][-1]):g}"),
              (data["waves"][-1][-1], f"wave after {data['waves'].shape[1] - 2} steps (arrays)"))
    for ax, (field, title) in zip(axes, panels, strict=True):
        im = ax.imshow(field.reshape(n, n), cmap="viridis")
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        fig.colorbar(im, ax=ax, shrink=0.8)
    figures["solutions"] = fig
    return figures


def cost(config: Config, dataset: None) -> Cost:
    """The grid^2 x grid^2 operator as bit-sliced tiles (dense, a few copies per slice); every Jacobi iteration of
    every (noise, slices) point and the leapfrog steps."""
    unknowns = config.grid**2
    return Cost(memory_bytes=unknowns**2 * 8 * 4 * max(config.slices),
                steps=len(config.noise) * len(config.slices) * config.max_iter + len(config.slices) * config.steps)


EXPERIMENT = register(Experiment(
    name="pde-jacobi",
    reference="zidan2018",
    summary="Poisson by Jacobi and waves by leapfrog on block-tiled, bit-sliced arrays: error vs slices and noise",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
