"""``qc-states-mlp``: MLP accuracy vs the number of quantized-conductance states (seed 004, Fig. 5).

An MLP with binary (1-bit) inputs learns in situ on quantized-conductance devices:
every weight is a differential pair of QC devices, so it can only take the values the
states allow, and every backprop update becomes whole pulses of one state each
(stochastic rounding), each pulse re-drawing the device's conductance from its state's
distribution (:mod:`memristive.devices.quantized`). Two comparisons, as in Fig. 5:

* ``acc_states_{4,16,32,64}``: sample A's ladder (``hfox-qc-a``) with 4, 16, 32, 64
  states over the same 16 -> 0.5 G0 range (Fig. 5c);
* ``acc_32_ideal``, ``acc_32_a``, ``acc_32_b``: 32 states of the ideal device and of
  samples A and B (Fig. 5d).

Reading of the paper's network, "784 input neurons, two-layer arrangement of 16 x 16
(256) hidden neurons, and 10 output neurons": one hidden layer of 256 sigmoid units
(drawn as a 16 x 16 sheet), i.e. two weight layers, 784-256-10. The paper gives no
learning rate, batch size or weight mapping; here: batch 100, lr 1.0 on the batch-mean
cross-entropy, weights in [-1, 1] as differential pairs, bias as an extra row. ``rounding``: how an
update becomes whole pulses (:data:`memristive.crossbar.pulses.ROUNDINGS`): ``stochastic`` (the default
reading) or ``nearest`` (updates under half a state are lost; see docs/reproductions.md for what each
reproduces).

Every accuracy is the mean final-epoch test accuracy of ``repeats`` independent runs
(own initial weights, shuffling and device draws): the ideal / A / B differences are of
the order of one run's epoch-to-epoch jitter (the paper's ideal vs A is 0.1 point), so a
single run cannot order them. ``std_<curve>`` gives the run-to-run spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from memristive.crossbar.pulses import check_rounding
from memristive.devices import QuantizedConductanceDevice, get_preset
from memristive.errors import MemristiveError
from memristive.data import Dataset
from memristive.experiments.base import Claim, Cost, Data, Experiment, RunContext, predicted, training_cost
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, LEARNING_RATE, Settings, at_least
from memristive.experiments.device_training import (TrainingSetup, curve_data, data_curves, plot_curves,
                                                      train_on_devices)


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``qc-states-mlp``."""

    states: tuple[int, ...] = (4, 16, 32, 64)
    ladder: str = "hfox-qc-a"
    samples: tuple[str, ...] = ("hfox-qc-ideal", "hfox-qc-a", "hfox-qc-b")
    hidden: int = 256
    epochs: int = 10
    batch_size: int = 100
    lr: float = 1.0
    n_train: int | None = None
    n_test: int | None = None
    repeats: int = 3
    rounding: str = "stochastic"

    constraints = {"states": at_least(2, 4096), "hidden": COUNT, "epochs": COUNT, "batch_size": COUNT,
                   "lr": LEARNING_RATE, "n_train": COUNT, "n_test": COUNT, "repeats": COUNT}

    def validate(self) -> None:
        """Quantized presets and a known rounding."""
        check_rounding(self.rounding)
        for name in (self.ladder, *self.samples):
            if not isinstance(get_preset(name), QuantizedConductanceDevice):
                raise MemristiveError(f"qc-states-mlp needs quantized presets; {name!r} is not one")


QUICK = Config(hidden=64, epochs=20, batch_size=16, lr=0.3)
"""Quick: digits (64 binary inputs), 64 hidden units, 20 epochs, batch 16, lr 0.3."""

FULL = Config()
"""Full: the paper's 784-256-10 for 10 epochs."""


def _label(name: str) -> str:
    return name.removeprefix("hfox-qc-")


def simulate(config: Config, ctx: RunContext) -> Data:
    """Train one in-situ MLP per state count and per sample, ``repeats`` times: per-epoch test accuracy."""
    data = ctx.dataset.subset(config.n_train, config.n_test)
    setup = TrainingSetup(hidden=config.hidden, epochs=config.epochs, batch_size=config.batch_size,
                          lr=config.lr, binary_inputs=True, rounding=config.rounding)
    ladder = get_preset(config.ladder)
    states = {f"{n} states": ladder.replace(states=n) for n in config.states}
    samples = {_label(name): get_preset(name).replace(states=32) for name in config.samples}
    runs_states, runs_samples = [], []
    for r in range(config.repeats):
        runs_states.append(train_on_devices(states, data, setup, ctx, with_float=True, stream=1000 * r))
        runs_samples.append(train_on_devices(samples, data, setup, ctx, with_float=False, stream=1000 * r + 500))
    by_repeat = {name: {key: [run[key] for run in runs] for key in runs[0]}
                 for name, runs in (("states", runs_states), ("samples", runs_samples))}
    return {**curve_data(by_repeat["states"], "states"), **curve_data(by_repeat["samples"], "samples"),
            "dataset": data.name, "ladder": config.ladder}


def metrics(data: Data) -> dict[str, float]:
    """Mean final accuracy over the repeats of every curve (``std_...``: their spread, with repeats > 1)."""
    states, samples = data_curves(data, "states"), data_curves(data, "samples")
    finals = {f"acc_states_{label.removesuffix(' states')}": curve[:, -1]
              for label, curve in states.items() if label != "float"}
    finals.update({f"acc_32_{label}": curve[:, -1] for label, curve in samples.items()})
    finals["acc_float"] = states["float"][:, -1]
    values = {key: float(np.mean(v)) for key, v in finals.items()}
    if len(states["float"]) > 1:
        values.update({key.replace("acc_", "std_", 1): float(np.std(v, ddof=1)) for key, v in finals.items()})
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Mean accuracy vs epoch: by number of states, and by sample at 32 states."""
    states, samples = data_curves(data, "states"), data_curves(data, "samples")
    repeats = len(states["float"])
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    mean_of = f"mean of {repeats} runs" if repeats > 1 else "one run"
    plot_curves(axes[0], {k: v.mean(axis=0) for k, v in states.items()},
                f"{data['dataset']}, binary inputs: {data['ladder']} with n states ({mean_of})")
    plot_curves(axes[1], {k: v.mean(axis=0) for k, v in samples.items()},
                f"{data['dataset']}: 32 states, samples ({mean_of})")
    return {"accuracy_vs_epoch": fig}


PAPER_MNIST = {"acc_states_4": 0.10, "acc_states_16": 0.712, "acc_states_32": 0.868, "acc_states_64": 0.935,
               "acc_32_ideal": 0.861, "acc_32_a": 0.860, "acc_32_b": 0.84}
"""Seed 004's MNIST accuracies after 10 epochs (Fig. 5c, d; sample B "about 2 % lower")."""


def paper_values(config: Config) -> dict[str, Claim]:
    """The paper's numbers for the metrics this config produces: predictions, judged on MNIST only (+- 2 points:
    they are read off its figures)."""
    keys = {f"acc_states_{n}" for n in config.states} | {f"acc_32_{_label(s)}" for s in config.samples}
    return {k: predicted(v, 0.02, absolute=True, datasets=("mnist", "mnist-test"), detail="read off Fig. 5")
            for k, v in PAPER_MNIST.items() if k in keys}


def cost(config: Config, dataset: Dataset) -> Cost:
    """One MLP per state count, per sample and a float one, ``repeats`` times: every batch of every epoch."""
    runs = config.repeats * (len(config.states) + len(config.samples) + 1)
    return training_cost(dataset, config.n_train, (config.hidden,), config.batch_size, config.epochs, runs=runs)


EXPERIMENT = register(Experiment(
    name="qc-states-mlp",
    reference="chen2020",
    summary="MLP on quantized-conductance HfOx synapses: accuracy vs number of states and sample (seed 004 Fig. 5)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=paper_values,
    datasets=("digits", "fashion-mnist"),
    slow=True,
))
