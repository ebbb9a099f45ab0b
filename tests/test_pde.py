"""PDE solving on block-tiled, bit-sliced arrays (issue 17): the Poisson matrix, Jacobi iterates equal to floating
point with enough slices, the error falling with slices to a noise floor, skipped blocks, bad input, quick run."""

import json

import numpy as np
import pytest
import scipy.sparse
import torch

from memristive.algorithms.pde import BlockOperator, jacobi, leapfrog, poisson_matrix, wave_matrix
from memristive.crossbar import WeightMapping
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment
from memristive.experiments.pde_jacobi import conductivity

IDEAL = get_preset("taox-hfox").ideal()


def test_poisson_matrix_is_the_five_point_laplacian():
    t = scipy.sparse.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(5, 5))
    u = scipy.sparse.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(3, 3))
    expected = scipy.sparse.kronsum(t, u).toarray()  # 3 rows (y) of 5 points (x)
    np.testing.assert_array_equal(poisson_matrix(3, 5, h=1.0).numpy(), expected)
    a = poisson_matrix(6, 6, conductivity(6))
    np.testing.assert_allclose(a.numpy(), a.numpy().T, atol=1e-12)  # face means keep it symmetric
    assert float(torch.linalg.eigvalsh(a).min()) > 0


def test_jacobi_iterates_equal_floating_point_with_enough_slices():
    a = poisson_matrix(8, 8, conductivity(8))
    f = torch.linspace(0.5, 1.5, 64, dtype=torch.float64)
    operator = BlockOperator(a, 16, IDEAL, WeightMapping(slices=10, slice_bits=4))  # 40 bits per weight
    for iterations in (1, 10, 200):
        ours = jacobi(operator, torch.diagonal(a), f, tol=1e-300, max_iter=iterations).u
        reference = jacobi(lambda u: a @ u, torch.diagonal(a), f, tol=1e-300, max_iter=iterations).u
        assert float((ours - reference).abs().max()) <= 1e-9 * float(reference.abs().max())


@pytest.mark.slow
def test_error_falls_with_slices_until_the_programming_error_floor():
    a = poisson_matrix(8, 8, conductivity(8))
    f = torch.ones(64, dtype=torch.float64)
    exact = torch.linalg.solve(a, f)

    def error(slices, noise):
        op = BlockOperator(a, 16, IDEAL, WeightMapping(slices=slices, slice_bits=4), import_error=noise,
                           generator=torch.Generator().manual_seed(slices))
        u = jacobi(op, torch.diagonal(a), f, tol=1e-13, max_iter=3000).u
        return float((u - exact).norm() / exact.norm())

    clean = [error(k, 0.0) for k in (2, 3, 4, 6, 8)]
    assert all(later < earlier / 4 for earlier, later in zip(clean, clean[1:])) and clean[-1] < 1e-8  # ~16 x a slice
    noisy = [error(k, 1e-2) for k in (2, 4, 8)]
    assert noisy[0] > noisy[1] / 2 and min(noisy) > 1e-3  # no slice count goes below the devices' error


def test_all_zero_blocks_get_no_array():
    a = poisson_matrix(16, 16)
    operator = BlockOperator(a, 32, IDEAL)
    nonzero = sum(bool((a[i:i + 32, j:j + 32] != 0).any()) for i in range(0, 256, 32) for j in range(0, 256, 32))
    assert len(operator.blocks) == nonzero == 22 and operator.skipped_share == pytest.approx(42 / 64)
    x = torch.rand(3, 256, dtype=torch.float64)
    torch.testing.assert_close(operator(x), x @ a.t())


def test_wave_steps_equal_floating_point_with_enough_slices():
    m = wave_matrix(6, 6, 0.5)
    u0 = torch.rand(36, dtype=torch.float64)
    operator = BlockOperator(m, 12, IDEAL, WeightMapping(slices=10, slice_bits=4))
    ours, reference = leapfrog(operator, u0, u0, 40), leapfrog(lambda u: m @ u, u0, u0, 40)
    assert float((ours - reference).abs().max()) <= 1e-9


def test_bad_input_is_refused():
    a = poisson_matrix(4, 4)
    with pytest.raises(MemristiveError, match="does not split into 5 x 5"):
        BlockOperator(a, 5, IDEAL)
    with pytest.raises(MemristiveError, match="all zeros"):
        BlockOperator(torch.zeros(4, 4, dtype=torch.float64), 2, IDEAL)
    with pytest.raises(MemristiveError, match="slices=0"):
        WeightMapping(slices=0, slice_bits=4)
    with pytest.raises(MemristiveError, match="courant"):
        wave_matrix(4, 4, 0.9)
    with pytest.raises(MemristiveError, match="diagonal without zeros"):
        jacobi(lambda u: u, torch.zeros(4, dtype=torch.float64), torch.ones(4, dtype=torch.float64))


@pytest.mark.slow
def test_pde_jacobi_quick(tmp_path):
    m = json.loads(run_experiment("pde-jacobi", tmp_path, quick=True).read_text())["metrics"]
    assert m["rel_error_e0_k10"] < 1e-9 and m["rel_error_e0_k2"] > 1e3 * m["rel_error_e0_k6"]
    assert 1e-3 < m["rel_error_best"] < 0.1 and m["floor_slices"] <= 4  # the 1 % programming error's floor
    assert m["blocks_skipped_share"] == 0.375 and m["rel_error_k1"] > m["rel_error_best"]
