"""``crossbar-slp-mnist8x8``: a 64x10 perceptron imported into a passive array (seed 003, Fig. 4).

Software: binary 8x8 images (area down-sampling, threshold 0.5), a single-layer perceptron
with rectified-linear outputs, dropout 0.5 on the inputs, batch 100, lr 0.01 (Adam: the
paper gives the rate, not the optimiser), weights clipped to [0, 1] after every step
(seed 003, Fig. S4). Hardware: weights mapped to 10-100 uS (``G = 10 uS + 90 uS w``),
inputs at 0 / 0.25 V; each import draws every conductance uniformly in
``target * [1 - e, 1 + e]`` (seed 003's import model; each trial is one array whose unit
deviations and stuck map serve every error level, so levels differ by ``e`` alone), sets a
share of stuck devices
(seed 003: 45 / 4096, at 0.5 uS), and reads the column currents through the exact circuit
solver with ``r_wire`` ohm per segment. The class is the column with the largest current.
Accuracy is the mean over ``trials`` imports per error level.

Metrics: ``accuracy_software``, ``accuracy_error_<e>pct`` for every level, ``gap_1pct``
(software minus hardware at 1 %, in percentage points; paper 1.87), and that gap decomposed: each
non-ideality alone on the same arrays, the others off (exact wires are a plain ``V G`` product):
``gap_import_1pct`` (the 1 % import error only), ``gap_stuck_1pct`` (the stuck devices only),
``gap_wire_1pct`` (the wires only). Datasets: quick
``digits`` (natively 8x8); full ``mnist-test`` (the canonical MNIST test set split 8,000 /
2,000: the MNIST training set is not on these machines, the paper trained on 60,000).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from memristive.crossbar import PassiveCrossbar
from memristive.crossbar.circuit import WIRE_OHMS
from memristive.errors import MemristiveError
from memristive.data import Dataset
from memristive.experiments.base import Cost, Data, Experiment, RunContext, predicted
from memristive.experiments.registry import register
from memristive.experiments.settings import CONDUCTANCE, COUNT, Interval, LEARNING_RATE, SHARE, Settings, VOLTAGE, at_least


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``crossbar-slp-mnist8x8``."""

    errors_pct: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0)
    trials: int = 20
    epochs: int = 30
    batch_size: int = 100
    lr: float = 0.01
    dropout: float = 0.5
    g_low: float = 10e-6
    g_high: float = 100e-6
    read_v: float = 0.25
    stuck_share: float = 45 / 4096
    g_stuck: float = 0.5e-6
    r_wire: float = 1.0

    constraints = {"errors_pct": Interval(0.0, 100.0, "neither", "%"), "trials": COUNT, "epochs": COUNT,
                   "batch_size": COUNT, "lr": LEARNING_RATE, "dropout": SHARE, "g_low": CONDUCTANCE,
                   "g_high": CONDUCTANCE, "read_v": VOLTAGE, "stuck_share": SHARE,
                   "g_stuck": Interval(0.0, 1.0, "both", "S"), "r_wire": at_least(*WIRE_OHMS, "ohm")}

    def validate(self) -> None:
        """The window is ordered."""
        if not self.g_low < self.g_high:
            raise MemristiveError(f"need g_low < g_high, got {self.g_low}, {self.g_high}")


QUICK = Config()
"""Same settings in both modes; the dataset differs (digits / mnist-test)."""

FULL = QUICK
"""Full: the same settings."""


def binary_8x8(images: torch.Tensor) -> torch.Tensor:
    """[n, h, w] images in [0, 1] -> [n, 64] binary inputs (area down-sampling, threshold 0.5)."""
    if images.shape[-2:] != (8, 8):
        images = F.interpolate(images[:, None], size=(8, 8), mode="area")[:, 0]
    return (images > 0.5).to(torch.float64).flatten(1)


def train_slp(x: torch.Tensor, y: torch.Tensor, config: Config, generator: torch.Generator) -> torch.Tensor:
    """Weights [64, 10] in [0, 1] of the software perceptron."""
    weights = torch.rand(x.shape[1], 10, generator=generator, dtype=torch.float64).requires_grad_()
    optimiser = torch.optim.Adam([weights], lr=config.lr)
    for _ in tqdm(range(config.epochs), desc="slp", leave=False, disable=None):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(order), config.batch_size):
            idx = order[start : start + config.batch_size]
            keep = (torch.rand(x[idx].shape, generator=generator, dtype=x.dtype) >= config.dropout).to(x.dtype)
            logits = torch.relu((x[idx] * keep / (1 - config.dropout)) @ weights)
            optimiser.zero_grad()
            F.cross_entropy(logits, y[idx]).backward()
            optimiser.step()
            with torch.no_grad():
                weights.clamp_(0.0, 1.0)
    return weights.detach()


def _hardware_accuracy(g: torch.Tensor, voltages: torch.Tensor, labels: torch.Tensor, r_wire: float) -> float:
    """Share of inputs whose largest column current (exact circuit solve; ``r_wire`` 0: ``V G``) is the label's."""
    m_eff = PassiveCrossbar(g, r_wire, r_wire).effective_conductance() if r_wire > 0 else g
    return float(((voltages @ m_eff).argmax(1) == labels).double().mean())


ALONE = ("import", "stuck", "wire")
"""The non-idealities the 1 % gap is decomposed into, each applied alone."""


def simulate(config: Config, ctx: RunContext) -> Data:
    """Train in software, then import with errors, stuck devices and wires: accuracy per level and trial."""
    data = ctx.dataset
    x_train, x_test = binary_8x8(data.x_train), binary_8x8(data.x_test)
    generator = ctx.generator()
    weights = train_slp(x_train, data.y_train, config, generator)
    software = float(((x_test @ weights).argmax(1) == data.y_test).double().mean())
    target = config.g_low + (config.g_high - config.g_low) * weights
    voltages = config.read_v * x_test

    accuracy = np.zeros((len(config.errors_pct), config.trials))
    alone = np.zeros((len(ALONE), config.trials))
    for trial in tqdm(range(config.trials), desc="imports", leave=False, disable=None):
        # one array per trial (its stuck map and unit deviations), imported at every precision
        u = 2 * torch.rand(target.shape, generator=generator, dtype=target.dtype) - 1
        stuck = torch.rand(target.shape, generator=generator, dtype=target.dtype) < config.stuck_share
        stuck_g = torch.full_like(target, config.g_stuck)
        for k, error in enumerate(config.errors_pct):
            g = torch.where(stuck, stuck_g, target * (1 + error / 100 * u))
            accuracy[k, trial] = _hardware_accuracy(g, voltages, data.y_test, config.r_wire)
        if 1.0 in config.errors_pct:  # the same array with one non-ideality at a time
            for k, (g, r_wire) in enumerate(((target * (1 + u / 100), 0.0), (torch.where(stuck, stuck_g, target), 0.0),
                                             (target, config.r_wire))):
                alone[k, trial] = _hardware_accuracy(g, voltages, data.y_test, r_wire)
    return {"errors_pct": np.array(config.errors_pct), "accuracy": accuracy, "accuracy_software": software,
            "accuracy_alone_1pct": alone, "dataset": data.name, "r_wire": config.r_wire}


def metrics(data: Data) -> dict[str, float]:
    """Software accuracy, mean hardware accuracy per import error, the gap at 1 % (points)."""
    software = float(data["accuracy_software"])
    values = {"accuracy_software": software}
    values.update({f"accuracy_error_{e:g}pct": float(a) for e, a in zip(data["errors_pct"], data["accuracy"].mean(1))})
    if 1.0 in data["errors_pct"]:
        values["gap_1pct"] = 100 * (software - values["accuracy_error_1pct"])
        values.update({f"gap_{name}_1pct": 100 * (software - float(a))
                       for name, a in zip(ALONE, data["accuracy_alone_1pct"].mean(1))})
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Hardware accuracy (mean and spread over trials) vs import error, against software."""
    accuracy = data["accuracy"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.errorbar(data["errors_pct"], 100 * accuracy.mean(1), yerr=100 * accuracy.std(1), marker="o", capsize=3,
                label="hardware (simulated)")
    ax.axhline(100 * float(data["accuracy_software"]), color="k", ls="--", label="software")
    ax.set_xscale("log")
    ax.set(xlabel="weight import error (%)", ylabel="test accuracy (%)",
           title=f"64x10 SLP on binary 8x8 {data['dataset']}, {float(data['r_wire']):g} ohm wires, stuck devices")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return {"accuracy_vs_import_error": fig}


def cost(config: Config, dataset: Dataset) -> Cost:
    """A 64 x 10 layer per trial and error; every batch of every epoch of every import."""
    n = len(dataset.x_train)
    return Cost(memory_bytes=n * 64 * 8 * 4, steps=(1 + config.trials * (len(config.errors_pct) + len(ALONE)))
                * config.epochs * -(-n // config.batch_size))


EXPERIMENT = register(Experiment(
    name="crossbar-slp-mnist8x8",
    reference="kim2021",
    summary="64x10 perceptron imported into a passive array: accuracy vs import error (seed 003 Fig. 4)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {"gap_1pct": predicted(1.87, 0.5, absolute=True, datasets=("mnist", "mnist-test"),
                                                detail="percentage points, MNIST")}
    if 1.0 in config.errors_pct else {},
    datasets=("digits", "mnist-test"),
))
