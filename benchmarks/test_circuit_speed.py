"""Circuit-solver timings (issues 3 and 22): cold single solve (exact sweep and wire-preconditioned CG on the
row nodes), effective-matrix setup, batched inference, and 1000 vectors on one programmed array from scratch.

Run: ``python -m pytest benchmarks/ --benchmark-only`` (add ``--run-1024`` for 1024 x 1024).
Results are recorded in docs/benchmarks.md.
"""

import numpy as np
import pytest
import torch

from memristive.crossbar.circuit import PassiveCrossbar
from peers import CASES

SIZES = [64, 256, pytest.param(1024, marks=pytest.mark.size1024)]
WIRES = [0.1, 1.0]
BATCH = 1000


def _tag(case, case_id):
    """Tag the benchmark with its row of the speed table, where it has one."""
    if case_id in CASES:
        case(case_id)


def _array(n):
    rng = np.random.default_rng(n)
    return rng.uniform(10e-6, 100e-6, (n, n)), rng.uniform(0.0, 0.25, (BATCH, n))


@pytest.mark.parametrize("r_wire", WIRES)
@pytest.mark.parametrize("n", [64, 256])  # 1024: the sweep keeps 2 M N^2 floats of Schur blocks (17 GB)
def test_cold_single_solve_sweep(benchmark, n, r_wire):
    G, V = _array(n)
    solve = lambda: PassiveCrossbar(G, r_wire, r_wire).solve(V[0], method="sweep")  # noqa: E731
    solution = benchmark.pedantic(solve, rounds=3, iterations=1, warmup_rounds=1)
    assert solution.residual < 1e-12


@pytest.mark.parametrize("r_wire", WIRES)
@pytest.mark.parametrize("n", [64, 256, 1024])
def test_cold_single_solve_pcg(benchmark, case, n, r_wire):
    _tag(case, f"circuit-{n}-{r_wire:g}ohm")
    G, V = _array(n)
    solve = lambda: PassiveCrossbar(G, r_wire, r_wire).solve(V[0], method="pcg")  # noqa: E731
    solution = benchmark.pedantic(solve, rounds=10, iterations=1, warmup_rounds=1)
    assert solution.residual < 1e-12


@pytest.mark.parametrize("r_wire", WIRES)
@pytest.mark.parametrize("n", SIZES)
def test_effective_matrix_setup(benchmark, case, n, r_wire):
    _tag(case, f"effective-matrix-{n}" if r_wire == 1.0 else "")
    G, _ = _array(n)
    m_eff = benchmark.pedantic(lambda: PassiveCrossbar(G, r_wire, r_wire).effective_conductance(), rounds=3, iterations=1)
    assert m_eff.shape == (n, n)


@pytest.mark.parametrize("n", SIZES)
def test_batched_inference_after_setup(benchmark, n):
    G, V = _array(n)
    m_eff = PassiveCrossbar(G, 1.0, 1.0).effective_conductance()
    voltages = torch.as_tensor(V)
    currents = benchmark(lambda: voltages @ m_eff)
    assert currents.shape == (BATCH, n)


@pytest.mark.parametrize("r_wire", WIRES)
def test_thousand_vectors_on_one_programmed_64x64_array(benchmark, case, r_wire):
    """Issue 22's case: effective matrix from the conductances, then one matmul (peer: scipy splu + unit solves)."""
    _tag(case, "thousand-vectors-64" if r_wire == 1.0 else "")
    G, V = _array(64)
    voltages = torch.as_tensor(V)
    currents = benchmark.pedantic(lambda: voltages @ PassiveCrossbar(G, r_wire, r_wire).effective_conductance(),
                                  rounds=10, iterations=1, warmup_rounds=1)
    assert currents.shape == (BATCH, 64)
