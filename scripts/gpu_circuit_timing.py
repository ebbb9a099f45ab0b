"""Time the crossbar circuit sweep on CUDA (when present) against the CPU result.

Usage: PYTHONPATH=src python scripts/gpu_circuit_timing.py
"""

import time

import numpy as np
import torch

from memristive.crossbar import PassiveCrossbar


def timed(fn, sync):
    fn()
    sync()
    start = time.perf_counter()
    out = fn()
    sync()
    return out, time.perf_counter() - start


def main() -> None:
    cuda = torch.cuda.is_available()
    print("device:", torch.cuda.get_device_name(0) if cuda else "cpu", "| torch", torch.__version__)
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    for n in (64, 256, 1024):
        rng = np.random.default_rng(n)
        G = rng.uniform(10e-6, 100e-6, (n, n))
        for r in (0.1, 1.0):
            g = torch.as_tensor(G, device="cuda" if cuda else "cpu")
            m_eff, seconds = timed(lambda: PassiveCrossbar(g, r, r).effective_conductance(), sync)
            line = f"n={n} r={r} ohm: effective-matrix setup {seconds * 1e3:.1f} ms"
            if n <= 256:
                reference = PassiveCrossbar(G, r, r).effective_conductance()
                line += f", max rel. diff vs CPU {float((m_eff.cpu() / reference - 1).abs().max()):.1e}"
                solution, cold = timed(lambda: PassiveCrossbar(g, r, r).solve(rng.uniform(0, 0.25, n)), sync)
                line += f", cold single solve {cold * 1e3:.1f} ms (KCL residual {solution.residual:.1e} A)"
            print(line, flush=True)


if __name__ == "__main__":
    main()
