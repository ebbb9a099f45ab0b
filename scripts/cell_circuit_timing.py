"""Time a circuit solve of 128 x 128 cells behind a selector and behind a transistor (docs/benchmarks.md).

10-100 uS devices, 1 ohm wire segments, 4 binary input vectors at the cell voltage that puts 0.25 V on
a 55 uS device, ``rtol=1e-9``; best of 3. Run: ``OMP_NUM_THREADS=1 python scripts/cell_circuit_timing.py``.
"""

import time

import torch

from memristive.crossbar import Cell, PassiveCrossbar, ThresholdSelector, Transistor

gen = torch.Generator().manual_seed(0)
G = 10e-6 + 90e-6 * torch.rand(128, 128, generator=gen, dtype=torch.float64)
bits = torch.rand(4, 128, generator=gen, dtype=torch.float64) < 0.5
for cell in (Cell(ThresholdSelector()), Cell(Transistor())):
    read = cell.voltage_for(torch.tensor(0.25, dtype=torch.float64), torch.tensor(55e-6, dtype=torch.float64))
    xbar = PassiveCrossbar(G, r_row=1.0, r_col=1.0, iv=cell.conduction())
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        solution = xbar.solve(bits * float(read), rtol=1e-9)
        best = min(best, time.perf_counter() - start)
    print(f"{cell.name}: best {best:.3f} s, {solution.iterations} Newton iterations, "
          f"sum of currents {float(solution.currents.sum()):.12e} A")
