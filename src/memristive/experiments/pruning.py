"""``pruning-mlp`` and ``pruning-lenet5``: network pruning by dual-mode TPT-RAM synapses (seed 000, Fig. 5).

Every weight is a differential pair of dual-mode devices on the general layers
(:class:`~memristive.nn.MemristiveLinear`, :class:`~memristive.nn.MemristiveConv2d`: kernels on
crossbar columns), read as ``w = w_max (s+ - s-)`` with ``s`` each device's position in the
window of its present mode (``WeightMapping(readout="share")``). An update sets the device on
the side of the update; a diffusive device cannot be depressed (it falls back only by
relaxing), a formed one is (push-pull); a pair with one device just formed is stabilised whole
(:meth:`~memristive.devices.DualModeDevice.couple`); volatile devices relax for ``step_s``
after every update. Two copies of the network start from the same weights:

* **pruned**: every device pristine (diffusive). Training by pulses: pairs updated often
  enough form and turn nonvolatile; in every rest stage (each epoch for the MLP, every 2
  for LeNet-5) the unformed ones relax to the HRS and their weights to exactly 0;
* **baseline**: every device formed from the start ("conventional nonvolatile synapses",
  the ``tpt-ram-110`` model), the pair balanced about mid-window.

Both learn in situ (SGD, batch 200 on the batch-mean cross-entropy) with c2c noise on
every pulse. Test accuracy is measured after every epoch (after the rest where there is
one); the last epoch ends with a rest.

Metrics: ``accuracy_pruned``, ``accuracy_baseline``, ``accuracy_gap`` (pruned - baseline),
``overfit_gap_pruned`` / ``overfit_gap_baseline`` (accuracy on as many training images as test images, minus
the test accuracy: the paper credits pruning with removing overfitting),
``pruning_rate`` (share of weights, biases excluded, with |w| < 1e-6, seed 000's
definition) and per layer ``pruning_rate_<layer>``, ``formed_share`` (share of weights
with a formed pair), and
``power_reduction`` = 1 - P_pruned / P_baseline with the synaptic power
``P = sum V_in^2 (G+ + G-)`` over an inference (mean over the test images, read at 0.2 V).
Paper (MNIST): pruning 73.8 % / 84.2 %, power -38 % / -63 %, ~99 % (LeNet-5).

Our settings where the paper gives none: the weight window ``w_max = w_max_scale /
sqrt(fan_in)`` per layer (normalised weights ``w / w_max`` in (-1, 1), as in the paper);
``lr`` on the batch-mean loss (the paper's 0.01 is for an unstated loss scale and weight
mapping); volatile devices relax for ``step_s`` after every update; rest stages last
``rest_s``; forming after ~75 +- 7 consecutive-pulse equivalents (the device model's
default, from the 50-to-100-pulse forming of Fig. 4B); how updates become whole pulses,
``rounding``, and the most one update gives a device, ``max_pulses``
(:class:`~memristive.nn.linear.PulseRounder`). Both networks accumulate them
(mixed precision): minibatch noise of alternating sign cancels before it costs a pulse,
so the pairs that collect enough pulses to form are the ones the gradient pushes steadily,
not the ones it merely shakes (with stochastic rounding the pruned network's mask did no
better than a random mask of the same density; see docs/reproductions.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from memristive.crossbar import WeightMapping
from memristive.crossbar.pulses import check_pulse_budget, check_rounding
from memristive.devices.dual_mode import DualModeDevice
from memristive.devices.presets import TPT_RAM_110_DUAL
from memristive.errors import MemristiveError
from memristive.data import Dataset
from memristive.experiments.base import Claim, Cost, Data, Experiment, RunContext, predicted, training_cost
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, LEARNING_RATE, Settings, above, at_least
from memristive.experiments.device_training import curve_data, data_curves, plot_curves
from memristive.nn import (
    MemristiveConv2d,
    MemristiveLayer,
    MemristiveLinear,
    MemristiveMLP,
    accuracy,
    network_read_power,
    train,
)
from memristive.nn.lenet import LeNet5, lenet_input

PRUNED_BELOW = 1e-6
"""|w| below which a weight counts as pruned (seed 000)."""

NETWORKS = ("mlp", "lenet5")


@dataclass(frozen=True)
class Config(Settings):
    """Settings shared by ``pruning-mlp`` and ``pruning-lenet5``."""

    network: str = "mlp"
    hidden: int = 100
    epochs: int = 10
    rest_every: int = 1
    batch_size: int = 200
    lr: float = 2.0
    w_max_scale: float = 8.0
    step_s: float = 10e-3
    rest_s: float = 5.0
    rounding: str = "accumulate"
    max_pulses: int | None = None
    n_train: int | None = None
    n_test: int | None = None
    power_images: int = 1000

    constraints = {"hidden": COUNT, "epochs": COUNT, "rest_every": COUNT, "batch_size": COUNT, "lr": LEARNING_RATE,
                   "w_max_scale": above(0.0, 1e6), "step_s": at_least(0.0, 1e6, "s"), "rest_s": DURATION,
                   "max_pulses": COUNT, "n_train": COUNT, "n_test": COUNT, "power_images": COUNT}

    def validate(self) -> None:
        """A known network and rounding, training that ends with a rest stage."""
        if self.network not in NETWORKS:
            raise MemristiveError(f"network={self.network!r} must be one of {NETWORKS}")
        check_rounding(self.rounding)
        check_pulse_budget(self.max_pulses)
        if self.epochs % self.rest_every:
            raise MemristiveError(f"epochs={self.epochs} must be a multiple of rest_every={self.rest_every} "
                                  "(training ends with a rest stage)")


@dataclass(frozen=True)
class MlpConfig(Config):
    """``pruning-mlp``: 784-100-10, 10 epochs, a rest every epoch."""


MLP_QUICK = MlpConfig(batch_size=15, lr=1.7)
"""Quick: digits (64-100-10), batch 15, lr 1.7 (1,257 images: fewer steps, so more pulses per step for
pairs to form).
"""

MLP_FULL = MlpConfig()
"""Full: the paper's batch 200 and 10 epochs; lr 2.0 and w_max_scale 8 are ours."""


@dataclass(frozen=True)
class LeNetConfig(Config):
    """``pruning-lenet5``: LeNet-5, 20 epochs, a rest every 2 epochs.

    Five layers need two guards the MLP does without (docs/reproductions.md): a budget of 2
    pulses per device and update (``max_pulses``), without which the pristine devices' steep
    first pulses make the output layer diverge, and a 3 ms leak per step (``step_s``, not 10 ms),
    under which the weak gradients of the layers far from the output still hold the weights
    they use instead of the whole network decaying to zero.
    """

    network: str = "lenet5"
    epochs: int = 20
    rest_every: int = 2
    lr: float = 0.25
    w_max_scale: float = 5.0
    step_s: float = 3e-3
    max_pulses: int | None = 2


LENET_QUICK = LeNetConfig(batch_size=10, epochs=10, lr=0.3)
"""Quick: digits resized to 28 x 28, 10 epochs, batch 10, lr 0.3."""

LENET_FULL = LeNetConfig()
"""Full: the paper's batch 200 and 20 epochs. lr, w_max_scale, step_s and max_pulses are ours."""


def build(config: Config, n_inputs: int, n_classes: int, device: DualModeDevice) -> nn.Module:
    """The network of ``config`` on dual-mode pairs, ``w_max = w_max_scale / sqrt(fan_in)`` per layer."""
    def w_max(fan_in: int) -> float:
        return config.w_max_scale / fan_in ** 0.5

    options = {"mapping": WeightMapping(readout="share"), "update_dt": config.step_s, "rounding": config.rounding,
               "max_pulses": config.max_pulses, "device_dtype": torch.float64}  # rest-stage decays: float64

    def linear(a: int, b: int) -> MemristiveLinear:
        return MemristiveLinear(a, b, device, w_max=w_max(a), **options)

    if config.network == "mlp":
        return MemristiveMLP([n_inputs, config.hidden, n_classes], device, layer=linear)

    def conv(a: int, b: int, k: int) -> MemristiveConv2d:
        return MemristiveConv2d(a, b, k, device, w_max=w_max(a * k * k), **options)

    return LeNet5(conv, linear, n_classes)


def pair_layers(model: nn.Module) -> dict[str, MemristiveLayer]:
    """The memristive layers of ``model`` by name."""
    return {name: m for name, m in model.named_modules() if isinstance(m, MemristiveLayer)}


def pruned_share(layer: MemristiveLayer) -> float:
    """Share of a layer's weights (bias excluded) with |w| < 1e-6."""
    return float((layer.weight.abs() < PRUNED_BELOW).double().mean())


def formed_share(layer: MemristiveLayer) -> float:
    """Share of a layer's pairs (bias excluded) with at least one formed device."""
    pos, neg = layer.array.planes
    return float((pos.formed | neg.formed)[:-1].double().mean())


def network_inputs(config: Config, images: torch.Tensor) -> torch.Tensor:
    """What the network reads: flattened pixels (MLP) or 32 x 32 frames (LeNet-5)."""
    return images.flatten(1) if config.network == "mlp" else lenet_input(images)


def _pooled(shares: list[float], counts: list[int]) -> float:
    """Per-layer shares of weights pooled over all layers' weights."""
    return sum(share * count for share, count in zip(shares, counts, strict=True)) / sum(counts)


def pruning_rate(layers: dict[str, MemristiveLayer]) -> float:
    """Share of all weights (biases excluded) with |w| < 1e-6."""
    return _pooled([pruned_share(layer) for layer in layers.values()], [layer.weight.numel() for layer in layers.values()])


def simulate(config: Config, ctx: RunContext) -> Data:
    """Train the pruned and the baseline network from the same start: accuracy per epoch, pruning per epoch and
    layer, read power, final normalised weights."""
    data = ctx.dataset.subset(config.n_train, config.n_test)
    x_train, x_test = network_inputs(config, data.x_train), network_inputs(config, data.x_test)
    curves, rates, models, fitted = {}, [], {}, {}
    for label, formed in (("pruned", False), ("baseline", True)):
        device = TPT_RAM_110_DUAL.replace(forming_keeps_state=True, start_formed=formed)
        model = build(config, x_train[0].numel(), data.n_classes, device)
        layers = pair_layers(model)
        start = ctx.generator(1)  # the same initial weights for both networks
        for layer in layers.values():
            layer.reset_parameters(start)
            if formed:  # conventional nonvolatile synapses: pairs balanced about mid-window
                layer.init_devices(start)
            else:  # pristine pairs: each weight on the device of its sign
                layer.program(0.0, start)

        def rest_stage(epoch: int, layers=layers, formed=formed) -> None:
            if (epoch + 1) % config.rest_every == 0:
                for layer in layers.values():
                    layer.advance(config.rest_s)
            if not formed:
                rates.append(pruning_rate(layers))

        history = train(model, x_train, data.y_train, x_test, data.y_test, mode="insitu", epochs=config.epochs,
                        batch_size=config.batch_size, lr=config.lr, generator=ctx.generator(2), desc=label,
                        epoch_end=rest_stage)
        curves[label], models[label] = history.test_accuracy, model
        # the same number of training images as test images: the train / test gap measures overfitting
        fitted[label] = accuracy(model, x_train[: len(x_test)], data.y_train[: len(x_test)])

    pruned_layers = pair_layers(models["pruned"])
    power_x = x_test[: config.power_images]
    result: Data = {**curve_data(curves), "pruning_rate_per_epoch": np.array(rates),
                    "layers": np.array(list(pruned_layers)),
                    "layer_weights": np.array([layer.weight.numel() for layer in pruned_layers.values()]),
                    "layer_pruned_share": np.array([pruned_share(layer) for layer in pruned_layers.values()]),
                    "layer_formed_share": np.array([formed_share(layer) for layer in pruned_layers.values()]),
                    "title": f"{config.network} on {data.name}: rest every {config.rest_every} epoch(s)"}
    for label, model in models.items():
        result[f"train_accuracy_{label}"] = fitted[label]
        result[f"power_{label}_w"] = network_read_power(model, power_x)
        result[f"weights_{label}"] = torch.cat([(layer.weight / layer.w_max).detach().flatten()
                                                for layer in pair_layers(model).values()]).numpy()
    return result


def metrics(data: Data) -> dict[str, float]:
    """Final accuracies and their gap, pruning rate (pooled and per layer), formed share, power reduction."""
    curves = data_curves(data)
    counts = data["layer_weights"].tolist()
    pruned, baseline = float(curves["pruned"][-1]), float(curves["baseline"][-1])
    power_pruned, power_baseline = float(data["power_pruned_w"]), float(data["power_baseline_w"])
    return {
        "accuracy_pruned": pruned,
        "accuracy_baseline": baseline,
        "accuracy_gap": pruned - baseline,
        **{f"overfit_gap_{label}": float(data[f"train_accuracy_{label}"]) - test
           for label, test in (("pruned", pruned), ("baseline", baseline))},
        "pruning_rate": _pooled(data["layer_pruned_share"].tolist(), counts),
        "formed_share": _pooled(data["layer_formed_share"].tolist(), counts),
        "power_reduction": 1.0 - power_pruned / power_baseline,
        "power_baseline_uw": power_baseline * 1e6,
        **{f"pruning_rate_{name.replace('.', '_')}": share
           for name, share in zip(data["layers"].tolist(), data["layer_pruned_share"].tolist(), strict=True)},
    }


def plot(data: Data) -> dict[str, plt.Figure]:
    """Accuracy and pruning rate per epoch; histograms of the final normalised weights."""
    fig, (ax, ax_rate) = plt.subplots(1, 2, figsize=(11, 4))
    plot_curves(ax, data_curves(data), str(data["title"]))
    rates = data["pruning_rate_per_epoch"]
    ax_rate.plot(np.arange(1, len(rates) + 1), rates * 100, marker="o", ms=3, color="tab:red")
    ax_rate.set(xlabel="epoch", ylabel="pruning rate (%)", title="pruned network: share of |w| < 1e-6", ylim=(0, 100))
    ax_rate.grid(alpha=0.3)

    fig_w, ax_w = plt.subplots(figsize=(6, 4))
    for label in ("pruned", "baseline"):
        ax_w.hist(data[f"weights_{label}"], bins=101, range=(-1, 1), alpha=0.55, label=label, log=True)
    rate = metrics(data)["pruning_rate"]
    ax_w.set(xlabel="normalised weight w / w_max", ylabel="count", title=f"weights after training (pruned: {rate:.1%} at 0)")
    ax_w.legend()
    return {"accuracy_vs_epoch": fig, "weight_histograms": fig_w}


PAPER = {
    "mlp": {"pruning_rate": 0.738, "power_reduction": 0.38},
    "lenet5": {"pruning_rate": 0.842, "power_reduction": 0.63, "accuracy_pruned": 0.99},
}
"""Seed 000's MNIST figures (Fig. 5B, C)."""


def paper_values(config: Config) -> dict[str, Claim]:
    """The paper's numbers for ``config``'s network: predictions, judged on MNIST only."""
    claims = {key: predicted(value, 0.05 if key != "accuracy_pruned" else 0.01, absolute=True,
                             datasets=("mnist", "mnist-test"), detail="MNIST, the paper's Fig. 5B-C")
              for key, value in PAPER[config.network].items()}
    claims["accuracy_gap"] = predicted(0.0, 0.001, absolute=True, at_least=True, datasets=("mnist", "mnist-test"),
                                       detail="the paper: pruning removes overfitting, pruned >= baseline; compare "
                                              "overfit_gap_pruned with overfit_gap_baseline (docs/reproductions.md: "
                                              "a miss on MNIST-8k)")
    return claims


def cost(config: Config, dataset: Dataset) -> Cost:
    """The network on dual-mode pairs, every batch of every epoch; LeNet-5's ~62k weights read as unfolded
    patches (a batch of 28 x 28 positions x 25 values and 10 x 10 x 150, a few copies)."""
    mlp = training_cost(dataset, config.n_train, (config.hidden,), config.batch_size, config.epochs, runs=1)
    if config.network == "mlp":
        return mlp
    patches = config.batch_size * (28 * 28 * 25 + 10 * 10 * 150) * 8 * 4
    return Cost(memory_bytes=200 * 62_000 + patches, steps=mlp.steps)


def _experiment(name: str, network: str, quick: Config, full: Config, slow: bool = False) -> Experiment:
    return Experiment(
        name=name,
        reference="mou2021",
        summary=f"{network} on dual-mode TPT-RAM pairs: pruning during training by rest stages (seed 000 Fig. 5)",
        quick=quick,
        full=full,
        simulate=simulate,
        cost=cost,
        metrics=metrics,
        plot=plot,
        paper=paper_values,
        datasets=("digits", "fashion-mnist"),
        slow=slow,
    )


MLP_EXPERIMENT = register(_experiment("pruning-mlp", "MLP 784-100-10", MLP_QUICK, MLP_FULL))
LENET_EXPERIMENT = register(_experiment("pruning-lenet5", "LeNet-5 (convolutions on crossbar columns)",
                                        LENET_QUICK, LENET_FULL, slow=True))
