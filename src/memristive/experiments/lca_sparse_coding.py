"""``lca-sparse-coding``: sparse coding of image patches by LCA on a crossbar array (seed 002, Eqs. 1-2).

Sheridan et al. (Nat. Nanotechnol. 12, 784, 2017). 8 x 8 patches of scikit-learn's ``china.jpg``
(grey, each patch's mean removed, all scaled to unit standard deviation) train a dictionary offline
(scikit-learn's ``MiniBatchDictionaryLearning``, unit-norm atoms); test patches are then coded by
:class:`memristive.algorithms.lca.LCA` (soft threshold ``lam``, ``steps`` Euler steps of ``eta``)
with the dictionary in a 64 x ``atoms`` array:

* ``ideal``: exact analog devices;
* ``<b>bit``: one ``b``-bit slice per device; ``err<e>``: a relative programming error ``e``;
* ``<preset>``: the preset's devices (device-to-device ranges, stuck devices) written with a
  relative error ``write_error`` (the tolerance of a write-verify),

against the Lasso solution of the same problem in floating point (scikit-learn's ``sparse_encode``,
``lasso_cd``: the fixed point LCA converges to). A 128 x 128 crop is coded patch by patch and
reassembled.

Metrics: ``rel_error_<setting>`` (``|X - X_hat|_F / |X|_F`` over the test patches), ``rel_error_lasso``,
``sparsity`` (share of zero coefficients, ideal array) and ``sparsity_lasso``, ``coef_rel_diff_lasso``
(``|a - a_lasso|_F / |a_lasso|_F``, ideal array), ``psnr_image_<setting>_db`` of the reassembled crop,
``cost_decreasing_<preset>`` (1 when the LCA cost never rose over the steps on the preset's array).
Sheridan et al. show reconstructed images from a 32 x 32 WOx array; their error values are not
in the texts we have offline, so paper values are none.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.decomposition import MiniBatchDictionaryLearning, sparse_encode
from sklearn.feature_extraction.image import extract_patches_2d

from memristive.algorithms.lca import LCA
from memristive.algorithms.signal_processing import from_blocks, psnr_db, to_blocks
from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext
from memristive.experiments.dct_compression import photograph
from memristive.experiments.registry import register
from memristive.experiments.settings import BITS, COUNT, Interval, SHARE, Settings, above

SIDE = 8


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``lca-sparse-coding``."""

    atoms: int = 128
    train_patches: int = 10000
    test_patches: int = 1000
    learning_iterations: int = 50
    lam: float = 0.3
    eta: float = 0.1
    steps: int = 400
    crop: int = 128
    bits: tuple[int, ...] = (3, 4, 6, 8)
    import_error: tuple[float, ...] = (0.02, 0.05, 0.1)
    preset: str = "tpt-ram-110"
    write_error: float = 0.02

    constraints = {"atoms": COUNT, "train_patches": COUNT, "test_patches": COUNT, "learning_iterations": COUNT,
                   "lam": above(0.0, 1e6), "eta": Interval(0.0, 1.0, "right"), "steps": COUNT, "crop": COUNT,
                   "bits": BITS, "import_error": SHARE, "write_error": SHARE}

    def validate(self) -> None:
        """Enough patches for the atoms, whole patches in the crop, an analog preset."""
        require(self.train_patches >= self.atoms, f"need train_patches >= atoms, got {self.train_patches}, "
                f"{self.atoms}")
        require(self.crop % SIDE == 0, f"crop={self.crop} must be a multiple of {SIDE}")
        get_preset(self.preset, NonlinearPulseDevice)


FULL = Config()
"""Full: 128 atoms (2 x overcomplete), 10,000 training and 1,000 test patches, 400 steps."""

QUICK = Config(atoms=64, train_patches=2000, test_patches=200, learning_iterations=10, steps=200,
               bits=(4, 8), import_error=(0.05,))
"""Quick: 64 atoms, 2,000 training and 200 test patches, 200 steps."""


def patches(config: Config, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Training and test patches [n, 64] (mean removed, divided by the training set's std) and that std."""
    drawn = extract_patches_2d(photograph(0), (SIDE, SIDE), max_patches=config.train_patches + config.test_patches,
                               random_state=seed).reshape(-1, SIDE * SIDE)
    drawn = drawn - drawn.mean(axis=1, keepdims=True)
    scale = float(drawn[: config.train_patches].std())
    return drawn[: config.train_patches] / scale, drawn[config.train_patches:] / scale, scale


def simulate(config: Config, ctx: RunContext) -> Data:
    """Learn the dictionary, code the test patches and the crop in every setting, and by the Lasso."""
    generator = ctx.generator()
    train, test, scale = patches(config, ctx.seed)
    learner = MiniBatchDictionaryLearning(n_components=config.atoms, alpha=config.lam, batch_size=64,
                                          max_iter=config.learning_iterations, random_state=ctx.seed).fit(train)
    dictionary = learner.components_.T  # [64 inputs, atoms], unit-norm atoms
    crop = photograph(config.crop)
    blocks = to_blocks(torch.from_numpy(crop), SIDE).reshape(-1, SIDE * SIDE).numpy()
    means = blocks.mean(axis=1, keepdims=True)
    crop_patches = (blocks - means) / scale
    inputs = np.concatenate([test, crop_patches])
    w_max = float(np.abs(dictionary).max())
    ideal = get_preset(config.preset, NonlinearPulseDevice).ideal()
    settings = {"ideal": (ideal, 0, 0.0)}
    settings.update({f"{b}bit": (ideal, b, 0.0) for b in config.bits})
    settings.update({f"err{e:g}": (ideal, 0, e) for e in config.import_error})
    settings[config.preset] = (get_preset(config.preset, NonlinearPulseDevice), 0, config.write_error)
    data: Data = {"dictionary": dictionary, "test": test, "crop": crop, "crop_means": means, "scale": scale,
                  "settings": np.array(list(settings)), "preset": config.preset, "lam": config.lam}
    lasso = sparse_encode(inputs, dictionary.T, algorithm="lasso_cd", alpha=config.lam, max_iter=5000)
    data["codes_lasso"] = lasso
    for key, (model, bits, error) in settings.items():
        array = CrossbarArray(SIDE * SIDE, config.atoms, model, WeightMapping(w_max=w_max, slice_bits=bits),
                              generator=generator, dtype=torch.float64)
        lca = LCA(array, config.lam, config.eta)
        lca.store(torch.from_numpy(dictionary), import_error=error, generator=generator)
        coding = lca.encode(torch.from_numpy(inputs), config.steps)
        data[f"codes_{key}"] = coding.a.numpy()
        data[f"held_{key}"] = array.weights().numpy()
        data[f"cost_{key}"] = coding.costs.mean(dim=1).numpy()
    return data


def _restore(codes: np.ndarray, dictionary: np.ndarray, data: Data) -> np.ndarray:
    """The crop reassembled from its patches' codes (the digital means added back)."""
    n = int(data["crop"].shape[0])
    patches_ = codes[-(n // SIDE) ** 2:] @ dictionary.T * float(data["scale"]) + data["crop_means"]
    return from_blocks(torch.from_numpy(patches_.reshape(n // SIDE, n // SIDE, SIDE, SIDE))).numpy()


def metrics(data: Data) -> dict[str, float]:
    """Reconstruction errors, sparsity, agreement with the Lasso, the crop's PSNR, the cost's descent."""
    test, dictionary = data["test"], data["dictionary"]
    count = len(test)

    def rel_error(codes: np.ndarray, held: np.ndarray) -> float:
        return float(np.linalg.norm(test - codes[:count] @ held.T) / np.linalg.norm(test))

    lasso = data["codes_lasso"]
    values = {"rel_error_lasso": rel_error(lasso, dictionary), "sparsity_lasso": float((lasso[:count] == 0).mean())}
    crop = torch.from_numpy(data["crop"])
    values["psnr_image_lasso_db"] = psnr_db(torch.from_numpy(_restore(lasso, dictionary, data)), crop)
    for key in data["settings"]:
        codes, held = data[f"codes_{key}"], data[f"held_{key}"]
        values[f"rel_error_{key}"] = rel_error(codes, held)
        values[f"psnr_image_{key}_db"] = psnr_db(torch.from_numpy(_restore(codes, held, data)), crop)
    ideal = data["codes_ideal"][:count]
    values["sparsity"] = float((ideal == 0).mean())
    values["coef_rel_diff_lasso"] = float(np.linalg.norm(ideal - lasso[:count]) / np.linalg.norm(lasso[:count]))
    preset_cost = data[f"cost_{data['preset']}"]
    values[f"cost_decreasing_{data['preset']}"] = float(bool((np.diff(preset_cost) <= 1e-12 * preset_cost[0]).all()))
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Dictionary atoms; original vs reconstructed patches and crop; the cost over the steps."""
    preset = str(data["preset"])
    dictionary = data["dictionary"]
    shown = min(64, dictionary.shape[1])
    grid = int(np.ceil(np.sqrt(shown)))
    fig, axes = plt.subplots(grid, grid, figsize=(6, 6))
    for k, ax in enumerate(axes.flat):
        if k < shown:
            ax.imshow(dictionary[:, k].reshape(SIDE, SIDE), cmap="gray")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("dictionary atoms (MiniBatchDictionaryLearning)", fontsize=9)
    figures = {"dictionary": fig}
    m = metrics(data)
    panels = [("original", data["crop"], None), ("Lasso (float)", _restore(data["codes_lasso"], dictionary, data),
                                                  "psnr_image_lasso_db")]
    for key in ("ideal", preset):
        panels.append((f"LCA, {key} array", _restore(data[f"codes_{key}"], data[f"held_{key}"], data),
                       f"psnr_image_{key}_db"))
    fig, axes = plt.subplots(1, len(panels) + 1, figsize=(3.0 * (len(panels) + 1), 3.4))
    for ax, (title, image, key) in zip(axes, panels):
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)
        ax.set_title(title + (f"\nPSNR {m[key]:.1f} dB" if key else ""), fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    ax = axes[-1]
    for key in ("ideal", preset):
        ax.semilogy(data[f"cost_{key}"], label=key)
    ax.set(xlabel="LCA step", ylabel="mean cost", title="1/2 |x - Da|^2 + lam |a|_1")
    ax.legend(fontsize=7)
    fig.suptitle(f"sparsity {m['sparsity'] * 100:.0f} % zeros (ideal array)", fontsize=9)
    figures["reconstruction"] = fig
    return figures


def cost(config: Config, dataset: None) -> Cost:
    """The patches' codes and the dictionary; ``steps`` LCA steps per learning iteration and per setting."""
    patches = config.train_patches + config.test_patches
    settings = 2 + len(config.bits) + len(config.import_error)
    return Cost(memory_bytes=patches * (config.atoms + 16) * 8 * 6,
                steps=(config.learning_iterations + settings) * config.steps)


EXPERIMENT = register(Experiment(
    name="lca-sparse-coding",
    reference="sheridan2017",
    summary="Sparse coding of image patches by LCA with forward and transposed reads vs the Lasso and devices",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
