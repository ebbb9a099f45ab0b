"""``reservoir``: reservoir computing with short-term-memory devices (seed 002, section 7.1; Du et al. 2017).

:class:`memristive.algorithms.reservoir.DeviceReservoir` feeds every input channel as a pulse train
into one volatile device (default the tunnel junction's short-term memory, ``otj-sto``: ``v_peak``
for a 1 pixel, no pulse for a 0, ``width_s`` pulses every ``interval_s``) and reads the devices'
conductances as features of a linear readout trained in software (scikit-learn: standardised
log-conductances, logistic regression or ridge regression). Tasks:

* ``digits5x4``: 5 x 4-pixel digits 0-9 (the size of Du et al.'s), each pixel flipped with
  probability ``flip``; each of the 5 rows streamed into one device over 4 steps, the 5 devices
  read after the last step;
* ``digits8x8``: scikit-learn's 8 x 8 digits (intensities / 16), each row into one device over 8 steps;
* ``second_order``: ``y_k = 0.4 y_(k-1) + 0.4 y_(k-1) y_(k-2) + 0.6 u_k^3 + 0.1``, ``u_k`` uniform
  in [0, 0.5]; ``devices`` devices each driven by ``u_k / 0.5`` times its own random mask in
  [0.3, 1] (pulses of up to ``sequence_v_peak`` every ``sequence_interval_s``), all read after every
  step; ridge regression predicts ``y_k``.

No-memory baselines use the same readout on what a device without memory would report: the inputs
of the last step (digits) or the present input ``u_k`` (second order); the digits' readout on all
pixels at once is the ceiling (``_all_pixels``).

Metrics: ``digit_accuracy`` (5 x 4), ``digit_accuracy_no_memory``, ``digit_accuracy_all_pixels``, the
same for ``digits8x8_*``, ``nmse_2nd_order``, ``nmse_2nd_order_no_memory``. Du et al. report their WOx
reservoir's results in figures we do not have offline; paper values are none.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from memristive.algorithms.reservoir import DeviceReservoir, PulseEncoding, second_order_system
from memristive.devices import get_preset
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, Interval, Settings, VOLTAGE, at_least

DIGITS_5X4 = (
    ("####", "#..#", "#..#", "#..#", "####"), ("..#.", ".##.", "..#.", "..#.", ".###"),
    ("####", "...#", "####", "#...", "####"), ("####", "...#", ".###", "...#", "####"),
    ("#..#", "#..#", "####", "...#", "...#"), ("####", "#...", "####", "...#", "####"),
    ("####", "#...", "####", "#..#", "####"), ("####", "...#", "..#.", ".#..", ".#.."),
    ("####", "#..#", "####", "#..#", "####"), ("####", "#..#", "####", "...#", "####"),
)
"""Our 5 x 4 bitmaps of the digits 0-9 (rows top to bottom, ``#`` = 1)."""


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``reservoir``."""

    preset: str = "otj-sto"
    v_peak: float = 1.2
    width_s: float = 50e-9
    interval_s: float = 0.5e-6
    flip: float = 0.1
    train: int = 2000
    test: int = 1000
    devices: int = 20
    sequence: int = 2000
    washout: int = 100
    ridge: float = 1e-6
    sequence_v_peak: float = 1.5
    sequence_interval_s: float = 1e-6

    constraints = {"v_peak": VOLTAGE, "width_s": DURATION, "interval_s": DURATION, "flip": Interval(0.0, 0.5, "left"),
                   "train": at_least(10), "test": at_least(10), "devices": COUNT, "sequence": COUNT,
                   "washout": at_least(0), "ridge": at_least(0.0, 1e6), "sequence_v_peak": VOLTAGE,
                   "sequence_interval_s": DURATION}

    def validate(self) -> None:
        """A voltage-driven preset, pulses that fit their intervals, a sequence longer than its washout."""
        require("voltage" in get_preset(self.preset).drives, f"preset={self.preset!r} must be voltage-driven")
        require(self.width_s <= min(self.interval_s, self.sequence_interval_s),
                "need width_s <= interval_s and sequence_interval_s")
        require(self.sequence >= 4 * self.washout + 20, f"sequence={self.sequence} must be >= 4 washout + 20")


FULL = Config()
"""Full: 2,000 / 1,000 noisy digits, a 2,000-step second-order sequence."""

QUICK = Config(train=600, test=300, sequence=800)
"""Quick: 600 / 300 noisy digits, an 800-step sequence."""


def digit_images() -> torch.Tensor:
    """The ten 5 x 4 digits, ``[10, 5, 4]`` of 0 / 1."""
    return torch.tensor([[[ch == "#" for ch in row] for row in digit] for digit in DIGITS_5X4], dtype=torch.float64)


def _classify(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, test_y: np.ndarray) -> float:
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000)).fit(train_x, train_y)
    return float(model.score(test_x, test_y))


def _log_features(reservoir: DeviceReservoir, x: torch.Tensor, generator: torch.Generator) -> np.ndarray:
    return torch.log(reservoir.run(x, generator=generator)).numpy()


def simulate(config: Config, ctx: RunContext) -> Data:
    """Features of every task through the reservoir; the readouts' predictions."""
    generator = ctx.generator()
    reservoir = DeviceReservoir(get_preset(config.preset), PulseEncoding(config.v_peak, config.width_s,
                                                                         config.interval_s))
    images = digit_images()
    labels = torch.randint(0, 10, (config.train + config.test,), generator=generator)
    clean = images[labels]
    noisy = torch.where(torch.rand(clean.shape, generator=generator, dtype=torch.float64) < config.flip,
                        1 - clean, clean)
    data: Data = {"digits5x4": noisy.numpy(), "digits5x4_labels": labels.numpy(), "train": config.train}
    data["digits5x4_features"] = _log_features(reservoir, noisy, generator)
    digits = load_digits()
    data["digits8x8"] = digits.images / 16.0
    data["digits8x8_labels"] = digits.target
    data["digits8x8_features"] = _log_features(reservoir, torch.from_numpy(digits.images / 16.0), generator)
    u = torch.rand(config.sequence, generator=generator, dtype=torch.float64) * 0.5
    mask = 0.3 + 0.7 * torch.rand(config.devices, 1, generator=generator, dtype=torch.float64)
    sequencer = DeviceReservoir(reservoir.model, PulseEncoding(config.sequence_v_peak, config.width_s,
                                                               config.sequence_interval_s))
    states = sequencer.run((u / 0.5 * mask)[None], reads="every", generator=generator)[0].t()  # [steps, devices]
    y = second_order_system(u)
    data.update({"u": u.numpy(), "y": y.numpy(), "states": torch.log(states).numpy(), "washout": config.washout})
    split = config.washout + (config.sequence - config.washout) * 2 // 3
    train = slice(config.washout, split)
    for key, features in (("reservoir", data["states"]), ("no_memory", data["u"][:, None])):
        readout = make_pipeline(StandardScaler(), Ridge(alpha=config.ridge)).fit(features[train], data["y"][train])
        data[f"y_{key}"] = readout.predict(features)
    data["split"] = split
    return data


def _nmse(prediction: np.ndarray, target: np.ndarray) -> float:
    return float(np.mean((prediction - target) ** 2) / np.var(target))


def metrics(data: Data) -> dict[str, float]:
    """Readout accuracies with and without memory; NMSE of the second-order prediction."""
    values: dict[str, float] = {}
    train = int(data["train"])
    for task, prefix in (("digits5x4", "digit_accuracy"), ("digits8x8", "digits8x8_accuracy")):
        x, y, f = data[task], data[f"{task}_labels"], data[f"{task}_features"]
        cut = train if task == "digits5x4" else len(y) * 2 // 3
        flat = x.reshape(len(x), -1)
        values[prefix] = _classify(f[:cut], y[:cut], f[cut:], y[cut:])
        last = x[..., -1]
        values[f"{prefix}_no_memory"] = _classify(last[:cut], y[:cut], last[cut:], y[cut:])
        values[f"{prefix}_all_pixels"] = _classify(flat[:cut], y[:cut], flat[cut:], y[cut:])
    split = int(data["split"])
    for key, suffix in (("reservoir", ""), ("no_memory", "_no_memory")):
        values[f"nmse_2nd_order{suffix}"] = _nmse(data[f"y_{key}"][split:], data["y"][split:])
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Digits and their device features; the second-order system's prediction."""
    fig, axes = plt.subplots(2, 10, figsize=(12, 3.2))
    images, features = data["digits5x4"], data["digits5x4_features"]
    labels = data["digits5x4_labels"]
    for d in range(10):
        k = int(np.nonzero(labels == d)[0][0])
        axes[0, d].imshow(images[k], cmap="gray_r", vmin=0, vmax=1)
        axes[0, d].set_title(f"{d}", fontsize=8)
        axes[1, d].imshow(features[k][:, None], cmap="viridis", vmin=features.min(), vmax=features.max())
        for ax in axes[:, d]:
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_ylabel("noisy input", fontsize=7)
    axes[1, 0].set_ylabel("log G per row", fontsize=7)
    m = metrics(data)
    fig.suptitle(f"5x4 digits: reservoir {m['digit_accuracy'] * 100:.1f} %, no memory "
                 f"{m['digit_accuracy_no_memory'] * 100:.1f} %, "
                 f"all pixels {m['digit_accuracy_all_pixels'] * 100:.1f} %", fontsize=9)
    figures = {"digits": fig}
    split = int(data["split"])
    shown = slice(split, min(split + 150, len(data["y"])))
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.plot(data["y"][shown], "k-", lw=1.5, label="system")
    ax.plot(data["y_reservoir"][shown], "C0--", label=f"reservoir (NMSE {m['nmse_2nd_order']:.3f})")
    ax.plot(data["y_no_memory"][shown], "C3:", label=f"no memory (NMSE {m['nmse_2nd_order_no_memory']:.3f})")
    ax.set(xlabel="test step", ylabel="y", title="second-order nonlinear system, test part")
    ax.legend(fontsize=7)
    figures["second_order"] = fig
    return figures


def cost(config: Config, dataset: None) -> Cost:
    """Every pulse of every digit (five rows of four bits, ``devices`` read per row) and of the sequence."""
    steps = (config.train + config.test) * 5 * 4 + config.sequence
    return Cost(memory_bytes=(config.train + config.test) * config.devices * 8 * 20 + config.sequence
                * config.devices * 8 * 4, steps=steps)


EXPERIMENT = register(Experiment(
    name="reservoir",
    reference="du2017",
    summary="Reservoir of short-term-memory devices: 5x4 and 8x8 digits, a second-order system, vs no memory",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
