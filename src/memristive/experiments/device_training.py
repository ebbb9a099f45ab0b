"""Shared by the training experiments: one MLP per device from a common start, and the plot.

Every network starts from the same float initial weights (drawn from the run's seed),
is placed on its own sampled devices and learns in situ by pulses
(:func:`memristive.nn.train`); an optional float network trains by plain SGD from the
same start. Inputs can be binarised (seed 004's 1-bit inputs). The curves go into an
experiment's data as labelled arrays (:func:`curve_data`, :func:`data_curves`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch

from memristive.data import Dataset
from memristive.devices import DeviceModel, get_preset
from memristive.experiments.base import Data, RunContext
from memristive.nn import MemristiveLinear, MemristiveMLP, memristive_layers, train


@dataclass(frozen=True)
class TrainingSetup:
    """Network and optimiser settings shared by every device's run (``hidden=None``: a single layer)."""

    hidden: int | None
    epochs: int
    batch_size: int
    lr: float
    binary_inputs: bool = False
    rounding: str = "stochastic"


def inputs(data: Dataset, binary: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Flattened train and test inputs in [0, 1]; thresholded at 0.5 when ``binary``."""
    x_train, x_test = data.x_train.flatten(1), data.x_test.flatten(1)
    if binary:
        return (x_train > 0.5).to(x_train.dtype), (x_test > 0.5).to(x_test.dtype)
    return x_train, x_test


def train_on_devices(devices: dict[str, DeviceModel], data: Dataset, setup: TrainingSetup, ctx: RunContext,
                     with_float: bool = True, stream: int = 0,
                     layer_options: dict[str, dict[str, Any]] | None = None,
                     counts: dict[str, dict[str, float]] | None = None) -> dict[str, list[float]]:
    """Per-epoch test accuracy of one in-situ MLP per device (and of the float MLP, key ``"float"``).

    ``stream`` offsets the run's random streams, so callers can train several
    independent groups from one seed; ``layer_options[label]`` are extra keywords of that
    network's :class:`~memristive.nn.MemristiveLinear` layers (mapping, arbitration counters, verify);
    ``counts``, when given, receives each network's :func:`hardware_counts` after training.
    """
    x_train, x_test = inputs(data, setup.binary_inputs)
    sizes = [x_train.shape[1], *([] if setup.hidden is None else [setup.hidden]), data.n_classes]
    # the float network never touches devices; any preset serves as its container
    first = next(iter(devices.values()), None) or get_preset("tpt-ram-110")
    init = MemristiveMLP(sizes, first, generator=ctx.generator(stream))
    common = {"epochs": setup.epochs, "batch_size": setup.batch_size, "lr": setup.lr}
    curves = {}
    if with_float:
        model = MemristiveMLP(sizes, first)
        model.load_state_dict(init.state_dict())
        curves["float"] = train(model, x_train, data.y_train, x_test, data.y_test, mode="float",
                                generator=ctx.generator(stream + 1), desc="float", **common).test_accuracy
    for i, (label, device) in enumerate(devices.items()):
        options = {"rounding": setup.rounding, **(layer_options or {}).get(label, {})}
        model = MemristiveMLP(sizes, device, layer=lambda a, b, d=device, o=options: MemristiveLinear(a, b, d, **o))
        model.load_state_dict(init.state_dict())
        curves[label] = train(model, x_train, data.y_train, x_test, data.y_test, mode="insitu",
                              generator=ctx.generator(stream + 2 + i), desc=label, **common).test_accuracy
        if counts is not None:
            counts[label] = hardware_counts(model)
    return curves


COUNTERS = ("pulses_applied", "write_energy_j", "verify_reads", "verify_energy_j")
"""The arrays' counters that :func:`hardware_counts` sums."""


def hardware_counts(model: torch.nn.Module) -> dict[str, float]:
    """A network's hardware counters summed over its memristive layers' arrays (:data:`COUNTERS`), and
    ``refreshes_per_weight``: pair refreshes per weight (each pair counts on both devices; 0 for models that
    do not refresh)."""
    arrays = [getattr(layer.array, "array", layer.array) for layer in memristive_layers(model) if layer.hardware]
    arrays = list({id(a): a for a in arrays}.values())  # partitions of one array count it once
    totals = {name: float(sum(float(getattr(a, name)) for a in arrays)) for name in COUNTERS}
    counted = [plane.refreshes for a in arrays for plane in a.planes if hasattr(plane, "refreshes")]
    weights = sum(a.rows * a.cols for a in arrays)
    totals["refreshes_per_weight"] = float(sum(float(c.sum()) for c in counted)) / (2 * weights) if counted else 0.0
    return totals


def curve_data(curves: dict[str, Any], name: str = "curves") -> Data:
    """Labelled curves of equal shape as data: ``NAME_labels`` (strings) and ``NAME`` [curve, ...]."""
    return {f"{name}_labels": np.array(list(curves)), name: np.array([np.asarray(c, dtype=float) for c in curves.values()])}


def data_curves(data: Data, name: str = "curves") -> dict[str, np.ndarray]:
    """The labelled curves :func:`curve_data` stored."""
    return dict(zip(data[f"{name}_labels"].tolist(), data[name], strict=True))


def plot_curves(ax: plt.Axes, curves: dict[str, Any], title: str) -> None:
    """Test accuracy vs epoch, one line per curve."""
    for label, curve in curves.items():
        ax.plot(np.arange(1, len(curve) + 1), curve, marker="o", ms=3, label=label)
    ax.set(xlabel="epoch", ylabel="test accuracy", title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
