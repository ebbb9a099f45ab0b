"""``dct-compression``: 2-D DCT image compression and edge filters by array reads (seed 002, section 6).

A grey-scale photograph (scikit-learn's ``china.jpg``, values in [0, 1]) is split into 8 x 8
blocks, transformed by forward reads of an 8 x 8 array holding ``C^T``
(:class:`memristive.algorithms.signal_processing.ArrayDCT`), all but the largest ``keep`` share
of each block's coefficients are dropped, and the image is restored by transposed reads of the
same array. The same is done in floating point (:func:`scipy.fft.dctn`, ``norm="ortho"``).
Settings: ``ideal`` (exact analog devices), ``b``-bit devices (one slice of ``b`` bits per
device), a relative programming error, and ``<preset>``: a voltage-driven preset (default the
TiOx devices of the 4K passive crossbar, Kim et al. 2021) written by write-verify with V/2
half-select disturb.

Edge filters: Sobel x, Sobel y and a Laplacian, one kernel per column of a 9 x 3 array, every
3 x 3 patch one read, against :func:`scipy.signal.correlate2d`.

Metrics: ``psnr_float_db``, ``psnr_ideal_db``, ``psnr_<preset>_db``, ``psnr_<b>bit_db``,
``psnr_err<e>_db``, ``dct_max_error_ideal`` (largest |coefficient| difference from scipy),
``filter_rel_error_ideal`` and ``filter_rel_error_<preset>`` (``|y - y_scipy| / |y_scipy|``, Frobenius;
the preset's median and ``_max`` over ``trials`` fresh arrays, since one stuck device in a 54-device
filter array dominates its error); ``psnr_<preset>_db`` is the mean over the trials.
Li et al. (Nat. Electron. 1, 52, 2018) show the compressed images of a 128 x 64 1T1R array; their
PSNR figures are not in the texts we have, so paper values are none.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import scipy.fft
import scipy.signal
import torch
from sklearn.datasets import load_sample_image

from memristive.algorithms.signal_processing import (
    ArrayDCT,
    array_filter,
    from_blocks,
    keep_largest,
    psnr_db,
    to_blocks,
)
from memristive.crossbar import CrossbarArray, WeightMapping, WriteVerify
from memristive.devices import get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext, relative_error
from memristive.experiments.registry import register
from memristive.experiments.settings import BITS, COUNT, Interval, SHARE, Settings, at_least

BLOCK = 8
KERNELS = {
    "sobel_x": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "sobel_y": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``dct-compression``."""

    size: int = 0  # side of the square crop (0: the whole image, cut to whole blocks)
    keep: float = 0.25
    bits: tuple[int, ...] = (2, 3, 4, 5, 6, 8)
    import_error: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1)
    preset: str = "tiox-4k"
    ideal_preset: str = "taox-hfox"
    tolerance: float = 0.02
    trials: int = 5

    constraints = {"size": at_least(0, 8192), "keep": Interval(0.0, 1.0, "right"), "bits": BITS,
                   "import_error": SHARE, "tolerance": at_least(1e-3, 0.5), "trials": COUNT}

    def validate(self) -> None:
        """Whole blocks, a write-verify preset and an analog one."""
        require(self.size == 0 or (self.size >= BLOCK and self.size % BLOCK == 0),
                f"size={self.size} must be 0 or a multiple of {BLOCK}")
        require("voltage" in get_preset(self.preset).drives, f"preset={self.preset!r} must be voltage-driven "
                "(it is written by write-verify)")
        get_preset(self.ideal_preset, NonlinearPulseDevice)


FULL = Config()
"""Full: the whole 427 x 640 photograph (424 x 640 in whole blocks)."""

QUICK = Config(size=128, bits=(2, 4, 6, 8), import_error=(0.02, 0.1))
"""Quick: a 128 x 128 crop."""


def photograph(size: int) -> np.ndarray:
    """scikit-learn's ``china.jpg`` in grey (channel mean / 255), cut to whole blocks (a centred ``size`` crop)."""
    image = load_sample_image("china.jpg").mean(axis=2) / 255.0
    if size:
        top, left = (image.shape[0] - size) // 2, (image.shape[1] - size) // 2
        image = image[top:top + size, left:left + size]
    h, w = (s - s % BLOCK for s in image.shape)
    return np.ascontiguousarray(image[:h, :w])


def _compress(dct: ArrayDCT, image: torch.Tensor, keep: float) -> tuple[torch.Tensor, torch.Tensor]:
    coefficients = dct.forward(to_blocks(image, BLOCK))
    return coefficients, from_blocks(dct.inverse(keep_largest(coefficients, keep)))


def simulate(config: Config, ctx: RunContext) -> Data:
    """Compress and restore the photograph in every setting; filter it on ideal and preset arrays."""
    generator = ctx.generator()
    image = torch.from_numpy(photograph(config.size))
    blocks = to_blocks(image, BLOCK).numpy()
    reference = scipy.fft.dctn(blocks, axes=(-2, -1), norm="ortho")
    kept = keep_largest(torch.from_numpy(reference), config.keep).numpy()
    restored = scipy.fft.idctn(kept, axes=(-2, -1), norm="ortho")
    data: Data = {"image": image.numpy(), "float": from_blocks(torch.from_numpy(restored)).numpy(),
                  "keep": config.keep, "preset": config.preset, "bits": np.array(config.bits),
                  "import_error": np.array(config.import_error)}
    ideal = get_preset(config.ideal_preset, NonlinearPulseDevice).ideal()
    w_max = float(np.sqrt(2.0 / BLOCK))

    def array(model, bits: int = 0) -> CrossbarArray:
        return CrossbarArray(BLOCK, BLOCK, model, WeightMapping(w_max=w_max, slice_bits=bits), generator=generator,
                             dtype=torch.float64)

    coefficients, data["ideal"] = _compress(ArrayDCT(array(ideal)), image, config.keep)
    data["dct_max_error_ideal"] = float(np.abs(coefficients.numpy() - reference).max())
    for b in config.bits:
        data[f"bits_{b}"] = _compress(ArrayDCT(array(ideal, b)), image, config.keep)[1]
    for e in config.import_error:
        data[f"error_{e:g}"] = _compress(ArrayDCT(array(ideal), import_error=e, generator=generator), image,
                                         config.keep)[1]
    verify = WriteVerify(tolerance=config.tolerance)
    data["preset_image"] = torch.stack([  # one fresh array of preset devices per trial
        _compress(ArrayDCT(array(get_preset(config.preset)), method="write_verify", verify=verify), image,
                  config.keep)[1] for _ in range(config.trials)])
    kernels = torch.tensor([KERNELS[name] for name in KERNELS], dtype=torch.float64)
    columns = kernels.flatten(1).t()
    data["filter_reference"] = np.stack([scipy.signal.correlate2d(image.numpy(), k.numpy(), "valid") for k in kernels])
    for key, model, method, trials in (("ideal", ideal, "direct", 1),
                                       ("preset", get_preset(config.preset), "write_verify", config.trials)):
        outputs = []
        for _ in range(trials):
            filters = CrossbarArray(9, len(KERNELS), model, WeightMapping(w_max=4.0), generator=generator,
                                    dtype=torch.float64)
            filters.program(columns, method, verify=verify)
            outputs.append(array_filter(image, filters))
        data[f"filter_{key}"] = torch.stack(outputs).numpy()
    return {key: value.numpy() if isinstance(value, torch.Tensor) else value for key, value in data.items()}


def metrics(data: Data) -> dict[str, float]:
    """PSNR of every restored image against the original; the filters' relative error."""
    image, preset = data["image"], str(data["preset"])
    t = torch.from_numpy

    def psnr(key: str) -> float:
        return psnr_db(t(data[key]), t(image))

    trials = [psnr_db(t(restored), t(image)) for restored in data["preset_image"]]
    values = {"psnr_float_db": psnr("float"), "psnr_ideal_db": psnr("ideal"),
              f"psnr_{preset}_db": float(np.mean(trials)),
              "dct_max_error_ideal": float(data["dct_max_error_ideal"])}
    values.update({f"psnr_{b}bit_db": psnr(f"bits_{b}") for b in data["bits"]})
    values.update({f"psnr_err{e:g}_db": psnr(f"error_{e:g}") for e in data["import_error"]})
    values["filter_rel_error_ideal"] = relative_error(data["filter_ideal"][0], data["filter_reference"])
    errors = [relative_error(y, data["filter_reference"]) for y in data["filter_preset"]]
    values[f"filter_rel_error_{preset}"] = float(np.median(errors))
    values[f"filter_rel_error_{preset}_max"] = float(np.max(errors))
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """Restored images, PSNR vs device bits, the edge filters."""
    m, preset = metrics(data), str(data["preset"])
    data = {**data, "preset_first": data["preset_image"][0]}
    shown = [("original", "image", None), ("float DCT", "float", "psnr_float_db"),
             ("ideal array", "ideal", "psnr_ideal_db"), (f"{preset}, write-verify", "preset_first",
                                                         f"psnr_{preset}_db"),
             (f"{int(data['bits'][0])}-bit devices", f"bits_{int(data['bits'][0])}",
              f"psnr_{int(data['bits'][0])}bit_db")]
    fig, axes = plt.subplots(1, len(shown), figsize=(3.0 * len(shown), 3.3))
    for ax, (title, key, metric) in zip(axes, shown, strict=True):
        ax.imshow(data[key], cmap="gray", vmin=0, vmax=1)
        ax.set_title(title + (f"\nPSNR {m[metric]:.1f} dB" if metric else ""), fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"8x8 block DCT, {float(data['keep']) * 100:g} % of the coefficients kept", fontsize=9)
    figures = {"images": fig}
    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.plot(data["bits"], [m[f"psnr_{b}bit_db"] for b in data["bits"]], "o-", label="b-bit devices")
    for key, label, style in (("psnr_float_db", "floating point", "--"), (f"psnr_{preset}_db", preset, ":")):
        ax.axhline(m[key], ls=style, color="grey" if key == "psnr_float_db" else "C3", label=label)
    ax.set(xlabel="bits per device", ylabel="PSNR (dB)", title="Compression quality vs device precision")
    ax.legend(fontsize=8)
    figures["psnr_bits"] = fig
    names = list(KERNELS)
    fig, axes = plt.subplots(3, len(names), figsize=(3.0 * len(names), 8.0))
    for c, name in enumerate(names):
        for r, (key, label) in enumerate((("filter_reference", "scipy"), ("filter_ideal", "ideal array"),
                                          ("filter_preset", preset))):
            shown_image = data[key][c] if key == "filter_reference" else data[key][0][c]  # the first trial
            axes[r, c].imshow(np.abs(shown_image), cmap="gray_r")
            axes[r, c].set_title(f"{name}: {label}", fontsize=8)
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
    figures["filters"] = fig
    return figures


def cost(config: Config, dataset: None) -> Cost:
    """The image's 8 x 8 blocks as columns (and their coefficients), a few copies; a read per bit setting, error
    and trial, and a write-verify of the two 64 x 64 planes (at most ``max_pulses`` per device and cycle)."""
    side = config.size or 512
    verify = WriteVerify(tolerance=config.tolerance)
    return Cost(memory_bytes=side**2 * 8 * 16, steps=(len(config.bits) + len(config.import_error)) * config.trials
                + 2 * 64 * 64 * verify.cycles * verify.max_pulses)


EXPERIMENT = register(Experiment(
    name="dct-compression",
    reference="li2018",
    summary="2-D DCT compression (forward and transposed reads) and edge filters on arrays vs scipy",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
))
