"""``pcm-3t1c``: an MLP trained in situ on PCM + 3T1C synapses, against a plain PCM pair and float.

Ambrogio et al. (Nature 558, 60, 2018; seed 002 Fig. 13) add to each PCM pair of higher
significance (gain ``F``) a capacitor-held cell of lower significance with linear, symmetric
updates; training updates go to the cell, and periodically the cell's weight is transferred into
the pair and the cell reset, reaching 97.94 % on MNIST (software-equivalent). Here
(:class:`~memristive.nn.significance.TwoSignificanceLinear`): ``msb_preset`` pairs (``pcm-gst``:
gradual saturating set, abrupt reset, drift, programming noise), ``lsb_preset`` cells
(``3t1c-capacitor``: 128 linear steps, leakage with 1 s), ``gain`` 3, a transfer every
``transfer_every`` updates, each update lasting ``update_dt_s`` (the cells leak, the pairs drift); the
plain network trains the same pairs directly by pulses (``refresh_share``: a pair nearing
saturation is reset and its difference rewritten); the float network by SGD; all three from one
float start, ``repeats`` times. The cell and circuit values, the gain, the transfer interval and
the step time are our choices, not the paper's.

Datasets: quick ``digits``; full ``fashion-mnist``; ``--dataset mnist-test`` for the canonical MNIST
test set split 8,000 / 2,000 (the paper trained on all 60,000 MNIST training images, which are not on
these machines). Metrics: ``acc_3t1c``, ``acc_pcm_pair``, ``acc_float`` (final test accuracy, mean over
repeats), ``transfers`` (per layer), ``pulses_3t1c``, ``pulses_pcm_pair``.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from memristive.data import Dataset
from memristive.devices import PCMDevice, get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.experiments.base import Cost, Data, Experiment, RunContext, training_cost
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, LEARNING_RATE, Settings, above, at_least
from memristive.nn import MemristiveLinear, MemristiveMLP, train
from memristive.nn.significance import TwoSignificanceLinear

ARMS = ("float", "pcm_pair", "3t1c")


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``pcm-3t1c``."""

    msb_preset: str = "pcm-gst"
    lsb_preset: str = "3t1c-capacitor"
    hidden: int = 64
    epochs: int = 10
    batch_size: int = 16
    lr: float = 0.3
    gain: float = 3.0
    lsb_w_max: float = 0.25
    transfer_every: int = 100
    update_dt_s: float = 1e-3
    refresh_share: float = 0.9
    repeats: int = 2
    n_train: int | None = None
    n_test: int | None = None

    constraints = {"hidden": COUNT, "epochs": COUNT, "batch_size": COUNT, "lr": LEARNING_RATE,
                   "gain": above(0.0, 1e3), "lsb_w_max": above(0.0, 1e3), "transfer_every": COUNT,
                   "update_dt_s": at_least(0.0, 1e6, "s"), "refresh_share": above(0.0, 1.0), "repeats": COUNT,
                   "n_train": COUNT, "n_test": COUNT}

    def validate(self) -> None:
        """A PCM preset for the pairs and a pulse preset for the cells."""
        get_preset(self.msb_preset, PCMDevice)
        get_preset(self.lsb_preset, NonlinearPulseDevice)


QUICK = Config()
"""Quick: 64-64-10 on digits, 10 epochs, batch 16, 2 repeats."""

FULL = Config(hidden=100, batch_size=32, repeats=3)
"""Full: 784-100-10 on Fashion-MNIST, 10 epochs, batch 32, 3 repeats."""


def _layers(config: Config, arm: str):
    pcm = get_preset(config.msb_preset, PCMDevice)
    if arm == "3t1c":
        cell = get_preset(config.lsb_preset, NonlinearPulseDevice)
        return lambda a, b: TwoSignificanceLinear(a, b, pcm, cell, gain=config.gain, lsb_w_max=config.lsb_w_max,
                                                  transfer_every=config.transfer_every,
                                                  update_dt=config.update_dt_s)
    w_max = config.gain * config.lsb_w_max  # the same weight range as the 3t1c network's pairs
    return lambda a, b: MemristiveLinear(a, b, pcm.replace(refresh_share=config.refresh_share), w_max=w_max,
                                         update_dt=config.update_dt_s)


def _run(config: Config, data: Dataset, ctx: RunContext, stream: int) -> dict[str, dict]:
    x_train, x_test = data.x_train.flatten(1), data.x_test.flatten(1)
    sizes = [x_train.shape[1], config.hidden, data.n_classes]
    pcm = get_preset(config.msb_preset, PCMDevice)
    start = MemristiveMLP(sizes, pcm, generator=ctx.generator(stream), layer=_layers(config, "pcm_pair"))
    common = {"epochs": config.epochs, "batch_size": config.batch_size, "lr": config.lr}
    out = {}
    for k, arm in enumerate(ARMS):
        model = MemristiveMLP(sizes, pcm, layer=_layers(config, "pcm_pair" if arm == "float" else arm))
        if arm == "3t1c":  # the pairs start where the others start, the cells at zero
            for layer, first in zip(model.layers, start.layers, strict=True):
                layer.msb.load_state_dict(first.state_dict())
        else:
            model.load_state_dict(start.state_dict())
        history = train(model, x_train, data.y_train, x_test, data.y_test, mode="float" if arm == "float" else "insitu",
                        generator=ctx.generator(stream + 1 + k), desc=arm, **common)
        out[arm] = {"curve": history.test_accuracy, "pulses": float(sum(history.pulses)),
                    "transfers": float(np.mean([getattr(layer, "transfers", 0) for layer in model.layers]))}
    return out


def simulate(config: Config, ctx: RunContext) -> Data:
    """Float, plain PCM pair and PCM + 3T1C networks from common starts, ``repeats`` times."""
    data = ctx.dataset.subset(config.n_train, config.n_test)
    runs = [_run(config, data, ctx, 100 * r) for r in range(config.repeats)]
    sizes = "-".join(map(str, (int(np.prod(data.image_shape)), config.hidden, data.n_classes)))
    result: Data = {"title": f"{data.name}: MLP {sizes}, {config.msb_preset} pairs"}
    for arm in ARMS:
        for key in ("curve", "pulses", "transfers"):
            result[f"{key}_{arm}"] = np.array([run[arm][key] for run in runs])
    return result


def metrics(data: Data) -> dict[str, float]:
    """Final accuracies (mean over repeats), transfers per layer, pulses."""
    values = {f"acc_{arm}": float(data[f"curve_{arm}"][:, -1].mean()) for arm in ARMS}
    values["transfers"] = float(data["transfers_3t1c"].mean())
    values["pulses_3t1c"] = float(data["pulses_3t1c"].mean())
    values["pulses_pcm_pair"] = float(data["pulses_pcm_pair"].mean())
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Test accuracy vs epoch of the three networks (mean and range over repeats)."""
    fig, ax = plt.subplots(figsize=(6, 4))
    for arm in ARMS:
        curve = data[f"curve_{arm}"]
        epochs = np.arange(1, curve.shape[1] + 1)
        ax.plot(epochs, curve.mean(0), marker=".", label={"float": "float", "pcm_pair": "PCM pair",
                                                          "3t1c": "PCM + 3T1C"}[arm])
        ax.fill_between(epochs, curve.min(0), curve.max(0), alpha=0.2)
    ax.set(xlabel="epoch", ylabel="test accuracy", title=str(data["title"]))
    ax.legend(fontsize=8)
    return {"accuracy_vs_epoch": fig}


def cost(config: Config, dataset: Dataset) -> Cost:
    """Three MLPs per repeat (the 3T1C one on two arrays per layer)."""
    return training_cost(dataset, config.n_train, (config.hidden,), config.batch_size, config.epochs,
                         runs=4 * config.repeats)


EXPERIMENT = register(Experiment(
    name="pcm-3t1c",
    reference="ambrogio2018",
    summary="MLP on PCM + 3T1C synapses (capacitor lower significance, periodic transfer) vs PCM pair vs float",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
    datasets=("digits", "fashion-mnist"),
    slow=True,
))
