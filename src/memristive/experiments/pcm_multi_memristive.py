"""``pcm-multi-memristive``: an MLP trained in situ on multi-memristive PCM synapses, N = 1, 2, 4, 8.

Boybat et al. (Nat. Commun. 9, 2514, 2018; seed 002 Fig. 12) hold each weight on N PCM
devices in parallel and program only one of them per update, picked by a global selection
counter; potentiation and depression counters set how often each kind of update is applied.
Here (``pcm-gst`` preset):

* *differential*: each side of a weight is N devices; a depression sets a device of the G- side
  (a PCM cell cannot be depressed gradually); a pair nearing saturation is refreshed
  (``refresh_share``); N = 1, 2, 4, 8;
* *non-differential* (``scheme="reference"``): N devices read against a reference column; a
  depression resets the selected device (abrupt), and the depression counter applies only every
  ``depress_every``-th depression; N = 8 with and without that counter.

Updates are whole pulses rounded to the nearest count (a fixed pulse per update threshold,
as in the paper's hardware scheme); c2c, reset, d2d variation and drift are the preset's.
Metrics: ``acc_float``, ``acc_n1`` .. ``acc_n8`` (differential), ``acc_n8_reference`` (with
the counter), ``acc_n8_no_counters`` (the same without), ``refreshes_n8`` per weight. The paper
shows accuracy rising with N in both architectures (its Fig. 4a, full MNIST, 784-250-10); it
gives these as a plot, so no number is attached here.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from memristive.crossbar import WeightMapping
from memristive.data import Dataset
from memristive.devices import PCMDevice, get_preset
from memristive.experiments.base import Cost, Data, Experiment, RunContext, training_cost
from memristive.experiments.device_training import TrainingSetup, curve_data, data_curves, plot_curves, train_on_devices
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, LEARNING_RATE, Settings, above

COPIES = (1, 2, 4, 8)


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``pcm-multi-memristive``."""

    preset: str = "pcm-gst"
    hidden: int = 64
    epochs: int = 10
    batch_size: int = 16
    lr: float = 0.3
    refresh_share: float = 0.9
    depress_every: int = 4
    n_train: int | None = None
    n_test: int | None = None

    constraints = {"hidden": COUNT, "epochs": COUNT, "batch_size": COUNT, "lr": LEARNING_RATE, "n_train": COUNT,
                   "n_test": COUNT, "depress_every": COUNT, "refresh_share": above(0.0, 1.0)}

    def validate(self) -> None:
        """A PCM preset."""
        get_preset(self.preset, PCMDevice)


QUICK = Config()
"""Quick: 64-64-10 on digits, 10 epochs, batch 16."""

FULL = Config(hidden=100, epochs=10, batch_size=32)
"""Full: 784-100-10 on Fashion-MNIST, 10 epochs, batch 32."""


def networks(config: Config) -> tuple[dict[str, PCMDevice], dict[str, dict]]:
    """Each network's device and layer options, by label."""
    pcm = get_preset(config.preset, PCMDevice)
    devices, options = {}, {}
    for n in COPIES:
        devices[f"n{n}"] = pcm.replace(refresh_share=config.refresh_share)
        options[f"n{n}"] = {"mapping": WeightMapping(copies=n)}
    for label, every in (("n8_reference", config.depress_every), ("n8_no_counters", 1)):
        devices[label] = pcm
        options[label] = {"mapping": WeightMapping(scheme="reference", copies=8), "depress_every": every}
    return devices, options


def simulate(config: Config, ctx: RunContext) -> Data:
    """The float MLP and every multi-memristive network from one start: per-epoch test accuracy."""
    data = ctx.dataset.subset(config.n_train, config.n_test)
    setup = TrainingSetup(hidden=config.hidden, epochs=config.epochs, batch_size=config.batch_size, lr=config.lr,
                          rounding="nearest")
    devices, options = networks(config)
    counts: dict[str, dict[str, float]] = {}
    curves = train_on_devices(devices, data, setup, ctx, layer_options=options, counts=counts)
    refreshes = {label: c["refreshes_per_weight"] for label, c in counts.items()}
    sizes = "-".join(map(str, (int(np.prod(data.image_shape)), config.hidden, data.n_classes)))
    return {**curve_data(curves), "title": f"{data.name}: MLP {sizes}, PCM ({config.preset})",
            "refresh_labels": np.array(list(refreshes)), "refreshes": np.array(list(refreshes.values()))}


def metrics(data: Data) -> dict[str, float]:
    """Final accuracy of every network; refreshes per weight of the N = 8 differential one."""
    curves = data_curves(data)
    values = {f"acc_{label}": float(curve[-1]) for label, curve in curves.items()}
    refreshes = dict(zip(data["refresh_labels"].tolist(), data["refreshes"].tolist()))
    values["refreshes_n8"] = float(refreshes.get("n8", float("nan")))
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Accuracy vs epoch of every network; final accuracy vs N."""
    curves = data_curves(data)
    fig, ax = plt.subplots(figsize=(6, 4))
    plot_curves(ax, curves, str(data["title"]))
    fig_n, ax_n = plt.subplots(figsize=(5, 3.5))
    ax_n.plot(COPIES, [curves[f"n{n}"][-1] for n in COPIES], marker="o", label="differential, refresh")
    for label, marker in (("n8_reference", "s"), ("n8_no_counters", "x")):
        ax_n.plot([8], [curves[label][-1]], marker=marker, ls="", label=label.replace("_", " "))
    ax_n.axhline(curves["float"][-1], color="grey", ls=":", label="float")
    ax_n.set(xscale="log", xticks=list(COPIES), xticklabels=[str(n) for n in COPIES], xlabel="devices per weight N",
             ylabel="test accuracy", title="multi-memristive PCM synapse")
    ax_n.legend(fontsize=8)
    ax_n.grid(alpha=0.3)
    return {"accuracy_vs_epoch": fig, "accuracy_vs_n": fig_n}


def cost(config: Config, dataset: Dataset) -> Cost:
    """Six in-situ MLPs and a float one (N copies multiply the device count, not the steps)."""
    return training_cost(dataset, config.n_train, (config.hidden,), config.batch_size, config.epochs,
                         runs=len(COPIES) + 3)


EXPERIMENT = register(Experiment(
    name="pcm-multi-memristive",
    reference="boybat2018",
    summary="multi-memristive PCM synapses (N = 1-8, arbitration, refresh) trained in situ",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
    datasets=("digits", "fashion-mnist"),
))
