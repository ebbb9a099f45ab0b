"""``insitu-mlp``: an MLP trained in situ on device presets vs the same MLP in float.

Each preset's network starts from the same initial weights as the float one,
placed on sampled devices (d2d), and learns by pulses only: every minibatch
gradient becomes stochastic-rounded pulse counts applied push-pull to the
differential pair through the device model (nonlinearity, asymmetry, levels,
bounds, c2c noise). The float network trains with plain SGD at the same learning
rate. Metrics: ``accuracy_float``, ``accuracy_device`` (the first preset),
``accuracy_<preset>`` for every preset (dashes as underscores), ``epochs``.

Choices where the papers are silent: sigmoid hidden units (inputs to the next
array stay in [0, 1] V/read_v), bias as an extra array row, ideal DAC/ADC,
weights in [-1, 1] (seed 000). The papers give no accuracy on these datasets and
network sizes, so no paper values are attached; the expected ordering (TPT-RAM,
nu 0.20/1.29, above Ag:a-Si, nu 2.4/-4.88) follows seed 000's comparison with
filamentary RRAM and NeuroSim's benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.data import Dataset
from memristive.experiments.base import Cost, Data, Experiment, RunContext, training_cost
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, LEARNING_RATE, Settings
from memristive.experiments.device_training import (TrainingSetup, curve_data, data_curves, plot_curves,
                                                      train_on_devices)


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``insitu-mlp``."""

    presets: tuple[str, ...] = ("tpt-ram-110", "ag-asi")
    hidden: int = 64
    epochs: int = 30
    batch_size: int = 16
    lr: float = 0.3
    n_train: int | None = None
    n_test: int | None = None

    constraints = {"hidden": COUNT, "epochs": COUNT, "batch_size": COUNT, "lr": LEARNING_RATE, "n_train": COUNT,
                   "n_test": COUNT}

    def validate(self) -> None:
        """At least one preset, each one that exists."""
        if not self.presets:
            raise MemristiveError("presets must name at least one device preset")
        for name in self.presets:
            get_preset(name)


QUICK = Config()
"""Quick: 64-64-10 on digits, 30 epochs, batch 16."""

FULL = Config(hidden=100, epochs=10, batch_size=200, lr=1.0)
"""Full: seed 000's MLP, 784-100-10, 10 epochs, batch 200; lr 1.0 on the batch-mean loss (seed 000's lr
0.01 is for its own loss scaling, which the paper does not give).
"""


def metric_key(preset: str) -> str:
    """Metric key of one preset's accuracy."""
    return "accuracy_" + preset.replace("-", "_")


def simulate(config: Config, ctx: RunContext) -> Data:
    """Train the float network and one in-situ network per preset: per-epoch test accuracy."""
    data = ctx.dataset.subset(config.n_train, config.n_test)
    setup = TrainingSetup(hidden=config.hidden, epochs=config.epochs, batch_size=config.batch_size, lr=config.lr)
    curves = train_on_devices({p: get_preset(p) for p in config.presets}, data, setup, ctx)
    sizes = "-".join(map(str, (int(np.prod(data.image_shape)), config.hidden, data.n_classes)))
    return {**curve_data(curves), "title": f"{data.name}: MLP {sizes}"}


def metrics(data: Data) -> dict[str, float]:
    """Final accuracy of each network; ``accuracy_device`` is the first preset's."""
    curves = data_curves(data)
    presets = [label for label in curves if label != "float"]
    values = {"accuracy_float": curves["float"][-1], "accuracy_device": curves[presets[0]][-1]}
    values.update({metric_key(p): curves[p][-1] for p in presets})
    values["epochs"] = len(curves["float"])
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Test accuracy vs epoch of every network."""
    fig, ax = plt.subplots(figsize=(6, 4))
    plot_curves(ax, data_curves(data), str(data["title"]))
    return {"accuracy_vs_epoch": fig}


def cost(config: Config, dataset: Dataset) -> Cost:
    """One MLP per preset and a float one: every batch of every epoch."""
    return training_cost(dataset, config.n_train, (config.hidden,), config.batch_size, config.epochs,
                         runs=len(config.presets) + 1)


EXPERIMENT = register(Experiment(
    name="insitu-mlp",
    reference="mou2021",
    summary="MLP trained in situ by device pulses (TPT-RAM, Ag:a-Si, ...) vs float",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
    datasets=("digits", "fashion-mnist"),
))
