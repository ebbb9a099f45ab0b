"""``manhattan-slp``: a 10 x 3 perceptron trained in situ on a passive array by fixed pulses (Manhattan rule).

Prezioso et al. (Nature 521, 61, 2015; seed 002 section 5.1) trained a single-layer perceptron on a
12 x 12 passive crossbar of Al2O3/TiO2-x memristors: 3 x 3 black-and-white images of three letters
(``z``, ``v``, ``n``) and their versions with one pixel flipped (30 patterns), 9 pixel inputs and a
bias, 3 tanh outputs on differential pairs (10 x 6 devices), trained in batch mode by the Manhattan
rule: each weight gets one fixed-amplitude pulse per epoch in the direction of its gradient's sign,
every line biased so that half-selected devices see V/2. Here (:class:`~memristive.nn.manhattan.ManhattanPerceptron`,
:meth:`~memristive.crossbar.CrossbarArray.pulse_signs`) with three arrays, each ``runs`` times from
small random weights:

* ``tiox-4k``: seed 003's devices of the same family (Kim et al. 2021: thresholds 1.19 +- 0.31 V /
  -1.39 +- 0.37 V, exponential switching kinetics), pulses ``v_set`` / ``v_reset`` of ``width_s``, V/2 bias;
* ``uniform``: the same devices with threshold spreads of ``uniform_sigma_v`` (what more uniform devices
  would give);
* ``ideal``: a linear, noise-free pulse device with ``ideal_levels`` pulses across its window (the
  Manhattan rule itself, with a fixed step).

Per epoch: the accuracy on the 30 training patterns and on the 108 versions with two pixels flipped
(``noisy``), and the share of devices that took no pulse but moved by more than 1 % of the window
(half-select disturb). The letter images are our 3 x 3 renderings of the paper's three letters; the
pulse amplitudes, width, ``beta`` and the initial weights are our choices. The paper's own figures
(its Fig. 3: epochs to perfect classification) are not in this project's sources, so no number is
compared with the paper.

Metrics (``<arm>`` suffixes ``_uniform``, ``_ideal``; none for ``tiox-4k``): ``perfect_share`` (runs reaching
100 % on the training set), ``epochs_to_perfect`` (median first epoch at 100 % over the runs that get
there), ``acc_train`` and ``acc_noisy`` (after the last epoch, mean over runs), ``disturbed_share``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from tqdm.auto import tqdm

from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.crossbar.array import WritePulse
from memristive.devices import get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.devices.threshold_model import ThresholdSwitchingDevice
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, Settings, above, at_least
from memristive.nn.manhattan import ManhattanPerceptron

LETTERS = {"z": (1, 1, 0, 0, 1, 0, 0, 1, 1), "v": (1, 0, 1, 1, 0, 1, 0, 1, 0), "n": (0, 1, 0, 1, 0, 1, 1, 0, 1)}
"""Our 3 x 3 renderings of the paper's letters (1: a dark pixel), row by row."""

ARMS = ("tiox-4k", "uniform", "ideal")
SUFFIX = {"tiox-4k": "", "uniform": "_uniform", "ideal": "_ideal"}
DISTURBED = 0.01
"""A device that took no pulse but moved by more than this share of the window was disturbed."""


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``manhattan-slp`` (SI units)."""

    preset: str = "tiox-4k"
    epochs: int = 40
    runs: int = 5
    v_set: float = 1.3
    v_reset: float = -1.5
    width_s: float = 10e-6
    beta: float = 0.5
    init_weight: float = 0.1
    uniform_sigma_v: float = 0.03
    ideal_levels: int = 32

    constraints = {"epochs": COUNT, "runs": COUNT, "v_set": above(0.0, 10.0, "V"), "v_reset": above(-10.0, 0.0, "V"),
                   "width_s": DURATION, "beta": above(0.0, 100.0), "init_weight": at_least(0.0, 1.0),
                   "uniform_sigma_v": at_least(0.0, 1.0, "V"), "ideal_levels": at_least(2, 100_000)}

    def validate(self) -> None:
        """A threshold-switching preset."""
        get_preset(self.preset, ThresholdSwitchingDevice)


QUICK = Config()
"""Quick: 5 runs of 40 epochs per array."""

FULL = Config(runs=20, epochs=60)
"""Full: 20 runs of 60 epochs per array."""


def patterns(flips: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every version of the three letters with ``flips`` pixels flipped: inputs [patterns, 10] of +-1 (the last
    one the bias, +1) and classes [patterns]."""
    xs, ys = [], []
    for label, pixels in enumerate(LETTERS.values()):
        base = torch.tensor(pixels, dtype=torch.float64) * 2 - 1
        for chosen in itertools.combinations(range(9), flips):
            x = base.clone()
            x[list(chosen)] *= -1
            xs.append(x)
            ys.append(label)
    x = torch.stack(xs)
    return torch.cat([x, torch.ones(len(x), 1, dtype=torch.float64)], 1), torch.tensor(ys)


def training_set() -> tuple[torch.Tensor, torch.Tensor]:
    """The 30 training patterns: each letter and its 9 one-pixel-flipped versions."""
    (x0, y0), (x1, y1) = patterns(0), patterns(1)
    return torch.cat([x0, x1]), torch.cat([y0, y1])


def _model(config: Config, arm: str):
    device = get_preset(config.preset, ThresholdSwitchingDevice)
    if arm == "uniform":
        return device.replace(v_set_sigma=config.uniform_sigma_v, v_reset_sigma=config.uniform_sigma_v)
    if arm == "ideal":
        return NonlinearPulseDevice(g_min=device.g_min, g_max=device.g_max, levels=config.ideal_levels, nu_ltp=0.0,
                                    nu_ltd=0.0, read_v=device.read_v, name="ideal-linear")
    return device


def _run(config: Config, arm: str, x, y, x_noisy, y_noisy, generator: torch.Generator) -> dict[str, np.ndarray]:
    targets = -torch.ones(len(y), len(LETTERS), dtype=torch.float64)
    targets[torch.arange(len(y)), y] = 1.0
    init = config.init_weight * (2 * torch.rand(x.shape[1], len(LETTERS), generator=generator,
                                                dtype=torch.float64) - 1)
    pulse = None if arm == "ideal" else WritePulse(config.v_set, config.v_reset, config.width_s)
    array = CrossbarArray(x.shape[1], len(LETTERS), _model(config, arm), WeightMapping(scheme="balanced", w_max=1.0),
                          write_pulse=pulse, weights=init, generator=generator, dtype=torch.float64)
    net = ManhattanPerceptron(array, beta=config.beta)
    g_min, g_max = array.window
    train, noisy, disturbed = [], [], []
    for _ in range(config.epochs):
        train.append(float((net.predict(x) == y).double().mean()))
        noisy.append(float((net.predict(x_noisy) == y_noisy).double().mean()))
        before = array.conductances()
        signs = net.signs(x, targets)
        array.pulse_signs(signs, net.scheme, generator=generator)
        idle = (signs == 0).expand_as(before)
        moved = (array.conductances() - before).abs() > DISTURBED * (g_max - g_min)
        disturbed.append(float((moved & idle).sum()) / max(int(idle.sum()), 1))
    train.append(float((net.predict(x) == y).double().mean()))
    noisy.append(float((net.predict(x_noisy) == y_noisy).double().mean()))
    return {"train": np.array(train), "noisy": np.array(noisy), "disturbed": np.array(disturbed),
            "weights": array.weights().numpy()}


def simulate(config: Config, ctx: RunContext) -> Data:
    """Every arm's runs: accuracy curves, disturb per epoch, final weights."""
    x, y = training_set()
    x_noisy, y_noisy = patterns(2)
    data: Data = {"letters": np.array(list(LETTERS)), "images": np.array(list(LETTERS.values())),
                  "epochs": config.epochs}
    for k, arm in enumerate(tqdm(ARMS, desc="manhattan-slp arms", leave=False, disable=None)):
        runs = [_run(config, arm, x, y, x_noisy, y_noisy, ctx.generator(100 * k + r)) for r in range(config.runs)]
        for key in runs[0]:
            data[f"{key}_{arm}"] = np.stack([run[key] for run in runs])
    return data


def _first_perfect(train: np.ndarray) -> np.ndarray:
    """Per run, the first epoch with 100 % training accuracy (NaN where never)."""
    reached = train >= 1.0
    return np.where(reached.any(1), reached.argmax(1), np.nan)


def metrics(data: Data) -> dict[str, float]:
    """Per arm: runs reaching 100 %, median epochs to it, final accuracies, disturb."""
    values = {}
    for arm in ARMS:
        suffix, train = SUFFIX[arm], data[f"train_{arm}"]
        first = _first_perfect(train)
        values[f"perfect_share{suffix}"] = float(np.isfinite(first).mean())
        values[f"epochs_to_perfect{suffix}"] = float(np.nanmedian(first)) if np.isfinite(first).any() else float("nan")
        values[f"acc_train{suffix}"] = float(train[:, -1].mean())
        values[f"acc_noisy{suffix}"] = float(data[f"noisy_{arm}"][:, -1].mean())
        values[f"disturbed_share{suffix}"] = float(data[f"disturbed_{arm}"].mean())
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Accuracy vs epoch per arm (mean and every run); the letters."""
    fig, axes = plt.subplots(1, len(ARMS), figsize=(4.2 * len(ARMS), 3.5), sharey=True, layout="constrained")
    epochs = np.arange(int(data["epochs"]) + 1)
    for ax, arm in zip(axes, ARMS, strict=True):
        for key, colour in (("train", "C0"), ("noisy", "C1")):
            curves = data[f"{key}_{arm}"]
            ax.plot(epochs, curves.T, color=colour, lw=0.5, alpha=0.35)
            ax.plot(epochs, curves.mean(0), color=colour, lw=2,
                    label=f"{key} ({'30 patterns' if key == 'train' else '108, 2 pixels flipped'})")
        ax.set(xlabel="epoch", title=arm, ylim=(0, 1.02))
    axes[0].set_ylabel("accuracy")
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle("Manhattan-rule perceptron on a 10 x 6 array (each run thin, mean thick)", fontsize=9)
    figures = {"accuracy_vs_epoch": fig}
    fig, axes = plt.subplots(1, len(data["letters"]), figsize=(1.2 * len(data["letters"]), 1.4))
    for ax, letter, image in zip(axes, data["letters"], data["images"], strict=True):
        ax.imshow(np.asarray(image).reshape(3, 3), cmap="gray_r", vmin=0, vmax=1)
        ax.set(xticks=[], yticks=[], title=str(letter))
    figures["letters"] = fig
    return figures


def cost(config: Config, dataset: None) -> Cost:
    """Three arrays of 10 x 6 devices, every run: per epoch two reads of 138 patterns and 12 biased phases."""
    return Cost(memory_bytes=10 * 6 * 8 * 64, steps=len(ARMS) * config.runs * config.epochs * 14)


EXPERIMENT = register(Experiment(
    name="manhattan-slp",
    reference="prezioso2015",
    summary="10 x 3 perceptron on a passive array trained in situ by fixed V/2-biased pulses (Manhattan rule): "
            "seed 003 devices, uniform thresholds, ideal",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
