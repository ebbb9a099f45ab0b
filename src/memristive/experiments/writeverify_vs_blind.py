"""``writeverify-vs-blind``: one network trained in situ with blind pulses and with write-verify updates.

Yao et al. (Nat. Commun. 8, 15199, 2017; seed 002 section 5.1) trained a one-layer perceptron
online on a 1T1R array of TaOx/HfAlyOx devices and compared updates by blind pulses with
updates that read each device back after every pulse (write-verify). Here the same comparison
on two presets, ``taox-hfox`` (the NeuroSim entry of that device family: nearly linear steps,
cycle-to-cycle noise of about 5 nominal steps per pulse) and ``pcmo`` (strongly nonlinear steps,
little noise), and on our datasets (digits in quick mode; the paper's faces are not available):

* *blind*: each update is ``n = round_s(dw / dw_pulse)`` identical pulses per device (push-pull
  on the pair), whatever they do;
* *write-verify*: the same pulse counts set each device's target ``G + n dG`` (``dG`` the
  nominal step), and the device is read after every pulse and pulsed towards the target until it
  is within ``tolerance`` steps or has had ``verify_pulses`` pulses
  (:class:`~memristive.crossbar.UpdateVerify`).

A 1T1R array has no half-select disturb, so every device's loop is independent (the
transistor's own drop is not in the device-level energy counted here). Both schemes train
from the same float start on their own devices, ``repeats`` times with independent
initial weights, shuffling and device draws. Metrics (means over the repeats; the first preset
unsuffixed, the others with ``_NAME``): ``acc_float``, ``acc_blind``, ``acc_writeverify``; the
write energy of the whole training ``energy_blind_j`` and ``energy_writeverify_j`` (pulses
``|V I| t``, plus the verify reads ``V^2 G t`` for write-verify); pulses, verify reads and the
time they take (``pulses x width + reads x read time``). No number is compared with the paper
(a different task and network size).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from memristive.crossbar import UpdateVerify
from memristive.data import Dataset
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments.base import Cost, Data, Experiment, RunContext, training_cost
from memristive.experiments.device_training import (TrainingSetup, curve_data, data_curves, plot_curves,
                                                    train_on_devices)
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, LEARNING_RATE, Interval, Settings


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``writeverify-vs-blind`` (``hidden=None``: the paper's single layer)."""

    presets: tuple[str, ...] = ("taox-hfox", "pcmo")
    hidden: int | None = None
    epochs: int = 10
    batch_size: int = 32
    lr: float = 0.2
    tolerance: float = 0.5
    verify_pulses: int = 20
    read_time_s: float = 1e-6
    repeats: int = 3
    n_train: int | None = None
    n_test: int | None = None

    constraints = {"hidden": COUNT, "epochs": COUNT, "batch_size": COUNT, "lr": LEARNING_RATE,
                   "tolerance": Interval(0.0, 1.0, "neither"), "verify_pulses": COUNT, "read_time_s": DURATION,
                   "repeats": COUNT, "n_train": COUNT, "n_test": COUNT}

    def validate(self) -> None:
        """Presets driven by identical pulses."""
        for name in self.presets:
            if "pulse" not in get_preset(name).drives:
                raise MemristiveError(f"writeverify-vs-blind needs pulse-driven presets; {name!r} is not one")


QUICK = Config(repeats=2)
"""Quick: digits, a 64 -> 10 single layer, 10 epochs, batch 32, lr 0.2, 2 repeats."""

FULL = Config()
"""Full: the 784 -> 10 single layer on the dataset given (Fashion-MNIST by default), 10 epochs, batch 32,
3 repeats."""


def networks(config: Config) -> tuple[dict, dict]:
    """Each network's device and layer options by label: ``blind`` / ``writeverify`` on the first preset,
    ``blind_NAME`` / ``writeverify_NAME`` on the others."""
    verify = UpdateVerify(tolerance=config.tolerance, max_pulses=config.verify_pulses,
                          read_time_s=config.read_time_s)
    devices, options = {}, {}
    for k, name in enumerate(config.presets):
        suffix = "" if k == 0 else "_" + name.replace("-", "_")
        for scheme, option in (("blind", {}), ("writeverify", {"verify": verify})):
            devices[scheme + suffix], options[scheme + suffix] = get_preset(name), option
    return devices, options


def simulate(config: Config, ctx: RunContext) -> Data:
    """Float, blind and write-verify training from one start, ``repeats`` times: accuracy curves and counters."""
    data = ctx.dataset.subset(config.n_train, config.n_test)
    setup = TrainingSetup(hidden=config.hidden, epochs=config.epochs, batch_size=config.batch_size, lr=config.lr)
    devices, options = networks(config)
    runs, counters = [], []
    for r in range(config.repeats):
        counts: dict[str, dict[str, float]] = {}
        runs.append(train_on_devices(devices, data, setup, ctx, layer_options=options, counts=counts,
                                     stream=1000 * r))
        counters.append(counts)
    names = sorted(next(iter(counters[0].values())))
    sizes = "-".join(map(str, (int(np.prod(data.image_shape)), *([config.hidden] if config.hidden else []),
                               data.n_classes)))
    return {**curve_data({key: [run[key] for run in runs] for key in runs[0]}),
            "network_labels": np.array(list(devices)),
            "network_presets": np.array([model.name for model in devices.values()]),
            "counter_names": np.array(names),
            "counters": np.array([[[c[label][n] for n in names] for label in devices] for c in counters]),
            "pulse_width_s": np.array([float(model.pulse_width_s) for model in devices.values()]),
            "read_time_s": config.read_time_s, "title": f"{data.name}: {sizes}"}


def _counters(data: Data) -> dict[str, dict[str, np.ndarray]]:
    """Network label -> counter name -> one value per repeat; ``energy_j`` (pulses and verify reads) and
    ``write_time_s`` (pulses x width + verify reads x read time) added."""
    names = data["counter_names"].tolist()
    table = {}
    for k, label in enumerate(data["network_labels"].tolist()):
        c = {name: data["counters"][:, k, n] for n, name in enumerate(names)}
        c["energy_j"] = c["write_energy_j"] + c["verify_energy_j"]
        c["write_time_s"] = c["pulses_applied"] * float(data["pulse_width_s"][k]) + c["verify_reads"] * float(
            data["read_time_s"])
        table[label] = c
    return table


def metrics(data: Data) -> dict[str, float]:
    """Per network: mean final accuracy (``std_``: its spread over the repeats), write energy (J), pulses and
    write time (s); per write-verify network its verify reads and their share of the energy."""
    curves = data_curves(data)
    values = {f"acc_{label}": float(curve[:, -1].mean()) for label, curve in curves.items()}
    if len(curves["float"]) > 1:
        values.update({f"std_{label}": float(curve[:, -1].std(ddof=1)) for label, curve in curves.items()})
    for label, c in _counters(data).items():
        scheme, _, suffix = label.partition("_")
        tail = "_" + suffix if suffix else ""
        values[f"energy_{label}_j"] = float(c["energy_j"].mean())
        values[f"pulses_{label}"] = float(c["pulses_applied"].mean())
        values[f"write_time_{label}_s"] = float(c["write_time_s"].mean())
        if scheme == "writeverify":
            values[f"verify_reads{tail}"] = float(c["verify_reads"].mean())
            values[f"verify_energy_share{tail}"] = float((c["verify_energy_j"] / c["energy_j"]).mean())
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Mean accuracy vs epoch per network; final accuracy against the training's write energy, one point per
    run."""
    curves, counters = data_curves(data), _counters(data)
    named = {"float": "float", **{label: f"{label.partition('_')[0]} ({preset})" for label, preset in
                                  zip(data["network_labels"].tolist(), data["network_presets"].tolist())}}
    fig, ax = plt.subplots(figsize=(6, 4))
    plot_curves(ax, {named[k]: v.mean(axis=0) for k, v in curves.items()},
                f"{data['title']} (mean of {len(curves['float'])} runs)")
    fig_e, ax_e = plt.subplots(figsize=(5.5, 3.8))
    for label, c in counters.items():
        ax_e.plot(c["energy_j"], curves[label][:, -1], "o" if label.startswith("blind") else "s", label=named[label])
    ax_e.axhline(float(curves["float"][:, -1].mean()), color="grey", ls=":", label="float")
    ax_e.set(xscale="log", xlabel="write energy of the training, J", ylabel="final test accuracy",
             title="accuracy vs write energy")
    ax_e.grid(alpha=0.3)
    ax_e.legend(fontsize=8)
    return {"accuracy_vs_epoch": fig, "accuracy_vs_energy": fig_e}


def cost(config: Config, dataset: Dataset) -> Cost:
    """Two in-situ networks and a float one per repeat; a verified step costs up to ``verify_pulses`` rounds."""
    hidden = () if config.hidden is None else (config.hidden,)
    return training_cost(dataset, config.n_train, hidden, config.batch_size, config.epochs,
                         runs=config.repeats * (1 + len(config.presets) * (1 + config.verify_pulses // 4)))


EXPERIMENT = register(Experiment(
    name="writeverify-vs-blind",
    reference="yao2017",
    summary="In-situ training by blind pulses vs write-verify updates: accuracy, pulses and write energy",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
    datasets=("digits", "fashion-mnist", "mnist-test"),
    slow=True,
))
