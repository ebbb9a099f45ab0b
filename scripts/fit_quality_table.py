"""Fit quality of ``memristive fit``'s nonlinear model on data simulated from presets (docs/reproductions.md).

For each nonlinear preset and seed: simulate DEVICES x CYCLES sweeps (``simulate_csv``), fit the nonlinear model,
and print the misfit / noise ratio (:mod:`memristive.devices.fit_quality`; poor above 3), the verdict and the
fitted nonlinearity labels against the preset's. Usage: ``python scripts/fit_quality_table.py [DEVICES CYCLES]``.
"""

import sys
import tempfile
from pathlib import Path

import torch

from memristive.devices import NonlinearPulseDevice, get_preset
from memristive.devices.fit_quality import fit_quality
from memristive.devices.fitting import fit_nonlinear, read_pulse_csv, simulate_csv

PRESETS = ("tpt-ram-110", "epiram", "ag-asi", "taox-hfox", "pcmo", "alox-hfo2", "hzo-fefet")
SEEDS = (1, 2, 3)


def main(devices: int = 4, cycles: int = 5) -> None:
    """Print one markdown row per preset and seed."""
    print("| preset | seed | misfit rms % | noise % | ratio | verdict | nu_ltp fit (true) | nu_ltd fit (true) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for name in PRESETS:
            true = get_preset(name, NonlinearPulseDevice)
            for seed in SEEDS:
                csv = simulate_csv(true, Path(folder) / f"{name}-{seed}.csv", devices, cycles,
                                   torch.Generator().manual_seed(seed))
                data = read_pulse_csv(csv)
                fitted = fit_nonlinear(data).device
                quality = fit_quality(fitted, data)
                print(f"| {name} | {seed} | {100 * quality.misfit_rms:.2f} | {100 * quality.noise:.2f} | "
                      f"{quality.misfit_rms / quality.noise:.2f} | {quality.verdict} | "
                      f"{fitted.nu_ltp:.2f} ({true.nu_ltp:.2f}) | {fitted.nu_ltd:.2f} ({true.nu_ltd:.2f}) |")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
