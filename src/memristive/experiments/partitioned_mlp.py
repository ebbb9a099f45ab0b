"""``partitioned-mlp``: a two-layer perceptron trained in situ with both layers on one array (Li et al. 2018).

Li et al. (Nat. Commun. 9, 2385, 2018; seed 002 section 5.1) trained a two-layer perceptron on 8 x 8
MNIST images in situ on one 128 x 64 1T1R array (Ta/HfO2 devices), each layer a partition of it,
reaching 91.71 % on the MNIST test set. Here one balanced array of ``rows = 64 + 1`` (inputs and
bias) x ``64`` columns holds both layers (:class:`~memristive.crossbar.partition.ArrayPartition`,
:meth:`~memristive.nn.layer.MemristiveLayer.place`): layer 1 (64 + bias -> ``hidden``) in columns
``0:hidden``, layer 2 (``hidden`` + bias -> 10) in rows ``0:hidden + 1`` of the remaining columns
(``hidden = 54`` fills the 64 columns); the devices outside both blocks idle. The network
(sigmoid hidden units, softmax outputs) is trained by pulses through the partitions
(:func:`memristive.nn.train`, stochastic rounding), from the same float start as the same network
on two separate arrays and in float. Devices: ``preset`` (default ``taox-hfox``, NeuroSim's
TaOx/HfOx device: the family of the paper's devices, not a fit to them); reads are ideal (no wire
resistance), so the partitions share counters and periphery, not IR drop. The paper's update is an
open-loop two-pulse write of each device's target through its transistor's gate; ours is
identical pulses (a difference of scheme, stated here).

Datasets: quick ``digits`` (8 x 8 natively); full ``mnist-test`` (the canonical MNIST test set split
8,000 / 2,000, area-down-sampled to 8 x 8: the MNIST training set is not on these machines, and the
paper trained on all 60,000 images and tested on 10,000). Metrics: ``acc_partitioned`` (paper
91.71 %, on full MNIST), ``acc_separate``, ``acc_float`` (final test accuracy, mean over ``repeats``),
``used_share`` (devices inside a partition), ``pulses_partitioned``, ``write_energy_partitioned_j``.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from memristive.crossbar import ArrayPartition, CrossbarArray, WeightMapping
from memristive.data import Dataset
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments.base import Cost, Data, Experiment, RunContext, predicted
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, LEARNING_RATE, Settings
from memristive.nn import MemristiveLinear, MemristiveMLP, train

ARMS = ("float", "separate", "partitioned")
COLUMNS = 64
"""Columns of the shared array (the paper's 64)."""


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``partitioned-mlp``."""

    preset: str = "taox-hfox"
    hidden: int = 54
    epochs: int = 20
    batch_size: int = 32
    lr: float = 0.3
    repeats: int = 2

    constraints = {"hidden": COUNT, "epochs": COUNT, "batch_size": COUNT, "lr": LEARNING_RATE, "repeats": COUNT}

    def validate(self) -> None:
        """A pulse-driven preset; both layers fit in the 64 columns."""
        if "pulse" not in get_preset(self.preset).drives:
            raise MemristiveError(f"partitioned-mlp trains by identical pulses; {self.preset!r} is not pulse-driven")
        if self.hidden + 10 > COLUMNS:
            raise MemristiveError(f"hidden={self.hidden}: both layers must fit in {COLUMNS} columns "
                                  f"(hidden + 10 <= {COLUMNS})")


QUICK = Config()
"""Quick: digits, 20 epochs, batch 32, lr 0.3, 2 repeats."""

FULL = Config(repeats=3)
"""Full: MNIST test set split 8,000 / 2,000 at 8 x 8, 20 epochs, 3 repeats."""


def inputs_8x8(images: torch.Tensor) -> torch.Tensor:
    """[n, h, w] images in [0, 1] -> [n, 64] (area down-sampling where they are not 8 x 8)."""
    if images.shape[-2:] != (8, 8):
        images = F.interpolate(images[:, None], size=(8, 8), mode="area")[:, 0]
    return images.flatten(1).to(torch.float32)


def partitions(array: CrossbarArray, hidden: int, classes: int) -> tuple[ArrayPartition, ArrayPartition]:
    """Layer 1 in columns ``0:hidden`` (all rows), layer 2 in rows ``0:hidden + 1`` of columns
    ``hidden:hidden + classes``."""
    return (ArrayPartition(array, (0, array.rows), (0, hidden)),
            ArrayPartition(array, (0, hidden + 1), (hidden, hidden + classes)))


def _run(config: Config, data: Dataset, x_train, x_test, ctx: RunContext, stream: int) -> dict[str, dict]:
    device = get_preset(config.preset)
    sizes = [x_train.shape[1], config.hidden, data.n_classes]
    make = lambda a, b: MemristiveLinear(a, b, device)  # noqa: E731
    init = MemristiveMLP(sizes, device, generator=ctx.generator(stream), layer=make)
    common = {"epochs": config.epochs, "batch_size": config.batch_size, "lr": config.lr}
    out = {}
    for k, arm in enumerate(ARMS):
        model = MemristiveMLP(sizes, device, layer=make)
        model.load_state_dict(init.state_dict())
        array = None
        if arm == "partitioned":
            array = CrossbarArray(x_train.shape[1] + 1, COLUMNS, device, WeightMapping(scheme="balanced"),
                                  generator=ctx.generator(stream + 10), dtype=torch.float32)
            for layer, part in zip(model.layers, partitions(array, config.hidden, data.n_classes), strict=True):
                layer.place(part)
        history = train(model, x_train, data.y_train, x_test, data.y_test,
                        mode="float" if arm == "float" else "insitu", generator=ctx.generator(stream + 1 + k),
                        desc=arm, **common)
        arrays = [array] if array is not None else [layer.array for layer in model.layers if layer.hardware]
        out[arm] = {"curve": history.test_accuracy,
                    "pulses": float(sum(float(a.pulses_applied) for a in arrays)),
                    "energy": float(sum(float(a.write_energy_j) for a in arrays))}
    return out


def simulate(config: Config, ctx: RunContext) -> Data:
    """Float, two-array and one-array training from common starts, ``repeats`` times."""
    data = ctx.dataset
    x_train, x_test = inputs_8x8(data.x_train), inputs_8x8(data.x_test)
    runs = [_run(config, data, x_train, x_test, ctx, 100 * r) for r in range(config.repeats)]
    result: Data = {"dataset": data.name, "preset": config.preset, "hidden": config.hidden,
                    "used_share": ((x_train.shape[1] + 1) * config.hidden + (config.hidden + 1) * data.n_classes)
                    / ((x_train.shape[1] + 1) * COLUMNS)}
    for arm in ARMS:
        result[f"curve_{arm}"] = np.array([run[arm]["curve"] for run in runs])
        result[f"pulses_{arm}"] = np.array([run[arm]["pulses"] for run in runs])
        result[f"energy_{arm}"] = np.array([run[arm]["energy"] for run in runs])
    return result


def metrics(data: Data) -> dict[str, float]:
    """Final test accuracies (mean over repeats), the used share, the partitioned network's pulses and energy."""
    values = {f"acc_{arm}": float(data[f"curve_{arm}"][:, -1].mean()) for arm in ARMS}
    values["used_share"] = float(data["used_share"])
    values["pulses_partitioned"] = float(data["pulses_partitioned"].mean())
    values["write_energy_partitioned_j"] = float(data["energy_partitioned"].mean())
    values["pulses_separate"] = float(data["pulses_separate"].mean())
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Test accuracy vs epoch per arm; the layout of the shared array."""
    fig, (ax, ax_map) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    for arm in ARMS:
        curve = data[f"curve_{arm}"]
        epochs = np.arange(1, curve.shape[1] + 1)
        ax.plot(epochs, curve.mean(0), marker=".", label=arm)
        ax.fill_between(epochs, curve.min(0), curve.max(0), alpha=0.2)
    ax.axhline(0.9171, color="grey", ls=":", lw=1, label="paper 91.71 % (full MNIST)")
    ax.set(xlabel="epoch", ylabel="test accuracy", title=f"64-{int(data['hidden'])}-10 on {data['dataset']}, "
           f"{data['preset']}")
    ax.legend(fontsize=8)
    hidden, rows = int(data["hidden"]), 65
    layout = np.zeros((rows, COLUMNS))
    layout[:, :hidden] = 1
    layout[: hidden + 1, hidden:hidden + 10] = 2
    ax_map.imshow(layout, cmap="Pastel1_r", aspect="auto", interpolation="nearest")
    ax_map.text(hidden / 2, rows / 2, "layer 1", ha="center")
    ax_map.text(hidden + 5, hidden / 2, "layer 2", ha="center", rotation=90)
    ax_map.set(xlabel="column", ylabel="row (inputs, bias)",
               title=f"one array, {float(data['used_share']):.0%} of its pairs used")
    return {"accuracy_vs_epoch": fig}


def cost(config: Config, dataset: Dataset | None) -> Cost:
    """Three networks per repeat, every epoch over the training set."""
    n = len(dataset.x_train) if dataset is not None else 8000
    return Cost(memory_bytes=65 * COLUMNS * 2 * 8 * 16 + n * 64 * 4,
                steps=len(ARMS) * config.repeats * config.epochs * max(1, n // config.batch_size))


EXPERIMENT = register(Experiment(
    name="partitioned-mlp",
    reference="li2018insitu",
    summary="Two-layer perceptron trained in situ with both layers as partitions of one 65 x 64 array (Li et al. 2018)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {"acc_partitioned": predicted(0.9171, 0.01, absolute=True, datasets=("mnist", "mnist-test"),
                                                       detail="the paper trained on 60,000 MNIST images")},
    datasets=("digits", "mnist-test"),
))
