"""``otj-letters``: a 5 x 5 array of tunnel junctions memorising letters in STM and LTM modes (seed 001, Fig. 4).

Each letter is written into a fresh array initialised to the HRS: its pixels receive 10
pulses of 50 ns, the others none, and every pixel is read at 0.1 V (reads do not disturb):

- C in STM mode: 0.9 V at 5 MHz;
- H in LTM mode: 1.5 V at 5 MHz;
- N in STM mode: 1.5 V at 0.5 MHz.

Images are read just after the last pulse, 25 us later, and (for all letters) 500 s later.
Devices differ by a lognormal drive factor (``d2d_sigma``), drawn from the run's seed.

Contrast = mean read current of the letter's pixels over that of the background, minus 1.
Metrics: ``letter_h_retained`` (1 when H is still visible at 25 us and at 500 s: its
pixels read at least twice the background, contrast >= 1), ``letter_c_faded``,
``letter_n_faded`` (1 when less than 5 % of the first image's contrast is left at 25 us),
plus each contrast (``contrast_{c,h,n}_{0us,25us,500s}``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import matplotlib.pyplot as plt
import torch

from memristive.devices import get_preset
from memristive.devices.tunnel_junction import TunnelJunctionSynapse
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext, predicted
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, DURATION, Settings, at_least
from memristive.spiking.protocols import drive
from memristive.spiking.waveforms import pulse_train

DT_S = 10e-9
LETTERS = {
    "C": ["#####", "#....", "#....", "#....", "#####"],
    "H": ["#...#", "#...#", "#####", "#...#", "#...#"],
    "N": ["#...#", "##..#", "#.#.#", "#..##", "#...#"],
}
MODES = {"C": (0.9, 5e6, "STM"), "H": (1.5, 5e6, "LTM"), "N": (1.5, 0.5e6, "STM")}


def letter_mask(letter: str) -> torch.Tensor:
    """The 5 x 5 pixel mask of ``letter`` (True where the letter is)."""
    return torch.tensor([[ch == "#" for ch in row] for row in LETTERS[letter]])


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``otj-letters``."""

    preset: str = "otj-sto"
    pulses: int = 10
    width_s: float = 50e-9
    d2d_sigma: float = 0.1
    fade_s: float = 25e-6
    retention_s: float = 500.0

    constraints = {"pulses": COUNT, "width_s": at_least(DT_S, 1e6, "s"), "d2d_sigma": at_least(0.0, 10.0),
                   "fade_s": DURATION, "retention_s": DURATION}

    def validate(self) -> None:
        """A tunnel-junction preset, the fade shorter than the retention."""
        get_preset(self.preset, TunnelJunctionSynapse)
        require(self.retention_s > self.fade_s, "need fade_s < retention_s")


QUICK = Config()
"""Quick and full are the same (a second)."""

FULL = QUICK
"""Full: the same settings."""


def contrast(current: torch.Tensor, mask: torch.Tensor) -> float:
    """Mean current of the letter over the background's, minus 1."""
    return float(current[mask].mean() / current[~mask].mean() - 1)


READS = ("0us", "25us", "500s")
"""Labels of the three reads of each letter: just after writing, after the fade time, after the retention time."""


def simulate(config: Config, ctx: RunContext) -> Data:
    """Write each letter with its pulse train, read the image three times."""
    device = replace(get_preset(config.preset, TunnelJunctionSynapse), d2d_drive_sigma=config.d2d_sigma)
    generator = ctx.generator()
    data: Data = {"fade_s": config.fade_s, "retention_s": config.retention_s}
    for letter, (amplitude, frequency, _mode) in MODES.items():
        period = round(1 / frequency / DT_S) * DT_S
        wave = pulse_train(amplitude, config.width_s, period - config.width_s, config.pulses, DT_S,
                           config.pulses * period)
        voltage = letter_mask(letter)[..., None].double() * wave
        state = drive(device, device.sample((5, 5), generator=generator, dtype=torch.float64), voltage, DT_S,
                      record=False).state
        reads = [device.current(state, device.read_v)]
        state = device.advance(state, config.fade_s)
        reads.append(device.current(state, device.read_v))
        state = device.advance(state, config.retention_s - config.fade_s)
        reads.append(device.current(state, device.read_v))
        data[f"reads_{letter}"] = torch.stack(reads).numpy()
    return data


def metrics(data: Data) -> dict[str, float]:
    """Contrast of every read; whether H is retained and C and N faded."""
    values: dict[str, float] = {}
    for letter in MODES:
        mask = letter_mask(letter)
        for label, read in zip(READS, torch.from_numpy(data[f"reads_{letter}"]), strict=True):
            values[f"contrast_{letter.lower()}_{label}"] = contrast(read, mask)

    def faded(letter: str) -> float:
        key = letter.lower()
        return float(values[f"contrast_{key}_25us"] < 0.05 * values[f"contrast_{key}_0us"])

    values["letter_h_retained"] = float(min(values["contrast_h_25us"], values["contrast_h_500s"]) >= 1.0)
    values["letter_c_faded"] = faded("C")
    values["letter_n_faded"] = faded("N")
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """The three reads of each letter as images."""
    fig, axes = plt.subplots(3, 3, figsize=(8, 8))
    whens = ("just after", f"{float(data['fade_s']) * 1e6:g} us later", f"{float(data['retention_s']):g} s later")
    for row, (letter, (amplitude, frequency, mode)) in enumerate(MODES.items()):
        reads = data[f"reads_{letter}"] * 1e9
        for col, (read, when) in enumerate(zip(reads, whens, strict=True)):
            ax = axes[row, col]
            im = ax.imshow(read, cmap="viridis", vmin=0, vmax=reads.max())
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{letter} ({mode}, {amplitude:g} V, {frequency / 1e6:g} MHz)\n{when}", fontsize=8)
        fig.colorbar(im, ax=axes[row].tolist(), shrink=0.8, label="read current (nA)")
    return {"letters": fig}


def cost(config: Config, dataset: None) -> Cost:
    """The 5 x 5 junctions stepped every 10 ns through each letter's pulses and its fade."""
    steps = sum(config.pulses / frequency + config.fade_s for _, frequency, _ in MODES.values()) / DT_S
    return Cost(memory_bytes=25 * steps * 8 * 4, steps=steps)


EXPERIMENT = register(Experiment(
    name="otj-letters",
    reference="li2019",
    summary="5x5 tunnel-junction array memorising C (STM), H (LTM), N (STM) (seed 001 Fig. 4)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {key: predicted(1.0, 0.5, absolute=True, detail="1: as the paper's Fig. 4 shows")
                          for key in ("letter_h_retained", "letter_c_faded", "letter_n_faded")},
))
